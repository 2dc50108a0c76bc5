// End to end from Node against real peers (tests/support/peers.js): a
// SwissSign issuance, renewal and revocation against the simulator through
// the default fetch transport (plain HTTP on loopback); the same issuance
// driven by hand through the sans-IO SwissSignIssueFlow; an IdenTrust
// issuance (simulator reseller API -> EAB -> Pebble with EAB required)
// through a node:https transport trusting Pebble's CA; and a plain ACME
// issuance and revocation against Pebble through the default fetch
// transport, in a child Node whose NODE_EXTRA_CA_CERTS is Pebble's CA
// (fetch has no per-call trust option).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as cb from 'certbridge';
import { nodeHttpsTransport, publishTxt, startPebble, startSim } from './support/peers.js';

const ACCOUNT = 'service.account';
const API_KEY = 'n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w';
const RESELLER_KEY = 'supersecret';

let sim;
let pebble;

before(async () => {
  pebble = await startPebble();
  // The reseller API hands out exactly the EAB keys Pebble accepts.
  sim = await startSim({ eabPool: pebble.configFile });
});

after(() => {
  sim?.stop();
  pebble?.stop();
});

/** Registers and validates `name` for the first client: the TXT record the
 * answer asks for goes into the simulator's DNS. */
async function prevalidated(client, name) {
  const [first] = await client.clients();
  const product = first.products[0].uuid;
  const [domain] = await client.registerDomains(first.uuid, [name]);
  assert.ok(domain.txtRecord, 'a registration carries the TXT record to publish');
  await publishTxt(sim.url, domain.txtRecord.name, domain.txtRecord.value);
  const validated = await client.domain(domain.uuid, 'validate');
  assert.equal(validated.validated, true);
  return { client: first, product, ascii: domain.txtRecord.name.replace(/^_[^.]*\./, ''), domain };
}

test('SwissSign: issue, renew and revoke against the simulator with the default fetch transport', async () => {
  const client = new cb.SwissSignClient({ baseUrl: sim.url, account: ACCOUNT, apiKey: API_KEY, pollInitialMs: 50 });
  const { product, ascii } = await prevalidated(client, 'bücher.node.example');
  assert.equal(ascii, 'xn--bcher-kva.node.example');

  const key = cb.generateKey('ec-p256');
  assert.equal(key.kind, 'ec-p256');
  const csr = cb.buildCsr(key, { subject: [{ attribute: 'CN', value: ascii }], dnsNames: [ascii] });
  const issued = await client.issue(product, csr.pem, { timeoutMs: 30_000 });
  assert.match(issued.order, /^ord-[0-9a-f-]{36}$/);
  assert.deepEqual(issued.certificate.sans, [{ type: 'dns', value: ascii }]);
  assert.ok(issued.chain.certificates.length >= 2, 'leaf and issuer');
  assert.equal(issued.chain.certificates[0].sha256Thumbprint, issued.certificate.sha256Thumbprint);
  // The leaf certifies our key: its SPKI is the key's.
  const leafSpki = cb.parseCertificateChain(issued.pemChain)[0];
  assert.equal(leafSpki.serialHex, issued.certificate.serialHex);
  assert.equal(await client.orderStatus(issued.order), 'ISSUED');

  // Renewal with a new RSA key, from the CSR's DER bytes this time.
  const rsa = cb.generateKey('rsa-2048');
  const csr2 = cb.buildCsr(rsa, { subject: [{ attribute: 'CN', value: ascii }], dnsNames: [ascii] });
  const renewed = await client.issue(product, csr2.der);
  assert.notEqual(renewed.certificate.serialHex, issued.certificate.serialHex);

  const order = await client.order(issued.order);
  assert.equal(order.certificate.serial?.replace(/:/g, '').toUpperCase().replace(/^0+/, ''), issued.certificate.serialHex.replace(/^0+/, ''));
  await client.revokeOrder(issued.order, 'superseded');
  assert.equal(await client.orderStatus(issued.order), 'REVOKED');
  const found = await client.orders({ orderStatus: ['ISSUED', 'REVOKED'] });
  const byId = new Map(found.map((o) => [o.uuid, o.status]));
  assert.equal(byId.get(renewed.order), 'ISSUED');
  assert.equal(byId.get(issued.order), 'REVOKED');
});

