// Node CommonJS consumer of the installed package: `require` resolves the
// `node` + `require` condition (index.node.cjs), ready synchronously.
'use strict';
const assert = require('node:assert/strict');
const cb = require('certbridge');

const resolved = require.resolve('certbridge');
assert.match(resolved, /\/node_modules\/certbridge\/index\.node\.cjs$/, resolved);
assert.equal(cb.default, undefined, 'no default export (init is internal)');

const key = cb.generateKey('rsa-2048');
assert.equal(key.kind, 'rsa-2048');
const csr = cb.buildCsr(key, { subject: [{ attribute: 'CN', value: 'cjs.example' }], dnsNames: ['cjs.example'] });
assert.match(csr.pem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
assert.throws(() => cb.parseDn('not a dn'), (e) => cb.isCertbridgeError(e) && e.kind === 'invalid_input');
const names = Object.keys(cb);
for (const n of ['SwissSignClient', 'AcmeClient', 'RedtrustIssueFlow', 'parseCertificateChain', 'isCertbridgeError']) {
  assert.ok(names.includes(n), `require('certbridge').${n}`);
}
console.log(`CJS smoke: ${names.length} exports from ${resolved}: key, CSR, typed error ok`);
