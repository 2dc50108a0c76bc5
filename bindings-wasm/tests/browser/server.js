// A tiny static server for the browser tests and the example page: GET only,
// loopback only, plus a fake Redtrust login endpoint so the page can
// exercise the default fetch transport. Three roots: /node_modules/certbridge/
// is the package as installed (the pages map the bare name `certbridge` to
// it with an import map, as a page without a bundler does), /tests/ these
// test files, and everything else the repository (examples/web/).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../support/peers.js';

const PACKAGE = dirname(createRequire(import.meta.url).resolve('certbridge/package.json')) + sep;
const TESTS = fileURLToPath(new URL('../', import.meta.url));
const MOUNTS = [['/node_modules/certbridge/', PACKAGE], ['/tests/', TESTS], ['/', ROOT]];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** Serves `mounts` ([url prefix, directory ending in a separator], first
 * match wins) on a free loopback port unless `port` is given. */
export function start(port = 0, mounts = MOUNTS) {
  const logins = [];
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    if (req.method === 'POST' && path === '/raapi/v1/auth/login') {
      let body = '';
      for await (const chunk of req) body += chunk;
      logins.push({ contentType: req.headers['content-type'], body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ messageType: 'SUCCESS', data: { accessToken: 'browser-token', expiration: 4070908800 } }));
      return;
    }
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p)) ?? [];
    const file = dir === undefined ? '' : normalize(dir + path.slice(prefix.length));
    const inside = dir !== undefined && file.startsWith(dir) && !file.slice(dir.length).split(sep).includes('node_modules');
    if (req.method !== 'GET' || !inside) {
      res.writeHead(404).end();
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({ server, logins, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

// `node server.js [port]` serves the example page (examples/web/).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { origin } = await start(Number(process.argv[2] ?? 8080));
  console.log(`serving ${ROOT} (certbridge from ${PACKAGE}) at ${origin}/examples/web/`);
}
