// Keys, CSRs and certificates checked by an independent peer: openssl
// verifies every CSR the package builds and reads every key it exports, and
// the package imports keys openssl made (all five kinds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cb from 'certbridge';
import { VECTORS_DIR } from './vectors.js';

const openssl = (args, input) => execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

/** A PKCS#8 key of `kind` made by openssl. */
function opensslKey(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'certbridge-key-'));
  try {
    const file = join(dir, 'key.pem');
    const [alg, param] = kind.startsWith('ec-')
      ? ['EC', `ec_paramgen_curve:${kind === 'ec-p256' ? 'P-256' : 'P-384'}`]
      : ['RSA', `rsa_keygen_bits:${kind.slice(4)}`];
    openssl(['genpkey', '-algorithm', alg, '-pkeyopt', param, '-out', file]);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** openssl's verification and text dump of a CSR. */
function opensslCsr(pem) {
  return openssl(['req', '-verify', '-noout', '-text', '-nameopt', 'RFC2253'], pem);
}

const SUBJECT = [
  { attribute: 'C', value: 'CH' },
  { attribute: 'O', value: 'Zürich Beispiel AG' },
  { attribute: 'CN', value: 'www.example.ch' },
];

for (const kind of ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096']) {
  test(`${kind}: openssl's key imports, exports again as PKCS#8, and signs a CSR openssl verifies`, () => {
    const key = cb.PrivateKey.fromPem(opensslKey(kind));
    assert.equal(key.kind, kind);
    const pkcs8 = key.toPkcs8Pem();
    assert.match(pkcs8, /^-----BEGIN PRIVATE KEY-----\n/);
    // openssl derives the same public key from our export.
    const pub = openssl(['pkey', '-pubout', '-outform', 'DER'], pkcs8);
    assert.ok(pub.length > 0);
    assert.equal(cb.PrivateKey.fromPem(pkcs8).kind, kind);

    const csr = cb.buildCsr(key, { subject: SUBJECT, dnsNames: ['www.example.ch', 'example.ch'], ips: ['192.0.2.7'], emails: ['pki@example.ch'] });
    assert.equal(Buffer.from(csr.der).toString('base64'), csr.pem.split('\n').filter((l) => l && !l.startsWith('-----')).join(''));
    const text = opensslCsr(csr.pem);
    assert.match(text, /Subject: CN=www\.example\.ch,O=Zürich Beispiel AG,C=CH|Subject: CN=www\.example\.ch,O=Z\\C3\\BCrich Beispiel AG,C=CH/);
    assert.match(text, /DNS:www\.example\.ch, DNS:example\.ch/);
    assert.match(text, /IP Address:192\.0\.2\.7/);
    assert.match(text, /email:pki@example\.ch/);
    assert.match(text, kind.startsWith('ec-') ? /ecdsa-with-SHA(256|384)/ : /sha256WithRSAEncryption/);
  });
}

test('generateKey: fresh EC keys and an RSA key, each different, usable by openssl', () => {
  for (const kind of ['ec-p256', 'ec-p384', 'rsa-2048']) {
    const a = cb.generateKey(kind);
    const b = cb.generateKey(kind);
    assert.equal(a.kind, kind);
    assert.notEqual(a.toPkcs8Pem(), b.toPkcs8Pem(), 'Web Crypto randomness');
    openssl(['pkey', '-noout'], a.toPkcs8Pem()); // throws when openssl cannot read it
    const csr = cb.buildCsr(a, { subject: [{ attribute: 'CN', value: 'k.example' }], dnsNames: ['k.example'] });
    assert.match(opensslCsr(csr.pem), /DNS:k\.example/);
    assert.deepEqual(Object.keys(a.publicJwk()).sort(), kind.startsWith('ec-') ? ['crv', 'kty', 'x', 'y'] : ['e', 'kty', 'n']);
  }
  assert.equal(cb.generateKey().kind, 'ec-p256');
});

test('certificates: the fixture chain parses like openssl reads it', () => {
  const pem = readFileSync(new URL('fixtures/chain.pem', VECTORS_DIR), 'utf8');
  const chain = cb.parseCertificateChain(pem);
  assert.ok(chain.length >= 2);
  const leaf = chain[0];
  const serial = openssl(['x509', '-noout', '-serial'], leaf.pem).trim().split('=')[1];
  assert.equal(leaf.serialHex, serial.replace(/^0+/, '') || '0');
  const sha256 = openssl(['x509', '-noout', '-fingerprint', '-sha256'], leaf.pem).trim().split('=')[1].replace(/:/g, '');
  assert.equal(leaf.sha256Thumbprint, sha256);
  assert.equal(cb.thumbprintSha256(leaf.pem), sha256);
  const end = openssl(['x509', '-noout', '-enddate'], leaf.pem).trim().split('=')[1];
  assert.equal(leaf.notAfter, Date.parse(end));
  // The PKCS#7 bundle of the same chain, DER and PEM.
  const p7 = readFileSync(new URL('fixtures/chain-shuffled.p7b', VECTORS_DIR));
  const fromP7 = cb.parsePkcs7(new Uint8Array(p7)).map((c) => c.sha256Thumbprint).sort();
  assert.ok(fromP7.includes(leaf.sha256Thumbprint));
  const p7pem = readFileSync(new URL('fixtures/chain.p7.pem', VECTORS_DIR), 'utf8');
  assert.ok(cb.parsePkcs7(p7pem).length >= 2);
});

test('HS256 JWTs: encode, verify, decode; a wrong key or an expired token is refused', () => {
  const now = Date.UTC(2026, 0, 1);
  const claims = { iss: 'me', exp: now / 1000 + 60, nested: { ok: true } };
  const token = cb.jwtHs256(claims, 'secret');
  assert.deepEqual(cb.jwtDecodeUnverified(token), claims);
  assert.deepEqual(cb.jwtVerifyHs256(token, 'secret', now), claims);
  assert.deepEqual(cb.jwtVerifyHs256(token, new TextEncoder().encode('secret'), now), claims);
  // An independent HMAC (node:crypto) over the same signing input.
  const [h, p, s] = token.split('.');
  assert.equal(createHmac('sha256', 'secret').update(`${h}.${p}`).digest('base64url'), s);
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')), { alg: 'HS256', typ: 'JWT' });
  assert.throws(() => cb.jwtVerifyHs256(token, 'other', now), (e) => cb.isCertbridgeError(e));
  assert.throws(() => cb.jwtVerifyHs256(token, 'secret', now + 3_600_000), (e) => cb.isCertbridgeError(e) && e.kind === 'auth');
});

test('ACME account keys: generate, export, import, thumbprint', () => {
  const key = cb.generateAccountKey();
  assert.equal(key.alg, 'ES256');
  const again = cb.AccountKey.fromPem(key.toPkcs8Pem());
  assert.equal(again.thumbprint(), key.thumbprint());
  assert.deepEqual(again.jwk(), key.jwk());
  const rsa = cb.AccountKey.fromPem(readFileSync(new URL('keys/acme-rs256-a.pem', VECTORS_DIR), 'utf8'));
  assert.equal(rsa.alg, 'RS256');
  assert.match(rsa.thumbprint(), /^[A-Za-z0-9_-]{43}$/);
});
