// Every shared vector through the JS API (Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cb from '../index.node.js';
import { check, loadCases, opTables, runCase } from './vectors.js';

const cases = loadCases();
const supported = Object.keys(opTables(cb));

test('vector names are unique and the supported providers have vectors', () => {
  const names = new Set();
  for (const c of cases) {
    assert.ok(!names.has(c.name), `duplicate vector name ${c.name}`);
    names.add(c.name);
  }
  for (const p of supported) {
    assert.ok(cases.some((c) => c.op.startsWith(`${p}.`)), `no vectors for ${p}`);
  }
});

test('an unknown op of a supported provider fails the run', () => {
  assert.throws(() => runCase(cb, { name: 'x', op: 'redtrust.no_such_op', input: {} }), /unknown op/);
  assert.equal(runCase(cb, { name: 'y', op: 'nosuchprovider.op', input: {} }), null);
});

for (const c of cases) {
  const prefix = c.op.split('.')[0];
  test(`${c.file}: ${c.name}`, { skip: !supported.includes(prefix) && `${prefix} not in the JS API yet` }, () => {
    const outcome = runCase(cb, c);
    const diffs = check(c, outcome);
    assert.deepEqual(diffs, [], `${c.name} [${c.op}]`);
  });
}
