// The installed package through the bundlers apps use, each bundle loaded
// in headless Chromium (Debian's, driven by playwright-core) making a key
// and a CSR and running a SwissSign issuance against the simulator over
// CORS (issue.js). Every app is a plain directory inside the consumer
// project (scripts/bindings-wasm.sh test runs this from it), importing
// `certbridge` by name with no bundler configuration beyond entry and
// output, except where noted:
// - Vite 7: `vite build` output served statically, and the dev server;
// - webpack 5: production mode (tree shaking and `sideEffects` applied), the
//   .wasm emitted as an asset from `new URL(..., import.meta.url)`;
// - Vite's dev server pre-bundles dependencies into node_modules/.vite,
//   away from the .wasm beside the package's entry, so the app excludes the
//   package from that step (`optimizeDeps: { exclude: ['certbridge'] }`,
//   as the README says; `vite build` needs nothing);
// - esbuild: it leaves `new URL(..., import.meta.url)` alone, so the app
//   copies the .wasm next to the bundle (pkg/certbridge_wasm_bg.wasm), as
//   the package README says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSim } from '../support/peers.js';
import { ARGS, CHROMIUM } from './chromium.js';
import { start } from './server.js';
import { checkKeyCsrAndSwissSign } from './checks.js';

const require = createRequire(import.meta.url);
const INSTALLED = dirname(require.resolve('certbridge/package.json'));
const ISSUE_JS = fileURLToPath(new URL('./issue.js', import.meta.url));
// The consumer project: its node_modules holds the installed certbridge.
const PROJECT = process.cwd();

let sim;
let context;
let profile;
const cleanups = [];

before(async () => {
  sim = await startSim();
  profile = mkdtempSync(join(tmpdir(), 'certbridge-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
});

after(async () => {
  await context?.close();
  sim?.stop();
  for (const c of cleanups.reverse()) await c();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A fresh app directory in the project: main.js imports the package by
 * name and runs issue.js; index.html loads `script`. */
function app(name, script) {
  const dir = mkdtempSync(join(PROJECT, `app-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(ISSUE_JS, join(dir, 'issue.js'));
  writeFileSync(join(dir, 'main.js'), `import * as cb from 'certbridge';
import { keyCsrAndSwissSign } from './issue.js';
const input = JSON.parse(new URLSearchParams(location.search).get('input'));
try {
  window.__result = await keyCsrAndSwissSign(cb, input, input.name);
} catch (e) {
  window.__result = { failure: \`\${e.name}: \${e.message}\\n\${e.stack ?? ''}\` };
}
`);
  writeFileSync(join(dir, 'index.html'), `<!doctype html>\n<meta charset="utf-8">\n<title>${name}</title>\n${script}\n`);
  return dir;
}

async function serve(dir) {
  const { server, origin } = await start(0, [['/', dir + sep]]);
  cleanups.push(() => new Promise((r) => server.close(r)));
  return origin;
}

/** Loads the app's page and checks what the page did. */
async function runPage(origin, name) {
  const page = await context.newPage();
  const log = [];
  const wasm = [];
  page.on('console', (m) => log.push(m.text()));
  let failed;
  const pageError = new Promise((resolve) => { failed = resolve; });
  page.on('pageerror', (e) => { log.push(String(e)); failed(e); });
  page.on('response', (r) => { if (/\.wasm(\?|$)/.test(r.url())) wasm.push({ url: r.url(), type: r.headers()['content-type'] }); });
  const input = { sim: sim.url, account: 'service.account', apiKey: 'n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w', name };
  try {
    await page.goto(`${origin}/index.html?input=${encodeURIComponent(JSON.stringify(input))}`);
    // An error outside main.js's try (the package's import itself) ends the
    // wait at once instead of at the timeout.
    await Promise.race([
      page.waitForFunction(() => window.__result !== undefined, null, { timeout: 90_000 }),
      pageError.then((e) => { throw e; }),
    ]).catch((e) => assert.fail(`${e.message}\n${log.join('\n')}`));
    const result = await page.evaluate(() => window.__result);
    assert.equal(result.failure, undefined, `${result.failure}\n${log.join('\n')}`);
    checkKeyCsrAndSwissSign(result, name);
    assert.equal(wasm.length, 1, `one .wasm fetched: ${JSON.stringify(wasm)}`);
    return wasm[0];
  } finally {
    await page.close();
  }
}

const MODULE = '<script type="module" src="./main.js"></script>';

test('Vite build: bundle served statically, key + CSR and a SwissSign issuance in Chromium', async () => {
  const { build } = await import('vite');
  const dir = app('vite-build', MODULE);
  const out = join(dir, 'dist');
  await build({ root: dir, logLevel: 'warn', configFile: false, build: { outDir: out, emptyOutDir: true } });
  const assets = readdirSync(join(out, 'assets'));
  assert.ok(assets.some((f) => /\.wasm$/.test(f)), `the .wasm is an asset: ${assets}`);
  const wasm = await runPage(await serve(out), 'vite-build.example');
  assert.match(wasm.url, /\/assets\/certbridge_wasm_bg-[\w-]+\.wasm$/);
});

test('Vite dev server: key + CSR and a SwissSign issuance in Chromium', async () => {
  const { createServer } = await import('vite');
  const dir = app('vite-dev', MODULE);
  const server = await createServer({
    root: dir, logLevel: 'warn', configFile: false, server: { host: '127.0.0.1', port: 0, strictPort: false },
    optimizeDeps: { exclude: ['certbridge'] },
  });
  cleanups.push(() => server.close());
  await server.listen();
  const origin = server.resolvedUrls.local[0].replace(/\/$/, '');
  await runPage(origin, 'vite-dev.example');
});

test('webpack 5 (production): key + CSR and a SwissSign issuance in Chromium', async () => {
  const webpack = require('webpack');
  const dir = app('webpack', '<script src="./main.js"></script>');
  const out = join(dir, 'dist');
  const stats = await new Promise((resolve, reject) => {
    webpack({
      mode: 'production', context: dir, entry: './main.js', target: 'web',
      output: { path: out, filename: 'main.js', publicPath: 'auto' },
      performance: { hints: false },
    }, (err, s) => (err ? reject(err) : resolve(s)));
  });
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  copyFileSync(join(dir, 'index.html'), join(out, 'index.html'));
  const wasm = await runPage(await serve(out), 'webpack.example');
  assert.match(wasm.url, /\/[0-9a-f]+\.wasm$/, 'webpack emitted the .wasm as a hashed asset');
});

test('esbuild: key + CSR and a SwissSign issuance in Chromium', async () => {
  const esbuild = await import('esbuild');
  const dir = app('esbuild', MODULE);
  const out = join(dir, 'dist');
  await esbuild.build({
    entryPoints: [join(dir, 'main.js')], bundle: true, format: 'esm', platform: 'browser', outdir: out, logLevel: 'warning',
  });
  mkdirSync(join(out, 'pkg'));
  copyFileSync(join(INSTALLED, 'pkg', 'certbridge_wasm_bg.wasm'), join(out, 'pkg', 'certbridge_wasm_bg.wasm'));
  copyFileSync(join(dir, 'index.html'), join(out, 'index.html'));
  const wasm = await runPage(await serve(out), 'esbuild.example');
  assert.equal(wasm.type, 'application/wasm');
});
