// RedtrustClient through a custom JS transport (exact requests on the wire)
// and through the default fetch transport against a loopback server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { RedtrustClient, isCertbridgeError } from 'certbridge';
import { CREATE_BODY, DN, JSON_HEADERS, SERVER, bearer, ok } from './support/redtrust.js';

/** A transport that checks each request against a script and answers it. */
function scripted(steps) {
  const seen = [];
  const transport = async (request) => {
    const step = steps[seen.length];
    assert.ok(step, `unexpected request ${request.method} ${request.url}`);
    assert.ok(request.body instanceof Uint8Array);
    const got = { method: request.method, url: request.url, headers: request.headers, body: new TextDecoder().decode(request.body) };
    seen.push(got);
    assert.deepEqual(got, { body: '', ...step.expect });
    return typeof step.answer === 'function' ? step.answer() : step.answer;
  };
  return { transport, seen };
}

const EXPIRES = Date.parse('2099-01-01T00:00:00Z');

test('full issuance: login, csr/create, csr/finalize (one 503 retried), logout', async () => {
  const { transport, seen } = scripted([
    {
      expect: { method: 'POST', url: `${SERVER}/raapi/v1/auth/login`, headers: JSON_HEADERS, body: '{"username":"app","password":"pw"}' },
      answer: ok({ accessToken: 'acc-1', refreshToken: 'ref-1', expiration: '2099-01-01T00:00:00Z' }),
    },
    {
      expect: { method: 'POST', url: `${SERVER}/raapi/v1/csr/create`, headers: bearer('acc-1'), body: CREATE_BODY },
      answer: ok({ requestCode: 'RC-1', csr: 'MAMCAQU=' }),
    },
    {
      expect: { method: 'PUT', url: `${SERVER}/raapi/v1/csr/finalize`, headers: bearer('acc-1'), body: '{"provider":"CAMERFIRMA","requestCode":"RC-1"}' },
      answer: { status: 503, headers: [], body: 'busy' },
    },
    {
      expect: { method: 'PUT', url: `${SERVER}/raapi/v1/csr/finalize`, headers: bearer('acc-1'), body: '{"provider":"CAMERFIRMA","requestCode":"RC-1"}' },
      answer: ok({ idCertificate: 77, thumbprint: 'abcdef0123456789abcdef0123456789abcdef01' }),
    },
    {
      expect: { method: 'DELETE', url: `${SERVER}/raapi/v1/auth/logout`, headers: bearer('acc-1') },
      answer: ok({}),
    },
  ]);
  const client = new RedtrustClient({ server: SERVER, username: 'app', password: 'pw', transport });
  assert.equal(client.session, undefined);
  const started = Date.now();
  const issued = await client.issue({ dn: DN });
  // The retry slept through setTimeout for the default first backoff (200 ms).
  assert.ok(Date.now() - started >= 150, `retried after ${Date.now() - started} ms`);
  assert.deepEqual(issued, {
    requestCode: 'RC-1',
    csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQU=\n-----END CERTIFICATE REQUEST-----\n',
    idCertificate: '77',
    thumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
  });
  assert.deepEqual(client.session, { accessToken: 'acc-1', refreshToken: 'ref-1', expiresAt: EXPIRES });
  await client.logout();
  assert.equal(client.session, undefined);
  assert.equal(seen.length, 5);
});

test('renewal from a stored session sends thumbprintToRenew and no login', async () => {
  const { transport, seen } = scripted([
    {
      expect: {
        method: 'POST',
        url: `${SERVER}/raapi/v1/csr/create`,
        headers: bearer('stored'),
        body: '{"dn":[{"attribute":"cn","value":"John Doe"},{"attribute":"o","value":"Example"},{"attribute":"c","value":"ES"}],"hashType":"SHA384","keyLength":2048,"keyType":"RSA","provider":"CAMERFIRMA","thumbprintToRenew":"ABCDEF0123456789ABCDEF0123456789ABCDEF01"}',
      },
      answer: ok({ requestCode: 'RC-2', csr: 'MAMCAQU=' }),
    },
    {
      expect: { method: 'PUT', url: `${SERVER}/raapi/v1/csr/finalize`, headers: bearer('stored'), body: '{"provider":"CAMERFIRMA","requestCode":"RC-2"}' },
      answer: ok({ idCertificate: 'C-2', thumbprint: '0123456789abcdef0123456789abcdef01234567' }),
    },
  ]);
  const client = new RedtrustClient({
    server: SERVER,
    session: { accessToken: 'stored', refreshToken: 'r', expiresAt: EXPIRES },
    transport,
  });
  const issued = await client.renew('ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01', { dn: DN });
  assert.equal(issued.idCertificate, 'C-2');
  assert.equal(issued.thumbprint, '0123456789ABCDEF0123456789ABCDEF01234567');
  assert.equal(seen.length, 2);
});

test('HMAC login: login URL at Date.now(), then the redirect exchanged (v4.33 GET)', async () => {
  const { transport } = scripted([
    {
      expect: { method: 'GET', url: `${SERVER}/authapi/v1/login_by_temp_token`, headers: JSON_HEADERS, body: '{"temporalToken":"TEMP+1"}' },
      answer: ok({ accessToken: 'a2', expiration: 4070908800 }),
    },
  ]);
  const client = new RedtrustClient({ server: SERVER, compat: 'v4.33', transport });
  const before = Math.floor(Date.now() / 1000);
  const url = client.loginUrl({ partner: 'ca_demo', hmacKey: 'k', redirectUrl: 'https://app.example/cb' });
  const ts = Number(new URL(url.url).searchParams.get('timestamp'));
  assert.ok(ts >= before && ts <= before + 2, `timestamp ${ts} is not now`);
  assert.equal(new URL(url.url).searchParams.get('partner'), 'CA_DEMO');
  const session = await client.loginWithRedirect('https://app.example/cb?tkn=TEMP%2B1');
  assert.deepEqual(session, { accessToken: 'a2', expiresAt: 4070908800000 });
});

