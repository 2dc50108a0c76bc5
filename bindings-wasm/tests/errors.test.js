// Every error kind reachable through the JS API arrives as an `Error` named
// CertbridgeError with the core's stable kind, code, field and status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cb from 'certbridge';

const CONFIG = { server: 'https://rt.example:8082' };
const SESSION = { accessToken: 'acc' };

/** Runs `f` (sync or async) and returns what it threw, checked as ours. */
async function thrown(f) {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof Error, 'not an Error');
    assert.equal(e.name, 'CertbridgeError');
    assert.ok(cb.isCertbridgeError(e));
    assert.equal(typeof e.message, 'string');
    return e;
  }
  assert.fail('did not throw');
}

const pick = (e, keys) => Object.fromEntries(keys.map((k) => [k, e[k]]));

test('invalid_input names the field, for core checks and for JS conversion', async () => {
  let e = await thrown(() => cb.redtrustLoginUrl(CONFIG, { partner: 'bad name', hmacKey: 'k', redirectUrl: 'https://a.example/' }, 0));
  assert.deepEqual(pick(e, ['kind', 'field', 'code', 'status']), { kind: 'invalid_input', field: 'partner', code: undefined, status: undefined });
  assert.match(e.reason, /letters, digits/);
  e = await thrown(() => cb.redtrustLoginUrl({ server: 'ftp://x' }, { partner: 'P', hmacKey: 'k', redirectUrl: 'https://a.example/' }));
  assert.equal(e.field, 'server');
  e = await thrown(() => cb.redtrustLoginUrl({ ...CONFIG, compat: 'v9' }, { partner: 'P', hmacKey: 'k', redirectUrl: 'https://a.example/' }));
  assert.equal(e.field, 'compat');
  e = await thrown(() => cb.redtrustLoginUrl(CONFIG, { partner: 'P', redirectUrl: 'https://a.example/' }));
  assert.equal(e.field, 'hmac_key');
  e = await thrown(() => cb.redtrustCreateCsrRequest(CONFIG, SESSION, { dn: [{ attribute: 'cn', value: 'x' }], keyLength: 1024 }));
  assert.equal(e.field, 'key_length');
  e = await thrown(() => cb.redtrustParseFinalize({ status: 200, body: '' }, 42));
  assert.equal(e.field, 'compat');
  e = await thrown(() => cb.redtrustCreateCsrRequest(CONFIG, SESSION, { dn: [], bogus: 1 }));
  assert.equal(e.field, 'request');
  e = await thrown(() => cb.redtrustParseSession({ status: 'ok' }));
  assert.equal(e.field, 'response.status');
  e = await thrown(() => cb.redtrustParseSession({ status: 200, body: 42 }));
  assert.equal(e.field, 'response.body');
  e = await thrown(() => cb.redtrustParseSession({ status: 200, headers: [['a']], body: '' }));
  assert.equal(e.field, 'response.headers');
  e = await thrown(() => cb.thumbprintSha1('not a certificate'));
  assert.equal(e.field, 'certificate');
  e = await thrown(() => new cb.RedtrustClient({ ...CONFIG, username: 'u' }));
  assert.equal(e.field, 'password');
  e = await thrown(() => new cb.RedtrustClient({ ...CONFIG, transport: 'fetch' }));
  assert.equal(e.field, 'transport');
  e = await thrown(() => new cb.RedtrustClient({ ...CONFIG, session: { accessToken: 'a', expiresAt: -1 } }));
  assert.equal(e.field, 'session.expires_at');
});

