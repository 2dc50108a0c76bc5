// Every error kind reachable through the JS API arrives as an `Error` named
// CertbridgeError with the core's stable kind, code, field and status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cb from '../index.node.js';

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
