// A tiny static server for the browser tests and the example page: GET only,
// loopback only, files under the repository root, plus a fake Redtrust login
// endpoint so the page can exercise the default fetch transport.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

export function start(port = 0) {
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
    const file = normalize(ROOT + path);
    if (req.method !== 'GET' || !file.startsWith(ROOT) || file.split(sep).includes('node_modules')) {
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
  console.log(`serving ${ROOT} at ${origin}/examples/web/`);
}
