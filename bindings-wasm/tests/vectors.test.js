// Every shared vector through the JS API (Node): all files, all ops, no
// skips; compared exactly as core/tests/vectors/common.rs compares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cb from 'certbridge';
import { check, loadCases, opTables, runCase } from './vectors.js';

const cases = loadCases();
const supported = Object.keys(opTables(cb));

test('vector names are unique and every provider has vectors', () => {
  const names = new Set();
  for (const c of cases) {
    assert.ok(!names.has(c.name), `duplicate vector name ${c.name}`);
    names.add(c.name);
  }
  for (const p of supported) {
    assert.ok(cases.some((c) => c.op.startsWith(`${p}.`)), `no vectors for ${p}`);
  }
  assert.ok(cases.length >= 392, `only ${cases.length} vectors found`);
});

test('an unknown op fails the run', () => {
  assert.throws(() => runCase(cb, { name: 'x', op: 'redtrust.no_such_op', input: {} }), /unknown op/);
  assert.equal(runCase(cb, { name: 'y', op: 'nosuchprovider.op', input: {} }), null);
});

test('a wrong expectation is reported (the comparison can fail)', () => {
  const c = cases.find((k) => k.op === 'swisssign.order_status' && k.response && k.expect.value);
  const outcome = runCase(cb, c);
  assert.deepEqual(check(c, outcome), []);
  assert.notDeepEqual(check({ ...c, expect: { value: `${c.expect.value}X` } }, outcome), []);
  const r = cases.find((k) => k.op === 'swisssign.chain' && !k.response);
  const req = runCase(cb, r);
  const moved = { ...r, expect: { request: { ...r.expect.request, url: `${r.expect.request.url}/x` } } };
  assert.notDeepEqual(check(moved, req), []);
});

for (const c of cases) {
  test(`${c.file}: ${c.name}`, () => {
    const outcome = runCase(cb, c);
    assert.ok(outcome, `${c.op}: provider not in the JS API`);
    const diffs = check(c, outcome);
    assert.deepEqual(diffs, [], `${c.name} [${c.op}]`);
  });
}
