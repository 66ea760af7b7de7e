#!/usr/bin/env node
// Fixture server for the benchmark: node:http on 127.0.0.1, keep-alive on.
//
//   node bench/server.mjs --pages 3000 --latency 0 --size 30k [--port 0] [--tls]
//
// --tls: HTTPS instead, through node:http2's secure server with allowHTTP1 (ALPN
// offers h2 and http/1.1, as nginx does), with the test-only certificate in
// fixtures/tls/ (clients pass --ca-cert fixtures/tls/cert.pem).
// Serves GET /page/<id> for 0 <= id < pages (deterministic HTML from pages.mjs,
// about --size bytes each) after waiting --latency ms; anything else is a 404.
// Prints one JSON line on stdout once listening:
//   {"port":40123,"base":"http://127.0.0.1:40123","pages":3000,...}
// When started with an IPC channel (by bench/run.mjs) it answers
// {type:'stats'} with {type:'stats', pages, bytes, notFound, connections} and {type:'reset'}.
// Pages are pre-generated into memory up to a budget (so page generation does
// not compete with the runner for CPU); past the budget they are built per request.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import { parseArgs } from 'node:util';
import { buildPage, parseSize } from './pages.mjs';

const { values: opts } = parseArgs({
  options: {
    pages: { type: 'string', default: '1000' },
    latency: { type: 'string', default: '0' },
    size: { type: 'string', default: '30k' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'cache-mb': { type: 'string', default: '400' },
    tls: { type: 'boolean', default: false },
  },
});

const pages = Number(opts.pages);
const latency = Number(opts.latency);
const size = opts.size;
parseSize(size); // validate early
const cacheBudget = Number(opts['cache-mb']) * 1024 * 1024;
if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
  throw new Error('the bench server only listens on loopback');
}

// connections: TCP connections accepted, so the bench can show keep-alive reuse.
const stats = { pages: 0, bytes: 0, notFound: 0, connections: 0 };
let origin = '';
const bodies = new Map(); // id -> Buffer
let cachedBytes = 0;
let cacheFull = false;

function body(id) {
  let b = bodies.get(id);
  if (b) return b;
  b = Buffer.from(buildPage(id, { size, origin }).html, 'utf8');
  if (!cacheFull) {
    if (cachedBytes + b.length <= cacheBudget) {
      bodies.set(id, b);
      cachedBytes += b.length;
    } else cacheFull = true;
  }
  return b;
}

function send(res, id) {
  if (res.destroyed) return;
  const b = body(id);
  stats.pages++;
  stats.bytes += b.length;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': b.length,
    'cache-control': 'no-store',
  });
  res.end(b);
}

const onRequest = (req, res) => {
  const m = /^\/page\/(\d+)(?:[?#].*)?$/.exec(req.url ?? '');
  const id = m ? Number(m[1]) : -1;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  if (!m || id >= pages) {
    stats.notFound++;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  if (latency > 0) setTimeout(send, latency, res, id);
  else send(res, id);
};
const tlsFile = (name) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const server = opts.tls
  ? http2.createSecureServer({ key: tlsFile('key.pem'), cert: tlsFile('cert.pem'), allowHTTP1: true }, onRequest)
  : http.createServer(onRequest);
server.on('connection', () => stats.connections++);
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;

server.listen(Number(opts.port), opts.host, () => {
  const { port } = server.address();
  origin = `${opts.tls ? 'https' : 'http'}://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  // Pre-generate as many pages as the cache budget allows.
  const t0 = performance.now();
  for (let id = 0; id < pages && !cacheFull; id++) body(id);
  const info = {
    port,
    base: origin,
    pages,
    latency,
    size,
    cachedPages: bodies.size,
    pregenerateMs: Math.round(performance.now() - t0),
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
});

if (process.send) {
  process.on('message', (msg) => {
    if (msg?.type === 'stats') process.send({ type: 'stats', ...stats });
    else if (msg?.type === 'reset') {
      stats.pages = stats.bytes = stats.notFound = stats.connections = 0;
      process.send({ type: 'reset' });
    }
  });
  // The orchestrator went away: do not linger.
  process.on('disconnect', () => process.exit(0));
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.closeAllConnections?.();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}
