// Node-side checks of what issue.js reports from a page.
import assert from 'node:assert/strict';

/** The page made an ec-p256 key and a CSR, and got a certificate for `name`
 * issued by the simulator's SwissSign API (leaf first, issuer included). */
export function checkKeyCsrAndSwissSign(result, name) {
  assert.equal(result.csr.kind, 'ec-p256');
  assert.match(result.csr.pem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
  assert.ok(result.csr.derLength > 100);
  const ss = result.swisssign;
  assert.equal(ss.validated, true);
  assert.match(ss.order, /^ord-[0-9a-f-]{36}$/);
  assert.deepEqual(ss.sans, [{ type: 'dns', value: name }]);
  assert.ok(ss.chainLength >= 2);
  assert.equal(ss.status, 'ISSUED');
  assert.equal(ss.leafFirstInPemChain, true);
}