test('http_status carries status and context', async () => {
  const e = await thrown(() => cb.redtrustParseSession({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>502 Bad Gateway</html>' }));
  assert.deepEqual(pick(e, ['kind', 'status', 'context', 'code', 'field']), {
    kind: 'http_status', status: 502, context: 'redtrust login', code: undefined, field: undefined,
  });
  assert.match(e.message, /502 Bad Gateway/);
});

test('provider carries code, status, provider and details', async () => {
  const body = JSON.stringify({ message: 'User locked', messageType: 'ERROR', errorCode: 'USER_LOCKED', data: null });
  const e = await thrown(() => cb.redtrustParseSession({ status: 400, body }));
  assert.deepEqual(pick(e, ['kind', 'code', 'status', 'provider', 'details']), {
    kind: 'provider', code: 'USER_LOCKED', status: 400, provider: 'redtrust', details: { provider: 'redtrust', messageType: 'ERROR' },
  });
  assert.match(e.message, /User locked/);
});

test('auth carries code and reason', async () => {
  let e = await thrown(() => cb.redtrustParseSession({ status: 401, body: '{"messageType":"ERROR","errorCode":"TOKEN_EXPIRED"}' }));
  assert.deepEqual(pick(e, ['kind', 'code', 'reason']), { kind: 'auth', code: 'TOKEN_EXPIRED', reason: 'expired' });
  e = await thrown(() => cb.redtrustRefreshRequest(CONFIG, SESSION));
  assert.deepEqual(pick(e, ['kind', 'reason']), { kind: 'auth', reason: 'no_refresh_token' });
});

test('protocol carries the operation', async () => {
  const e = await thrown(() => cb.redtrustParseCreateCsr({ status: 200, body: '{"messageType":"SUCCESS","data":{"csr":"MAMCAQU="}}' }));
  assert.deepEqual(pick(e, ['kind', 'context']), { kind: 'protocol', context: 'redtrust csr/create' });
  assert.match(e.reason, /requestCode/);
});

const client = (transport) => new cb.RedtrustClient({ ...CONFIG, username: 'u', password: 'p', transport, maxRetries: 0 });

test('transport: a rejected transport promise, and a thrown one', async () => {
  let e = await thrown(() => client(async () => { throw new Error('ECONNREFUSED 10.0.0.1:8082'); }).login());
  assert.equal(e.kind, 'transport');
  assert.match(e.message, /ECONNREFUSED/);
  e = await thrown(() => client(() => { throw new TypeError('sync failure'); }).login());
  assert.equal(e.kind, 'transport');
  e = await thrown(() => client(async () => ({ status: 200, body: {} })).login());
  assert.deepEqual(pick(e, ['kind', 'field']), { kind: 'invalid_input', field: 'response.body' });
});

test('timeout: a transport that gave up with AbortSignal.timeout()', async () => {
  const e = await thrown(() => client(async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    signal.throwIfAborted();
  }).login());
  assert.equal(e.kind, 'timeout');
});

test('cancelled: a transport whose request was aborted', async () => {
  const e = await thrown(() => client(async () => {
    const controller = new AbortController();
    controller.abort();
    controller.signal.throwIfAborted();
  }).login());
  assert.equal(e.kind, 'cancelled');
});

// ---- SwissSign, ACME, IdenTrust and crypto ----

const SS = { baseUrl: 'https://ra.example', token: 'jwt' };
const ORDER = 'ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b';

test('invalid_input from the SwissSign, ACME and crypto surface names the field', async () => {
  let e = await thrown(() => cb.swissSignGetClientRequest(SS, ORDER));
  assert.deepEqual(pick(e, ['kind', 'field']), { kind: 'invalid_input', field: 'client_reference' });
  e = await thrown(() => cb.swissSignOrderStatusRequest({ baseUrl: 'ftp://x', token: 't' }, ORDER));
  assert.equal(e.field, 'base_url');
  e = await thrown(() => cb.swissSignOrderStatusRequest({ ...SS, token: ' ' }, ORDER));
  assert.equal(e.field, 'token');
  e = await thrown(() => cb.swissSignDomainRequest(SS, 'cld-a45daaf0-78f8-49e9-83e9-3584f673c6e0', 'explode'));
  assert.equal(e.field, 'action');
  e = await thrown(() => cb.swissSignIssueRequest(SS, { productReference: 'pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed', sinchronous: true }));
  assert.equal(e.field, 'request');
  e = await thrown(() => cb.swissSignRevokeRequest(SS, []));
  assert.equal(e.field, 'certificates');
  e = await thrown(() => new cb.SwissSignClient({ baseUrl: 'https://ra.example' }));
  assert.equal(e.field, 'session');
  e = await thrown(() => cb.generateKey('dsa-1024'));
  assert.equal(e.field, 'kind');
  e = await thrown(() => cb.acmeEabKey({ kid: 'k', hmacKey: 'not base64 !' }));
  assert.equal(e.kind, 'invalid_input');
  e = await thrown(() => cb.acmeNewOrderRequest(cb.generateAccountKey(), 'https://ca/acct/1', 'https://ca/new-order', 'n', { identifiers: [] }));
  assert.equal(e.field, 'identifiers');
  e = await thrown(() => cb.acmeRevokeRequest(cb.generateAccountKey(), undefined, 'https://ca/revoke', 'x', 11, 'n'));
  assert.equal(e.field, 'reason');
  e = await thrown(() => cb.AcmeClient.connect('https://ca.example/dir', cb.generateAccountKey(), { solver: {} }));
  assert.equal(e.field, 'solver');
  e = await thrown(() => new cb.IdenTrustClient({ resellerBase: 'https://r.example', apiKey: 'k' }));
  assert.equal(e.field, 'acme_base');
});

test('provider errors of SwissSign and ACME carry code, details and retryable', async () => {
  let e = await thrown(() => cb.swissSignParseOrder({
    status: 400,
    body: JSON.stringify({ uuid: 'c0ffee', errorCode: '011.351.0226', errorMessages: ['order not found'] }),
  }));
  assert.deepEqual(pick(e, ['kind', 'code', 'status', 'provider', 'correlationId', 'retryable']), {
    kind: 'provider', code: '011.351.0226', status: 400, provider: 'swisssign', correlationId: 'c0ffee', retryable: false,
  });
  assert.equal(e.details.provider, 'swisssign');
  assert.deepEqual(e.details.messages, ['order not found']);
  e = await thrown(() => cb.acmeParseOrder({
    status: 429,
    headers: [['Content-Type', 'application/problem+json'], ['Retry-After', '30']],
    body: JSON.stringify({ type: 'urn:ietf:params:acme:error:rateLimited', detail: 'slow down' }),
  }, 1_000_000, 'https://ca/order/1'));
  assert.deepEqual(pick(e, ['kind', 'code', 'status', 'provider', 'retryable', 'retryAfter']), {
    kind: 'provider', code: 'urn:ietf:params:acme:error:rateLimited', status: 429, provider: 'acme', retryable: true, retryAfter: 1_030_000,
  });
  assert.deepEqual(e.details, { provider: 'acme', problemType: 'urn:ietf:params:acme:error:rateLimited', detail: 'slow down', subproblems: [] });
});

test('auth from SwissSign: a refused JWT', async () => {
  const e = await thrown(() => cb.swissSignParseOrder({ status: 401, body: '' }));
  assert.equal(e.kind, 'auth');
});

test('crypto: a JWS that does not verify with the key', async () => {
  const a = cb.generateAccountKey();
  const b = cb.generateAccountKey();
  const r = cb.acmeSignedRequest(a, undefined, 'https://ca/x', 'nonce', { hello: 1 });
  const jws = JSON.parse(new TextDecoder().decode(r.body));
  assert.deepEqual(cb.acmeVerifyJws(jws, a).payload, { hello: 1 });
  const e = await thrown(() => cb.acmeVerifyJws(jws, b));
  assert.equal(e.kind, 'crypto');
});

test('protocol: a challenge solver that fails stops issuance with its message', async () => {
  // A scripted ACME server: directory, nonce, account, order with one
  // pending http-01 authorization; the solver then throws.
  const base = 'https://ca.example';
  const dir = { newNonce: `${base}/nonce`, newAccount: `${base}/acct`, newOrder: `${base}/order`, revokeCert: `${base}/revoke`, keyChange: `${base}/kc` };
  const nonce = [['Replay-Nonce', 'n1']];
  const transport = async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/dir') return { status: 200, body: JSON.stringify(dir) };
    if (path === '/nonce') return { status: 200, headers: nonce };
    if (path === '/acct') return { status: 201, headers: [...nonce, ['Location', `${base}/acct/1`]], body: '{"status":"valid"}' };
    if (path === '/order') {
      return {
        status: 201,
        headers: [...nonce, ['Location', `${base}/order/1`]],
        body: JSON.stringify({ status: 'pending', identifiers: [{ type: 'dns', value: 'x.example' }], authorizations: [`${base}/authz/1`], finalize: `${base}/fin` }),
      };
    }
    if (path === '/authz/1') {
      return {
        status: 200,
        headers: nonce,
        body: JSON.stringify({ status: 'pending', identifier: { type: 'dns', value: 'x.example' }, challenges: [{ type: 'http-01', url: `${base}/ch/1`, status: 'pending', token: 'tok' }] }),
      };
    }
    return { status: 404, body: '' };
  };
  const acme = await cb.AcmeClient.connect(`${base}/dir`, cb.generateAccountKey(), {
    transport,
    maxRetries: 0,
    solver: { publish: async () => { throw new Error('DNS API down'); } },
  });
  const csr = cb.buildCsr(cb.generateKey(), { dnsNames: ['x.example'] });
  const e = await thrown(() => acme.issueFor(['x.example'], csr.der));
  assert.equal(e.kind, 'protocol');
  assert.match(e.message, /DNS API down/);
});
