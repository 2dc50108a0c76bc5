// SwissSignClient through a scripted JS transport: the JWT fetched with a
// user secret, renewed once after a 401, and the exact requests on the wire
// (the order-status request is the shared vector's, with our JWT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cb from 'certbridge';
import { loadCases } from './vectors.js';

const BASE = 'https://ra.example';
const ORDER = 'ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b';
const cases = loadCases();
const statusRequest = cases.find((c) => c.op === 'swisssign.order_status' && !c.response && c.input.token).expect.request;
const statusAnswer = cases.find((c) => c.op === 'swisssign.order_status' && c.response && c.expect.value);

function answer(r) {
  return { status: r.status, headers: r.headers ?? [], body: r.body ?? JSON.stringify(r.body_json) };
}

test('user secret: JWT from /v2/jwt, renewed once after a 401, exact requests', async () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const tokens = [cb.jwtHs256({ sub: 'svc', exp }, 'k1'), cb.jwtHs256({ sub: 'svc', exp, n: 2 }, 'k2')];
  const seen = [];
  const jwtCall = {
    method: 'POST',
    url: `${BASE}/v2/jwt/svc%20user`,
    headers: [['Accept', 'text/plain, application/json'], ['Content-Type', 'application/x-www-form-urlencoded']],
    body: 'userSecret=s%26cret%3D',
  };
  const status = (token) => ({
    method: 'POST',
    url: `${BASE}${new URL(statusRequest.url).pathname}`,
    headers: statusRequest.headers.map(([n, v]) => [n, n === 'Authorization' ? `Bearer ${token}` : v]),
    body: statusRequest.body ?? '',
  });
  const script = [
    [jwtCall, { status: 200, headers: [['Content-Type', 'text/plain']], body: tokens[0] }],
    [status(tokens[0]), { status: 401, body: '' }],
    [jwtCall, { status: 200, headers: [['Content-Type', 'application/json']], body: JSON.stringify(tokens[1]) }],
    [status(tokens[1]), answer(statusAnswer.response)],
  ];
  const transport = async (r) => {
    const got = { method: r.method, url: r.url, headers: r.headers, body: new TextDecoder().decode(r.body) };
    const step = script[seen.length];
    seen.push(got);
    assert.ok(step, `unexpected ${r.method} ${r.url}`);
    assert.deepEqual(got, step[0]);
    return step[1];
  };
  const client = new cb.SwissSignClient({ baseUrl: BASE, userName: 'svc user', userSecret: 's&cret=', transport });
  assert.equal(await client.orderStatus(ORDER), statusAnswer.expect.value);
  assert.equal(seen.length, 4);
});

test('a fixed token is not renewed: the 401 is the caller\'s auth error', async () => {
  const token = cb.jwtHs256({ sub: 'svc', exp: Math.floor(Date.now() / 1000) + 3600 }, 'k');
  let calls = 0;
  const client = new cb.SwissSignClient({
    baseUrl: BASE,
    token,
    transport: async (r) => {
      calls += 1;
      assert.deepEqual(r.headers.find(([n]) => n === 'Authorization'), ['Authorization', `Bearer ${token}`]);
      return { status: 401, body: '' };
    },
  });
  await assert.rejects(client.orderStatus(ORDER), (e) => cb.isCertbridgeError(e) && e.kind === 'auth');
  assert.equal(calls, 1);
});

test('an API key signs the JWT locally: no /v2/jwt call, the bearer verifies with the key', async () => {
  const key = 'n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w';
  const bearers = [];
  const client = new cb.SwissSignClient({
    baseUrl: BASE,
    account: 'service.account',
    apiKey: key,
    transport: async (r) => {
      assert.ok(!r.url.includes('/v2/jwt'));
      bearers.push(r.headers.find(([n]) => n === 'Authorization')[1].slice('Bearer '.length));
      return answer(statusAnswer.response);
    },
  });
  await client.orderStatus(ORDER);
  await client.orderStatus(ORDER);
  assert.equal(bearers.length, 2);
  assert.equal(bearers[0], bearers[1], 'the JWT is reused while fresh');
  const claims = cb.jwtVerifyHs256(bearers[0], key);
  assert.equal(claims.sub, 'service.account');
});