test('SwissSign: the sans-IO issue flow driven by hand with fetch', async () => {
  const client = new cb.SwissSignClient({ baseUrl: sim.url, account: ACCOUNT, apiKey: API_KEY });
  const { product, ascii } = await prevalidated(client, 'flow.node.example');
  const csr = cb.buildCsr(cb.generateKey('ec-p384'), { subject: [{ attribute: 'CN', value: ascii }], dnsNames: [ascii] });
  const flow = new cb.SwissSignIssueFlow({ baseUrl: sim.url, account: ACCOUNT, apiKey: API_KEY }, product, csr.pem);
  const seen = [];
  for (;;) {
    const step = flow.next();
    if (step.type === 'done') {
      assert.deepEqual(step.value.certificate.sans, [{ type: 'dns', value: ascii }]);
      assert.equal(step.value.order, flow.order);
      break;
    }
    if (step.type === 'wait') {
      await new Promise((r) => setTimeout(r, Math.max(0, step.until - Date.now())));
      continue;
    }
    assert.equal(step.type, 'send');
    const { method, url, headers, body } = step.request;
    seen.push(`${method} ${new URL(url).pathname.replace(/(pma|ord)-[0-9a-f-]{36}/, '$1-ID')}`);
    const r = await fetch(url, { method, headers, body: body.length ? body : undefined });
    flow.receive({ status: r.status, headers: r.headers, body: new Uint8Array(await r.arrayBuffer()) });
  }
  assert.equal(seen[0], 'POST /v2/issue/csr/pma-ID');
  assert.ok(seen.includes('POST /v2/order/ord-ID/status'));
  assert.equal(seen.at(-1), 'POST /v2/order/ord-ID/certificate/chain');
  assert.equal(flow.status, 'ISSUED');
});

test('IdenTrust: reseller account from the simulator, EAB, issuance at Pebble', async () => {
  const solved = [];
  // IdenTrust's directory for a profile is {acmeBase}/acme/{profile}/directory;
  // Pebble serves its one directory at /dir, so the transport maps it.
  const transport = async (request) => {
    if (request.url.startsWith(sim.url)) {
      const { method, url, headers, body } = request;
      const r = await fetch(url, { method, headers, body: body.length ? body : undefined });
      return { status: r.status, headers: r.headers, body: new Uint8Array(await r.arrayBuffer()) };
    }
    return nodeHttpsTransport(pebble.caPem, (u) => u.replace('/acme/TLS-90d/directory', '/dir'))(request);
  };
  const reseller = new cb.IdenTrustClient({
    resellerBase: sim.url,
    acmeBase: pebble.origin,
    apiKey: RESELLER_KEY,
    transport,
    solver: { publish: (tasks) => { solved.push(...tasks); } },
  });
  const account = await reseller.createAccount('pki@node.example');
  assert.ok(account.eabKid in pebble.eabKeys, `EAB kid ${account.eabKid} from the pool`);
  assert.equal(account.eabHmacKeyB64url, pebble.eabKeys[account.eabKid]);
  assert.equal(account.email, 'pki@node.example');

  const key = cb.generateAccountKey();
  const acme = await reseller.acmeClient('TLS-90d', account, key);
  assert.equal(acme.directory.meta.externalAccountRequired, true);
  const certKey = cb.generateKey('ec-p256');
  const csr = cb.buildCsr(certKey, { subject: [{ attribute: 'CN', value: 'identrust.node.example' }], dnsNames: ['identrust.node.example'] });
  const issued = await acme.issue({ identifiers: ['identrust.node.example'], csr: csr.der, challengeTypes: ['http-01'] });
  assert.equal(issued.order.status, 'valid');
  assert.ok(acme.accountUrl && issued.accountUrl === acme.accountUrl);
  const [leaf] = cb.parseCertificateChain(issued.chain.pem);
  assert.deepEqual(leaf.sans, [{ type: 'dns', value: 'identrust.node.example' }]);
  assert.equal(solved.length, 1);
  assert.equal(solved[0].type, 'http01');
  assert.equal(solved[0].body.split('.')[1], key.thumbprint(), 'key authorization of our account key');
});

