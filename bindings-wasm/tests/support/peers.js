// Real peers for the end-to-end tests: the certbridge simulator (Redtrust,
// SwissSign, IdenTrust reseller; tests/sim) and Pebble (Debian `pebble`,
// Let's Encrypt's ACME test server) with External Account Binding required.
// Both run as child processes on free loopback ports and are stopped by PID.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { REPO } from '../vectors.js';

export const ROOT = fileURLToPath(REPO);

/** The simulator binary: $CERTBRIDGE_SIM_BIN, an existing build, or one
 * `cargo build -p certbridge-sim` (debug; reused by every later run). */
export function simBinary() {
  if (process.env.CERTBRIDGE_SIM_BIN) return process.env.CERTBRIDGE_SIM_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
  for (const profile of ['debug', 'release']) {
    const bin = join(target, profile, 'certbridge-sim');
    if (existsSync(bin)) return bin;
  }
  const built = spawnSync('cargo', ['build', '-q', '-p', 'certbridge-sim', '--bin', 'certbridge-sim'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('cargo build -p certbridge-sim failed');
  return join(target, 'debug', 'certbridge-sim');
}

/** Resolves with the first stdout line matching `pattern`, or rejects when
 * the process exits or `ms` pass first. */
function waitForLine(child, pattern, ms, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${ms} ms:\n${out}${err}`)), ms);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${out}${err}`));
    });
  });
}

function stopper(child) {
  return () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
  };
}

/** Starts `certbridge-sim --port 0` (plain HTTP, CORS on every answer);
 * `eabPool` is a file whose EAB keys the reseller API hands out. */
export async function startSim({ eabPool } = {}) {
  const args = ['--host', '127.0.0.1', '--port', '0'];
  if (eabPool) args.push('--eab-pool', eabPool);
  const child = spawn(simBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const [, url] = await waitForLine(child, /listening on (\S+)/, 60_000, 'certbridge-sim');
  child.stdout.resume();
  return { url, pid: child.pid, stop: stopper(child) };
}

/** Publishes a TXT record in the simulator's DNS (its control plane). */
export async function publishTxt(simUrl, name, value) {
  const r = await fetch(`${simUrl}/sim/dns/txt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, value }),
  });
  if (r.status !== 204) throw new Error(`publishing TXT ${name}: ${r.status} ${await r.text()}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function openssl(args, cwd) {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** GET over TLS trusting only `ca`. */
export function httpsGet(url, ca) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, method: 'GET' }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts Pebble with EAB required and `PEBBLE_VA_ALWAYS_VALID=1` (like
 * scripts/pebble.sh and tests/sim/src/pebble.rs). Its listener certificate
 * comes from a throw-away CA (`caFile`, `caPem`) made with openssl; the EAB
 * keys are written in Pebble's config, which the simulator's `--eab-pool`
 * reads as is (`configFile`). */
export async function startPebble() {
  const dir = mkdtempSync(join(tmpdir(), 'certbridge-pebble-'));
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=certbridge pebble listener CA', '-keyout', 'ca.key', '-out', 'ca.pem'], dir);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
    '-keyout', 'key.pem', '-out', 'listener.csr'], dir);
  writeFileSync(join(dir, 'ext.cnf'),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['x509', '-req', '-days', '2', '-set_serial', '1', '-in', 'listener.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-extfile', 'ext.cnf', '-out', 'cert.pem'], dir);
  const eabKeys = Object.fromEntries(
    [1, 2, 3, 4].map((i) => [`kid-${i}`, randomBytes(32).toString('base64url')]),
  );
  const [acmePort, mgmtPort] = [await freePort(), await freePort()];
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${acmePort}`,
      managementListenAddress: `127.0.0.1:${mgmtPort}`,
      certificate: join(dir, 'cert.pem'),
      privateKey: join(dir, 'key.pem'),
      httpPort: 5002,
      tlsPort: 5001,
      ocspResponderURL: '',
      externalAccountBindingRequired: true,
      externalAccountMACKeys: eabKeys,
    },
  }));
  const child = spawn('pebble', ['-config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PEBBLE_VA_ALWAYS_VALID: '1', PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`;
  const stop = () => {
    stopper(child)();
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await httpsGet(directoryUrl, caPem)).status === 200) {
        return { directoryUrl, origin: `https://127.0.0.1:${acmePort}`, caPem, caFile: join(dir, 'ca.pem'), configFile, eabKeys, pid: child.pid, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`pebble did not start:\n${log}`);
}

/** A certbridge transport on node:https trusting `ca` (Node's fetch has no
 * per-call CA option): the hook for servers outside the system trust store. */
export function nodeHttpsTransport(ca, rewrite = (url) => url) {
  return (request) =>
    new Promise((resolve, reject) => {
      const url = rewrite(request.url);
      const mod = url.startsWith('https:') ? httpsRequest : null;
      if (!mod) {
        reject(new Error(`only https here: ${url}`));
        return;
      }
      const headers = Object.fromEntries(request.headers);
      const req = mod(url, { method: request.method, headers, ca }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const headers = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          resolve({ status: res.statusCode, headers, body: new Uint8Array(Buffer.concat(chunks)) });
        });
      });
      req.on('error', reject);
      req.end(Buffer.from(request.body));
    });
}
