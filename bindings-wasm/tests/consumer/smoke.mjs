// Node ESM consumer of the installed package (scripts/bindings-wasm.sh
// test): `import` resolves the `node` + `import` condition, the module is
// ready on import, and a key, a CSR and an error come out as documented.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as cb from 'certbridge';

const resolved = import.meta.resolve('certbridge');
assert.match(resolved, /\/node_modules\/certbridge\/index\.node\.js$/, resolved);
assert.equal(typeof cb.default, 'undefined', 'no default export (init is internal)');

const key = cb.generateKey('ec-p256');
const csr = cb.buildCsr(key, { subject: [{ attribute: 'CN', value: 'esm.example' }], dnsNames: ['esm.example'] });
assert.match(csr.pem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
assert.ok(csr.der instanceof Uint8Array && csr.der.length > 100);
assert.throws(() => cb.parseDn('not a dn'), (e) => cb.isCertbridgeError(e) && e.kind === 'invalid_input');

// The version the package reports is the workspace's (dist checked it).
const { version } = createRequire(import.meta.url)('certbridge/package.json');
console.log(`ESM smoke: certbridge ${version} from ${resolved}: key, CSR (${csr.der.length} B DER), typed error ok`);