test('ACME: every AcmeClient call at Pebble through the default fetch transport', async () => {
  const [kid, hmacKey] = Object.entries(pebble.eabKeys)[3];
  const body = `
    import * as cb from ${JSON.stringify(import.meta.resolve('certbridge'))};
    const out = {};
    const key = cb.generateAccountKey();
    const tasks = [];
    const acme = await cb.AcmeClient.connect(process.env.DIRECTORY, key, {
      eab: { kid: process.env.EAB_KID, hmacKey: process.env.EAB_KEY },
      contact: ['mailto:acme@node.example'],
      solver: { publish: async (t) => { tasks.push(...t); }, cleanup: async () => {} },
    });
    out.account = await acme.account();
    out.found = (await acme.findAccount()).url;
    const certKey = cb.generateKey('ec-p256');
    const csr = cb.buildCsr(certKey, { dnsNames: ['a.node.example', 'b.node.example'] });
    const issued = await acme.issueFor(['a.node.example', 'b.node.example'], csr.pem);
    out.tasks = tasks.map((t) => t.type);
    const chain = cb.parseCertificateChain(issued.chain.pem);
    out.sans = chain[0].sans;
    out.chainLength = chain.length;
    out.order = (await acme.order(issued.order.url)).status;
    out.authorization = (await acme.authorization(issued.order.authorizations[0])).status;
    out.downloaded = (await acme.download(issued.order.certificate)).pem === issued.chain.pem;
    // A second client from the first one's directory and account, no lookups.
    const twin = cb.AcmeClient.withDirectory(acme.directory, key, { accountUrl: acme.accountUrl });
    out.twin = (await twin.order(issued.order.url)).certificate === issued.order.certificate;
    out.hasAri = acme.directory.renewalInfo !== undefined;
    const info = await acme.renewalInfo(issued.chain.pem);
    out.renewalWindow = info ? info.suggestedWindow.end > info.suggestedWindow.start : 'no ARI';
    const renewKey = cb.generateKey('ec-p256');
    const csr2 = cb.buildCsr(renewKey, { dnsNames: ['a.node.example'] });
    const renewed = await acme.renew(issued.chain.pem, { identifiers: ['a.node.example'], csr: csr2.der });
    out.renewed = renewed.order.status;
    out.replaces = renewed.order.replaces === undefined ? 'none' : renewed.order.replaces === cb.acmeCertId(issued.chain.pem);
    await acme.revoke(issued.chain.pem, 4);
    try { await acme.revoke(issued.chain.pem, 4); } catch (e) { out.again = { kind: e.kind, code: e.code, status: e.status }; }
    // The renewed certificate, revoked with its own key (no account involved).
    await acme.revokeWithCertificateKey(renewed.chain.pem, cb.AccountKey.fromPem(renewKey.toPkcs8Pem()), 1);
    try { await acme.revoke(renewed.chain.pem); } catch (e) { out.renewedRevoked = e.code; }
    out.authzDeactivated = (await acme.deactivateAuthorization(issued.order.authorizations[1])).status;
    out.newAuthz = acme.directory.newAuthz === undefined ? 'none' : (await acme.newAuthorization('c.node.example')).status;
    const newKey = cb.generateAccountKey();
    await acme.changeKey(newKey);
    out.keyChanged = acme.key().thumbprint() === newKey.thumbprint();
    out.deactivated = (await acme.deactivate()).status;
    console.log(JSON.stringify(out));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', body], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: pebble.caFile, DIRECTORY: pebble.directoryUrl, EAB_KID: kid, EAB_KEY: hmacKey },
  });
  const r = JSON.parse(stdout);
  assert.equal(r.account.status, 'valid');
  assert.equal(r.account.created, true);
  assert.deepEqual(r.account.contact, ['mailto:acme@node.example']);
  assert.equal(r.found, r.account.url);
  assert.deepEqual(r.tasks, ['http01', 'http01']);
  assert.deepEqual(r.sans.map((s) => s.value).sort(), ['a.node.example', 'b.node.example']);
  assert.ok(r.chainLength >= 2);
  assert.equal(r.order, 'valid');
  assert.equal(r.authorization, 'valid');
  assert.equal(r.downloaded, true);
  assert.equal(r.twin, true);
  assert.equal(r.renewed, 'valid');
  assert.deepEqual(r.again, { kind: 'provider', code: 'urn:ietf:params:acme:error:alreadyRevoked', status: 400 });
  assert.equal(r.renewedRevoked, 'urn:ietf:params:acme:error:alreadyRevoked');
  assert.equal(r.authzDeactivated, 'deactivated');
  assert.ok(['none', 'pending', 'valid'].includes(r.newAuthz), r.newAuthz);
  assert.equal(r.keyChanged, true);
  assert.equal(r.deactivated, 'deactivated');
  if (r.hasAri) {
    // A window, and the renewal names the old certificate (RFC 9773).
    assert.equal(r.renewalWindow, true);
    assert.equal(r.replaces, true);
  } else {
    // Debian's Pebble has no renewalInfo: no window, no `replaces`.
    assert.equal(r.renewalWindow, 'no ARI');
    assert.equal(r.replaces, 'none');
  }
});