test('a refused refresh falls back to the stored password', async () => {
  const { transport, seen } = scripted([
    {
      expect: { method: 'PUT', url: `${SERVER}/raapi/v1/auth/refresh-token`, headers: bearer('old'), body: '{"refreshToken":"r-old"}' },
      answer: { status: 401, headers: [], body: '{"messageType":"ERROR","errorCode":"TOKEN_EXPIRED","message":"expired"}' },
    },
    {
      expect: { method: 'POST', url: `${SERVER}/raapi/v1/auth/login`, headers: JSON_HEADERS, body: '{"username":"app","password":"pw"}' },
      answer: ok({ accessToken: 'new', expiration: '2099-01-01T00:00:00Z' }),
    },
    {
      expect: { method: 'POST', url: `${SERVER}/raapi/v1/csr/create`, headers: bearer('new'), body: CREATE_BODY },
      answer: ok({ requestCode: 'RC-3', csr: 'MAMCAQU=' }),
    },
  ]);
  const client = new RedtrustClient({
    server: SERVER,
    username: 'app',
    password: 'pw',
    session: { accessToken: 'old', refreshToken: 'r-old', expiresAt: 1000 },
    transport,
  });
  const created = await client.createCsr({ dn: DN });
  assert.deepEqual(created, { requestCode: 'RC-3', csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQU=\n-----END CERTIFICATE REQUEST-----\n' });
  assert.equal(seen.length, 3);
});

/** A loopback HTTP server answering with `handler`. */
async function loopback(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

test('the default transport is fetch: a real HTTP login against a loopback server', async () => {
  const requests = [];
  const { server, base } = await loopback((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url === '/raapi/v1/auth/login') {
        res.end(JSON.stringify({ messageType: 'SUCCESS', data: { accessToken: 'tok', refreshToken: 'ref' } }));
      } else {
        res.end(JSON.stringify({ messageType: 'SUCCESS', data: {} }));
      }
    });
  });
  try {
    const client = new RedtrustClient({ server: base, username: 'app', password: 'pw' });
    const session = await client.login();
    assert.deepEqual(session, { accessToken: 'tok', refreshToken: 'ref' });
    await client.logout();
    assert.deepEqual(requests, [
      { method: 'POST', url: '/raapi/v1/auth/login', auth: undefined, type: 'application/json', body: '{"username":"app","password":"pw"}' },
      { method: 'DELETE', url: '/raapi/v1/auth/logout', auth: 'Bearer tok', type: 'application/json', body: '' },
    ]);
  } finally {
    server.close();
  }
});

test('the default transport reports a refused connection as kind transport', async () => {
  const { server, base } = await loopback(() => {});
  await new Promise((resolve) => server.close(resolve));
  const client = new RedtrustClient({ server: base, username: 'app', password: 'pw', maxRetries: 0 });
  await assert.rejects(client.login(), (e) => isCertbridgeError(e) && e.kind === 'transport');
});

// Issue 14 item 6: fetch's default `redirect: "follow"` re-sent the login
// body to whatever origin a 307 named. The second server must see nothing.
test('the default transport does not follow a 307: the login body never reaches the other origin', async () => {
  const elsewhere = [];
  const other = await loopback((req, res) => {
    elsewhere.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
  const { server, base } = await loopback((req, res) => {
    res.writeHead(307, { Location: `${other.base}/steal` });
    res.end();
  });
  try {
    const client = new RedtrustClient({ server: base, username: 'app', password: 'pw', maxRetries: 0 });
    await assert.rejects(client.login(), (e) => {
      assert.ok(isCertbridgeError(e), String(e));
      // Node hands back the 307 itself, as the native transport does.
      assert.equal(e.kind, 'http_status', e.message);
      assert.equal(e.status, 307);
      return true;
    });
    assert.deepEqual(elsewhere, []);
  } finally {
    server.close();
    other.server.close();
  }
});

// Issue 14 item 3: an endless body is read up to the limit, then refused.
test('the default transport stops reading an endless body at maxResponseBytes', async () => {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 32);
  const { server, base } = await loopback((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('error', () => {});
    pump();
  });
  const announced = await loopback((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(10 * 1024 * 1024 * 1024) });
    res.on('error', () => {});
    res.write('{');
  });
  try {
    for (const [options, limit] of [[{}, 4194304], [{ maxResponseBytes: 100000 }, 100000]]) {
      const client = new RedtrustClient({ server: base, username: 'app', password: 'pw', maxRetries: 0, ...options });
      await assert.rejects(client.login(), (e) => {
        assert.ok(isCertbridgeError(e), String(e));
        assert.equal(e.kind, 'protocol', e.message);
        assert.match(e.reason, new RegExp(`exceeds the ${limit}-byte limit`));
        assert.match(e.context, /^POST http:\/\/127\.0\.0\.1:\d+\/raapi\/v1\/auth\/login$/);
        return true;
      });
    }
    assert.ok(sent < 256 * 1024 * 1024, `${sent} bytes sent`);
    // A Content-Length over the limit is refused before the body arrives.
    const client = new RedtrustClient({ server: announced.base, username: 'app', password: 'pw', maxRetries: 0 });
    await assert.rejects(client.login(), (e) => isCertbridgeError(e) && e.kind === 'protocol' && /byte limit/.test(e.reason));
  } finally {
    server.closeAllConnections?.();
    server.close();
    announced.server.closeAllConnections?.();
    announced.server.close();
  }
});
