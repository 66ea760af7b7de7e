#!/usr/bin/env node
// Brotli bombs under load (issue #12): scrape 4,000 URLs of a local server at
// -c 100, almost all good pages (plain, gzip and brotli in turn) with 26 brotli
// bombs spread among them, and report how the bombs ended (each must be
// TOO_LARGE at --max-bytes, none TIMEOUT), how long the slowest bomb and the
// slowest good page took, the wall time and scrape's peak RSS.
//
//   npm run build && node bench/brotli-soak.mjs
//   node bench/brotli-soak.mjs --pages 1000 --bombs 40 --timeout 5000
//
// Everything stays on 127.0.0.1. The server runs in this process; scrape is a
// child process (its stderr dropped: every bomb logs a warning) with default
// --timeout and --max-bytes unless given, measured
// from /proc/PID/status (VmHWM).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const { values: opts } = parseArgs({
  options: {
    pages: { type: 'string', default: '4000' },
    bombs: { type: 'string', default: '26' },
    concurrency: { type: 'string', short: 'c', default: '100' },
    timeout: { type: 'string' },
    'max-bytes': { type: 'string' },
    latency: { type: 'string', default: '0' },
    // Which bombs: 'early' (zeros-256m.br: its first meta-block header declares 16 MiB), 'late'
    // (late-256m.br: a one-byte meta-block first, so only decoding finds the bomb), or 'both' in turn.
    bomb: { type: 'string', default: 'both' },
    // Bombs one after another in the list (a hostile host) instead of spread through it.
    together: { type: 'boolean', default: false },
  },
});
const PAGES = Number(opts.pages);
const BOMBS = Number(opts.bombs);
const LATENCY = Number(opts.latency);

const root = new URL('../', import.meta.url);
const bin = fileURLToPath(new URL('bin/scrape.js', root));
if (!existsSync(new URL('dist/cli/main.js', root))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const fixture = (name) => readFileSync(new URL(`fixtures/faults/${name}`, root));

// A ~20 KB page with a title, text and 100 links, the same for every good URL
// (so each encoding is made once, not per request).
const goodPage = Buffer.from(
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Good</title></head><body><h1>Heading</h1>' +
    Array.from({ length: 100 }, (_, k) => `<p>Paragraph ${k}, with <a href="/p/${k}">a link</a> and some words to read.</p>`).join('') +
    '</body></html>',
);
const bodies = {
  plain: [goodPage, undefined],
  gzip: [gzipSync(goodPage), 'gzip'],
  br: [brotliCompressSync(goodPage), 'br'],
  early: [fixture('zeros-256m.br'), 'br'], // 203 B → 256 MiB
  late: [fixture('late-256m.br'), 'br'], // 207 B → 256 MiB
};
const BOMB_KINDS = opts.bomb === 'both' ? ['early', 'late'] : [opts.bomb];
const GOOD = ['plain', 'gzip', 'br'];

// Bombs sit evenly through the list; every other URL is a good page, its kind in turn.
const every = opts.together ? 1 : Math.floor(PAGES / Math.max(BOMBS, 1));
const first = opts.together ? PAGES >> 2 : every >> 1;
const isBomb = (i) => i >= first && (i - first) % every === 0 && (i - first) / every < BOMBS;
const kindOf = (i) => (isBomb(i) ? BOMB_KINDS[(i - first) / every % BOMB_KINDS.length] : GOOD[i % GOOD.length]);

const server = createServer((req, res) => {
  const kind = new URL(req.url, 'http://127.0.0.1').pathname.slice(1);
  res.on('error', () => {});
  const [body, encoding] = bodies[kind] ?? [];
  if (!body) {
    res.writeHead(404);
    return res.end();
  }
  const send = () => {
    res.writeHead(200, { 'content-type': 'text/html', ...(encoding ? { 'content-encoding': encoding } : {}), 'content-length': body.length });
    res.end(body);
  };
  if (LATENCY > 0) setTimeout(send, LATENCY);
  else send();
});
// Clients hang up mid-body on purpose (bombs).
server.on('connection', (socket) => socket.on('error', () => {}));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const hwm = (pid) => {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
};

const c = opts.concurrency;
const args = ['--no-robots', '-c', c, '--per-host', c, '--retries', '0', '--quiet'];
if (opts.timeout) args.push('--timeout', opts.timeout);
if (opts['max-bytes']) args.push('--max-bytes', opts['max-bytes']);
const started = Date.now();
const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'ignore'] });

(async () => {
  for (let i = 0; i < PAGES; i++) {
    if (!child.stdin.write(`${origin}/${kindOf(i)}?i=${i}\n`)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
})();

const KINDS = [...BOMB_KINDS, ...GOOD];
const outcomes = Object.fromEntries(KINDS.map((k) => [k, {}]));
const slowest = Object.fromEntries(KINDS.map((k) => [k, 0]));
let records = 0;
let peak = 0;
let pending = '';
const sampler = setInterval(() => {
  peak = Math.max(peak, hwm(child.pid));
}, 20);
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const rec = JSON.parse(line);
    const kind = new URL(rec.url).pathname.slice(1);
    const code = rec.error?.code ?? 'ok';
    outcomes[kind][code] = (outcomes[kind][code] ?? 0) + 1;
    slowest[kind] = Math.max(slowest[kind], rec.timing.totalMs);
    records++;
  }
});
const code = await new Promise((resolve) => child.on('close', resolve));
clearInterval(sampler);
const wall = (Date.now() - started) / 1000;
server.close();
server.closeAllConnections();

console.log(`scrape ${args.join(' ')}  (${PAGES} URLs: ${BOMBS} brotli bombs (${BOMB_KINDS.join(', ')}) ${opts.together ? 'in a row' : 'spread'}, the rest plain, gzip and brotli pages in turn, latency ${LATENCY} ms)`);
console.log('');
console.log('| kind | outcomes | slowest totalMs |');
console.log('| --- | --- | --- |');
for (const kind of Object.keys(outcomes)) console.log(`| ${kind} | ${JSON.stringify(outcomes[kind])} | ${slowest[kind]} |`);
console.log('');
console.log(`records ${records}, exit ${code}, wall ${wall.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`);
const good = GOOD.every((k) => Object.keys(outcomes[k]).every((x) => x === 'ok'));
const tooLarge = BOMB_KINDS.reduce((n, k) => n + (outcomes[k].TOO_LARGE ?? 0), 0);
const ok = records === PAGES && tooLarge === BOMBS && good && peak < 300 * 2 ** 20;
console.log(ok ? 'PASS: every bomb TOO_LARGE, every good page ok, peak under 300 MB' : 'FAIL: see the figures above');
process.exit(ok ? 0 : 1);
