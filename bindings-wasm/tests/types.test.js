// The TypeScript declarations: no `any` for SDK data, and a strict compile
// of a program using the API (with misuse that must be rejected).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PKG = fileURLToPath(new URL('../', import.meta.url));

test('generated declarations use no `any` outside the init functions', () => {
  const dts = readFileSync(new URL('../pkg/certbridge_wasm.d.ts', import.meta.url), 'utf8');
  const api = dts.split('export type InitInput')[0];
  const offending = api.split('\n').filter((l) => /\bany\b/.test(l) && !/^(\*|\/\*|\/\/)/.test(l.trim()));
  assert.deepEqual(offending, []);
});

test('tsc --strict accepts correct use and rejects misuse', () => {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tests/tsconfig.json'], { cwd: PKG, encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});
