// The package in a real browser: headless Debian Chromium driven by
// playwright-core loads page.html from a loopback server.
import { test } from 'node:test';
import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadCases } from '../vectors.js';
import { ARGS, CHROMIUM } from './chromium.js';
import { start } from './server.js';
import { checkKeyCsrAndSwissSign } from './checks.js';
import { startSim } from '../support/peers.js';


test('Chromium: login URL, redirect parsing, errors, a fetch login, key + CSR, SwissSign issuance over CORS', async () => {
  const cases = loadCases();
  const loginCase = cases.find((c) => c.name === 'redtrust/login-url/v4.33-example-shape');
  const redirectCase = cases.find((c) => c.name === 'redtrust/redirect/plain');
  assert.ok(loginCase && redirectCase, 'vectors missing');

  // The simulator speaks plain HTTP on loopback: no certificate to trust,
  // and a real cross-origin peer for the page (CORS preflights included).
  const sim = await startSim();
  const { server, logins, origin } = await start();
  const profile = mkdtempSync(join(tmpdir(), 'certbridge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  });
  try {
    const page = await context.newPage();
    const console = [];
    page.on('console', (m) => console.push(m.text()));
    page.on('pageerror', (e) => console.push(String(e)));
    const input = JSON.stringify({
      loginUrl: loginCase.input,
      redirect: redirectCase.input.url,
      sim: sim.url,
      account: 'service.account',
      apiKey: 'n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w',
    });
    await page.goto(`${origin}/tests/browser/page.html?input=${encodeURIComponent(input)}`);
    await page
      .waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 })
      .catch((e) => assert.fail(`${e.message}\n${console.join('\n')}`));
    const result = await page.evaluate(() => window.__result);
    assert.equal(result.failure, undefined, `${result.failure}\n${console.join('\n')}`);

    const expected = loginCase.expect.request;
    assert.deepEqual(result.loginUrl, { method: expected.method, url: expected.url, headers: expected.headers, bodyLength: 0 });
    assert.equal(result.token, redirectCase.expect.value.temporal_token);
    assert.deepEqual(result.error, { name: 'CertbridgeError', kind: 'invalid_input', field: 'redirect', isError: true, guard: true });
    assert.deepEqual(result.session, { accessToken: 'browser-token', expiresAt: 4070908800000 });
    assert.deepEqual(logins, [{ contentType: 'application/json', body: '{"username":"app","password":"pw"}' }]);
    assert.ok(result.clockSkewSecs <= 2, `Date.now() clock off by ${result.clockSkewSecs}s`);

    checkKeyCsrAndSwissSign(result, 'browser.example');
  } finally {
    sim.stop();
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('Chromium: the example page (examples/web) issues a SwissSign certificate', async () => {
  const sim = await startSim();
  const { server, origin } = await start();
  const profile = mkdtempSync(join(tmpdir(), 'certbridge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/examples/web/`);
    await page.fill('#ss-name', 'example-page.example');
    await page.click('#ss-csr');
    assert.match(await page.textContent('#ss-csr-out'), /ec-p256 key generated in the page\n\n-----BEGIN CERTIFICATE REQUEST-----/);
    await page.fill('#ss-base', sim.url);
    await page.click('#ss-form button');
    await page.waitForFunction(() => /-----END CERTIFICATE-----|error/i.test(document.getElementById('ss-log').textContent + document.getElementById('ss-log').className), null, { timeout: 60_000 });
    const log = await page.textContent('#ss-log');
    assert.equal(await page.getAttribute('#ss-log', 'class'), '', log);
    assert.match(log, /domain validated: true/);
    assert.match(log, /order ord-[0-9a-f-]{36}: ISSUED/);
    assert.match(log, /SANs: example-page\.example/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
    sim.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});

// Issue 14 items 3 and 6 in a browser: fetch's default would follow the 307
// (re-sending the password to another origin); the body must be capped.
test('Chromium: the fetch transport follows no redirect and caps an endless body', async () => {
  const sim = await startSim();
  const elsewhere = [];
  const other = createServer((req, res) => {
    elsewhere.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' });
    res.end('{}');
  });
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherUrl = `http://127.0.0.1:${other.address().port}`;
  const faults = await fetch(`${sim.url}/sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { path_prefix: '/raapi/v1/auth/login', fault: 'redirect', location: `${otherUrl}/steal`, count: 1 },
      { path_prefix: '/raapi/v1/auth/login', fault: 'endless_body', count: 1 },
    ]),
  });
  assert.ok(faults.ok, await faults.text());
  const { server, origin } = await start();
  const profile = mkdtempSync(join(tmpdir(), 'certbridge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    const console = [];
    page.on('console', (m) => console.push(m.text()));
    page.on('pageerror', (e) => console.push(String(e)));
    const input = JSON.stringify({ sim: sim.url });
    await page.goto(`${origin}/tests/browser/transport.html?input=${encodeURIComponent(input)}`);
    await page
      .waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 })
      .catch((e) => assert.fail(`${e.message}\n${console.join('\n')}`));
    const result = await page.evaluate(() => window.__result);
    assert.equal(result.failure, undefined, `${result.failure}\n${console.join('\n')}`);
    assert.equal(result.redirect.guard, true, JSON.stringify(result.redirect));
    assert.equal(result.redirect.kind, 'protocol', JSON.stringify(result.redirect));
    assert.match(result.redirect.reason, /redirect, which certbridge does not follow/);
    assert.equal(result.endless.kind, 'protocol', JSON.stringify(result.endless));
    assert.match(result.endless.reason, /exceeds the 4194304-byte limit/);
    assert.deepEqual(elsewhere, []);
    const log = await (await fetch(`${sim.url}/sim/requests`)).json();
    assert.deepEqual(log.filter((e) => e.fault).map((e) => e.fault), ['redirect', 'endless_body']);
  } finally {
    await context.close();
    server.close();
    other.close();
    sim.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});
