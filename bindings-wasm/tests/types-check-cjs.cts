// Compiled (not run) by types.test.js under `moduleResolution: node16` as a
// CommonJS file: `require('certbridge')` gets the `require` types
// (pkg/index.d.cts) with the same records and classes as the ESM types.
import cb = require('certbridge');

const key: cb.PrivateKey = cb.generateKey('ec-p384');
const csr: cb.Csr = cb.buildCsr(key, { dnsNames: ['cjs.example'] });
const guard: (e: unknown) => boolean = cb.isCertbridgeError;
const client = new cb.SwissSignClient({ baseUrl: 'http://127.0.0.1:1', token: 't' });
const issued: Promise<cb.SwissSignIssued> = client.issue('product', csr.pem);
// @ts-expect-error a key kind that does not exist
cb.generateKey('ed25519');
export { guard, issued };
