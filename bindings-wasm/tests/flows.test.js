// The host-driven flow classes (src/flow.rs): RedtrustIssueFlow and
// AcmeIssueFlow stepped by hand. Scripted runs check the exact bytes of
// each request (the ACME newNonce and EAB newAccount against the shared
// vectors in tests/vectors/acme-requests.json, byte for byte); a real run
// drives AcmeIssueFlow against Pebble with EAB required
// (tests/support/peers.js: PEBBLE_VA_ALWAYS_VALID=1, so a solve step is
// answered by publishing nothing and calling solved()), sending each
// request with node:https trusting Pebble's CA.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as cb from 'certbridge';
import { nodeHttpsTransport, startPebble } from './support/peers.js';
import { KEYS_DIR, VECTORS_DIR } from './vectors.js';
import { CREATE_BODY, DN, JSON_HEADERS, SERVER, bearer, ok } from './support/redtrust.js';

let pebble;

before(async () => {
  pebble = await startPebble();
});

after(() => {
  pebble?.stop();
});

const text = (body) => new TextDecoder().decode(body);
const b64json = (s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

function vector(file, name) {
  const doc = JSON.parse(readFileSync(new URL(file, VECTORS_DIR), 'utf8'));
  const found = doc.cases.find((c) => c.name === name);
  assert.ok(found, `vector ${name}`);
  return found;
}

/** Expects a `send` step and returns its request with the body as text. */
function sent(step) {
  assert.equal(step.type, 'send', JSON.stringify(step));
  const { method, url, headers, body } = step.request;
  assert.ok(body instanceof Uint8Array);
  return { method, url, headers, body: text(body) };
}

// ---- Redtrust ------------------------------------------------------------

const NOW = Date.parse('2030-01-01T00:00:00Z');

test('RedtrustIssueFlow: login, csr/create, csr/finalize, exact requests', () => {
  const flow = new cb.RedtrustIssueFlow({ server: SERVER }, { username: 'app', password: 'pw' }, { dn: DN }, 'ZGF0YQ==');
  assert.equal(flow.session, undefined);
  assert.equal(flow.created, undefined);

  assert.deepEqual(sent(flow.next(NOW)), {
    method: 'POST', url: `${SERVER}/raapi/v1/auth/login`, headers: JSON_HEADERS, body: '{"username":"app","password":"pw"}',
  });
  // A second next() before the answer is a typed error, not a second request.
  assert.throws(() => flow.next(NOW), (e) => cb.isCertbridgeError(e) && e.kind === 'protocol');
  flow.receive(ok({ accessToken: 'acc-1', refreshToken: 'ref-1', expiration: '2099-01-01T00:00:00Z' }), NOW);
  assert.deepEqual(flow.session, { accessToken: 'acc-1', refreshToken: 'ref-1', expiresAt: Date.parse('2099-01-01T00:00:00Z') });

  assert.deepEqual(sent(flow.next(NOW)), {
    method: 'POST', url: `${SERVER}/raapi/v1/csr/create`, headers: bearer('acc-1'), body: CREATE_BODY,
  });
  flow.receive(ok({ requestCode: 'RC-1', csr: 'MAMCAQU=' }), NOW);
  assert.equal(flow.created.requestCode, 'RC-1');
  assert.match(flow.created.csrPem, /^-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQU=\n/);

  assert.deepEqual(sent(flow.next(NOW)), {
    method: 'PUT', url: `${SERVER}/raapi/v1/csr/finalize`, headers: bearer('acc-1'),
    body: '{"dataInB64":"ZGF0YQ==","provider":"CAMERFIRMA","requestCode":"RC-1"}',
  });
  flow.receive(ok({ idCertificate: 77, thumbprint: 'abcdef0123456789abcdef0123456789abcdef01' }), NOW);

  const done = flow.next(NOW);
  assert.equal(done.type, 'done');
  assert.deepEqual(done.value, {
    requestCode: 'RC-1',
    csrPem: flow.created.csrPem,
    idCertificate: '77',
    thumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
  });
});

test('RedtrustIssueFlow: a session credential, refreshed once after a 401; a renewal', () => {
  const flow = new cb.RedtrustIssueFlow(
    { server: SERVER },
    { session: { accessToken: 'old', refreshToken: 'r-old', expiresAt: NOW + 3_600_000 } },
    { dn: DN, thumbprintToRenew: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' },
  );
  const create = sent(flow.next(NOW));
  assert.deepEqual(create, {
    method: 'POST', url: `${SERVER}/raapi/v1/csr/create`, headers: bearer('old'),
    body: `${CREATE_BODY.slice(0, -1)},"thumbprintToRenew":"ABCDEF0123456789ABCDEF0123456789ABCDEF01"}`,
  });
  flow.receive({ status: 401, headers: [], body: '' }, NOW);

  assert.deepEqual(sent(flow.next(NOW)), {
    method: 'PUT', url: `${SERVER}/raapi/v1/auth/refresh-token`, headers: bearer('old'), body: '{"refreshToken":"r-old"}',
  });
  flow.receive(ok({ accessToken: 'new', refreshToken: 'r-new', expiration: '2099-01-01T00:00:00Z' }), NOW);
  assert.equal(flow.session.accessToken, 'new');

  // The same csr/create again, with the new token.
  assert.deepEqual(sent(flow.next(NOW)), { ...create, headers: bearer('new') });
  flow.receive(ok({ requestCode: 'RC-2', csr: 'MAMCAQU=' }), NOW);
  sent(flow.next(NOW));
  flow.receive(ok({ idCertificate: '78', thumbprint: '0123456789abcdef0123456789abcdef01234567' }), NOW);
  const done = flow.next(NOW);
  assert.equal(done.type, 'done');
  assert.equal(done.value.renewed, 'ABCDEF0123456789ABCDEF0123456789ABCDEF01');
  assert.equal(done.value.thumbprint, '0123456789ABCDEF0123456789ABCDEF01234567');
});

test('RedtrustIssueFlow: bad input is a typed error at construction', () => {
  assert.throws(
    () => new cb.RedtrustIssueFlow({ server: SERVER }, { username: 'app' }, { dn: DN }),
    (e) => cb.isCertbridgeError(e) && e.kind === 'invalid_input' && e.field === 'password',
  );
  assert.throws(
    () => new cb.RedtrustIssueFlow({ server: 'not a url' }, { tempToken: 't' }, { dn: DN }),
    (e) => cb.isCertbridgeError(e) && e.kind === 'invalid_input' && e.field === 'server',
  );
});

// ---- ACME, scripted --------------------------------------------------------

const CA = 'https://ca.example';
const DIRECTORY = {
  newNonce: `${CA}/acme/new-nonce`,
  newAccount: `${CA}/acme/new-acct`,
  newOrder: `${CA}/acme/new-order`,
  revokeCert: `${CA}/acme/revoke-cert`,
  keyChange: `${CA}/acme/key-change`,
  meta: { externalAccountRequired: true },
};

test('AcmeIssueFlow: newNonce and the EAB newAccount are the vectors byte for byte, then order and solve', () => {
  const nonceCase = vector('acme-requests.json', 'acme/request/new-nonce');
  const accountCase = vector('acme-requests.json', 'acme/request/new-account-with-eab');
  const key = cb.AccountKey.fromPem(readFileSync(new URL(accountCase.input.key, KEYS_DIR), 'utf8'));
  const directory = cb.acmeParseDirectory({ status: 200, headers: [['Content-Type', 'application/json']], body: JSON.stringify(DIRECTORY) });
  const csr = cb.buildCsr(cb.generateKey('ec-p256'), { dnsNames: ['x.example'] });
  const flow = new cb.AcmeIssueFlow(directory, key, {
    identifiers: ['x.example'],
    csr: csr.pem,
    eab: { kid: accountCase.input.eab.kid, hmacKey: accountCase.input.eab.hmac_key },
    contact: accountCase.input.contact,
  });
  assert.throws(() => flow.solved(), (e) => cb.isCertbridgeError(e) && e.kind === 'protocol');

  assert.deepEqual(sent(flow.next()), { body: '', ...nonceCase.expect.request });
  flow.receive({ status: 200, headers: [['Replay-Nonce', accountCase.input.nonce]] });
  assert.deepEqual(sent(flow.next()), accountCase.expect.request);
  assert.equal(flow.accountUrl, undefined);
  flow.receive({
    status: 201,
    headers: [['Location', `${CA}/acme/acct/1`], ['Replay-Nonce', 'n2'], ['Content-Type', 'application/json']],
    body: JSON.stringify({ status: 'valid', contact: accountCase.input.contact, orders: `${CA}/acme/acct/1/orders` }),
  });
  assert.equal(flow.accountUrl, `${CA}/acme/acct/1`);

  // newOrder: signed with the account URL as kid and the nonce of the last answer.
  const order = sent(flow.next());
  assert.equal(order.method, 'POST');
  assert.equal(order.url, DIRECTORY.newOrder);
  const jws = JSON.parse(order.body);
  assert.deepEqual(b64json(jws.protected), { alg: 'RS256', kid: `${CA}/acme/acct/1`, nonce: 'n2', url: DIRECTORY.newOrder });
  assert.deepEqual(b64json(jws.payload), { identifiers: [{ type: 'dns', value: 'x.example' }] });
  assert.equal(flow.order, undefined);
  flow.receive({
    status: 201,
    headers: [['Location', `${CA}/acme/order/1`], ['Replay-Nonce', 'n3'], ['Content-Type', 'application/json']],
    body: JSON.stringify({
      status: 'pending', identifiers: [{ type: 'dns', value: 'x.example' }],
      authorizations: [`${CA}/acme/authz/1`], finalize: `${CA}/acme/order/1/finalize`,
    }),
  });
  assert.equal(flow.order.url, `${CA}/acme/order/1`);
  assert.equal(flow.order.status, 'pending');

  // The authorization by POST-as-GET (empty payload).
  const authz = sent(flow.next());
  assert.equal(authz.url, `${CA}/acme/authz/1`);
  assert.equal(JSON.parse(authz.body).payload, '');
  flow.receive({
    status: 200,
    headers: [['Replay-Nonce', 'n4'], ['Content-Type', 'application/json']],
    body: JSON.stringify({
      status: 'pending', identifier: { type: 'dns', value: 'x.example' },
      challenges: [
        { type: 'dns-01', url: `${CA}/acme/chall/dns`, status: 'pending', token: 'tok-dns' },
        { type: 'http-01', url: `${CA}/acme/chall/http`, status: 'pending', token: 'tok-http' },
      ],
    }),
  });

  // Default preference: http-01 first; the body is the key authorization.
  const solve = flow.next();
  assert.deepEqual(solve, {
    type: 'solve',
    tasks: [{ type: 'http01', domain: 'x.example', token: 'tok-http', body: `tok-http.${key.thumbprint()}` }],
  });
  // Nothing goes out until the host says the proofs are published.
  assert.throws(() => flow.next(), (e) => cb.isCertbridgeError(e) && e.kind === 'protocol');
  flow.solved();
  const respond = sent(flow.next());
  assert.equal(respond.url, `${CA}/acme/chall/http`);
  assert.deepEqual(b64json(JSON.parse(respond.body).payload), {});
});

test('AcmeIssueFlow: input problems come out of the first next() before anything is sent', () => {
  const directory = cb.acmeParseDirectory({ status: 200, body: JSON.stringify(DIRECTORY) });
  const key = cb.generateAccountKey();
  const csr = cb.buildCsr(cb.generateKey('ec-p256'), { dnsNames: ['x.example'] });
  const noIds = new cb.AcmeIssueFlow(directory, key, { identifiers: [], csr: csr.der, eab: { kid: 'k', hmacKey: 'a2V5' } });
  assert.throws(() => noIds.next(), (e) => cb.isCertbridgeError(e) && e.kind === 'invalid_input' && e.field === 'identifiers');
  const noEab = new cb.AcmeIssueFlow(directory, key, { identifiers: ['x.example'], csr: csr.der });
  assert.throws(() => noEab.next(), (e) => cb.isCertbridgeError(e) && e.kind === 'invalid_input' && e.field === 'eab');
  assert.throws(
    () => new cb.AcmeIssueFlow(directory, key, { identifiers: ['x.example'], csr: 'not a csr' }),
    (e) => cb.isCertbridgeError(e) && e.kind === 'invalid_input',
  );
});

// ---- ACME at Pebble --------------------------------------------------------

/** Runs `flow` to its end over `send`; returns the result, the path of every
 * request (Pebble's URLs with their random ids replaced) and the tasks. */
async function drive(flow, send) {
  const paths = [];
  const tasks = [];
  let waits = 0;
  let orderAtSolve;
  for (;;) {
    const step = flow.next();
    switch (step.type) {
      case 'send': {
        const { method, url } = step.request;
        paths.push(`${method} ${new URL(url).pathname.replace(/\/[A-Za-z0-9_-]{16,}(?=\/|$)/g, '/ID')}`);
        flow.receive(await send(step.request));
        break;
      }
      case 'wait':
        waits += 1;
        await new Promise((r) => setTimeout(r, Math.max(0, step.until - Date.now())));
        break;
      case 'solve':
        // Pebble runs with PEBBLE_VA_ALWAYS_VALID=1: nothing to publish.
        tasks.push(...step.tasks);
        orderAtSolve = flow.order;
        flow.solved();
        break;
      case 'done':
        return { issued: step.value, paths, tasks, waits, orderAtSolve };
      default:
        assert.fail(`unknown step ${JSON.stringify(step)}`);
    }
  }
}

test('AcmeIssueFlow at Pebble with EAB: driven by hand over node:https, then resumed by account URL', async () => {
  const send = nodeHttpsTransport(pebble.caPem);
  const directory = cb.acmeParseDirectory(await send(cb.acmeDirectoryRequest(pebble.directoryUrl)));
  assert.equal(directory.meta.externalAccountRequired, true);
  const [kid, hmacKey] = Object.entries(pebble.eabKeys)[0];
  const key = cb.generateAccountKey();
  const name = 'flow.node.example';
  const csr = cb.buildCsr(cb.generateKey('ec-p256'), { subject: [{ attribute: 'CN', value: name }], dnsNames: [name] });

  const flow = new cb.AcmeIssueFlow(directory, key, {
    identifiers: [name], csr: csr.pem, eab: { kid, hmacKey }, contact: ['mailto:flow@node.example'], challengeTypes: ['dns-01'],
  });
  const { issued, paths, tasks, orderAtSolve } = await drive(flow, send);

  assert.equal(issued.order.status, 'valid');
  assert.equal(issued.accountUrl, flow.accountUrl);
  assert.match(issued.accountUrl, /^https:\/\/127\.0\.0\.1:\d+\/my-account\//);
  assert.equal(orderAtSolve.url, issued.order.url);
  assert.equal(orderAtSolve.status, 'pending');
  assert.equal(flow.order, undefined, 'the final order is in the result');
  assert.throws(() => flow.next(), (e) => cb.isCertbridgeError(e) && e.kind === 'protocol');
  const chain = cb.parseCertificateChain(issued.chain.pem);
  assert.ok(chain.length >= 2, 'leaf and issuer');
  assert.deepEqual(chain[0].sans, [{ type: 'dns', value: name }]);
  assert.equal(chain[0].issuer, chain[1].subject);
  assert.deepEqual(tasks.map((t) => [t.type, t.name]), [['dns-txt', `_acme-challenge.${name}`]]);

  // newNonce, newAccount, newOrder, authorization, challenge, then polls of
  // the authorization until valid, finalize, polls of the order until
  // valid, certificate: 9 requests when each poll is answered `valid` at once.
  const joined = paths.join('\n');
  assert.match(joined, /^HEAD \/nonce-plz\nPOST \/sign-me-up\nPOST \/order-plz\nPOST \/authZ\/ID\nPOST \/chalZ\/ID\n(POST \/authZ\/ID\n)*POST \/finalize-order\/ID\n(POST \/my-order\/ID\n)*POST \/certZ\/ID$/);
  assert.ok(paths.length >= 7 && paths.length <= 40, `${paths.length} requests`);

  // A second issuance resumed by account URL: no newAccount this time.
  // Another name: Pebble reuses a valid authorization at random
  // (PEBBLE_AUTHZREUSE, 50 % by default), a fresh name always gets one.
  const name2 = 'flow2.node.example';
  const csr2 = cb.buildCsr(cb.generateKey('ec-p256'), { dnsNames: [name2] });
  const again = new cb.AcmeIssueFlow(directory, key, { identifiers: [name2], csr: csr2.der, accountUrl: issued.accountUrl });
  assert.equal(again.accountUrl, issued.accountUrl);
  const second = await drive(again, send);
  assert.equal(second.issued.accountUrl, issued.accountUrl);
  assert.deepEqual(second.paths.slice(0, 2), ['HEAD /nonce-plz', 'POST /order-plz']);
  assert.ok(!second.paths.includes('POST /sign-me-up'));
  assert.deepEqual(second.tasks.map((t) => t.type), ['http01']);
  assert.equal(second.tasks[0].body, `${second.tasks[0].token}.${key.thumbprint()}`);
  const [leaf2] = cb.parseCertificateChain(second.issued.chain.pem);
  assert.deepEqual(leaf2.sans, [{ type: 'dns', value: name2 }]);
  assert.notEqual(leaf2.serialHex, chain[0].serialHex);
});
