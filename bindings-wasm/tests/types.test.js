// The TypeScript declarations of the installed package: no `any` for SDK
// data, and a strict compile of a program using the API (with misuse that
// must be rejected) under both resolutions a TypeScript app uses: `node16`
// (the `node` + `import` types, and the `require` types from a .cts file)
// and `bundler` (the `default`/`browser` types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const INSTALLED = dirname(require.resolve('certbridge/package.json'));
const TESTS = fileURLToPath(new URL('./', import.meta.url));

test('generated declarations use no `any` outside the init functions', () => {
  for (const file of ['pkg/certbridge_wasm.d.ts', 'pkg/certbridge_wasm.d.cts']) {
    const dts = readFileSync(join(INSTALLED, file), 'utf8');
    const api = dts.split('export type InitInput')[0];
    assert.ok(api.length > 10_000, `${file} holds the API`);
    const offending = api.split('\n').filter((l) => /\bany\b/.test(l) && !/^(\*|\/\*|\/\/)/.test(l.trim()));
    assert.deepEqual(offending, [], file);
  }
});

for (const [config, resolution] of [['tsconfig.json', 'node16'], ['tsconfig.bundler.json', 'bundler']]) {
  test(`tsc --strict (moduleResolution ${resolution}) accepts correct use and rejects misuse`, () => {
    const tsc = require.resolve('typescript/bin/tsc');
    let out;
    try {
      // --traceResolution shows which declaration file each resolution picked.
      out = execFileSync(process.execPath, [tsc, '-p', config, '--traceResolution'], { cwd: TESTS, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc failed:\n${String(e.stdout).split('\n').filter((l) => /error/.test(l)).join('\n')}${e.stderr}`);
    }
    const picked = [...out.matchAll(/Module name 'certbridge' was successfully resolved to '([^']+)'/g)].map((m) => m[1]);
    assert.ok(picked.length > 0, 'tsc resolved certbridge');
    for (const p of picked) assert.match(p, /\/node_modules\/certbridge\//, 'the installed package, not the source tree');
    const files = new Set(picked.map((p) => p.replace(/^.*\/node_modules\/certbridge\//, '')));
    assert.deepEqual([...files].sort(), resolution === 'node16' ? ['index.d.ts', 'pkg/index.d.cts'] : ['index.d.ts']);
  });
}
