#!/usr/bin/env node
// Memory under hostile load (issue #3): scrape 20,000 URLs of a local server that
// cycles good pages, connection resets, compression bombs and trickling bodies,
// at -c 100, and report scrape's peak RSS when a quarter, half and all of the
// records are out (5,000, 10,000, 20,000). Flat from the first row to the last
// means nothing grows per page (no leak, no pinned bodies); the absolute figure
// is what 100 hostile requests in flight cost.
//
//   npm run build && node bench/memory-faults.mjs
//   node bench/memory-faults.mjs --pages 5000 -c 50 --kinds good,bomb-gzip
//
// Kinds: good (20 KB page, 100 links), reset (half a page, then RST), bomb
// (gzip 100 KB → 100 MiB and brotli 203 B → 256 MiB, in turn), bomb-gzip,
// bomb-br, trickle (a byte every 50 ms: TIMEOUT). Bombs stop at --max-bytes
// (1M here, so 5,000 of them are seconds of inflating, not minutes).
//
// A brotli bomb whose header does not give it away costs 16 MiB while decoding
// (the decoder's ring buffer; two decode at a time, src/fetch/codings/brotli.ts;
// this one's header does, so it ends before decoding). Once glibc has freed a 16 MiB block it
// raises its mmap threshold and keeps later freed memory in its arenas, so RSS
// stays higher than what is live; MALLOC_MMAP_THRESHOLD_=131072 shows the
// difference (`--kinds good,reset,bomb-gzip,trickle` leaves brotli out).
//
// Everything stays on 127.0.0.1. The server runs in this process; scrape is a
// child process, measured from /proc/PID/status (VmHWM = peak, VmRSS = now).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    pages: { type: 'string', default: '20000' },
    concurrency: { type: 'string', short: 'c', default: '100' },
    timeout: { type: 'string', default: '400' },
    'max-bytes': { type: 'string', default: '1M' },
    kinds: { type: 'string', default: 'good,reset,bomb,trickle' },
  },
});
const PAGES = Number(opts.pages);
const CHECKPOINTS = [PAGES / 4, PAGES / 2, PAGES].map(Math.round);

const root = new URL('../', import.meta.url);
const bin = fileURLToPath(new URL('bin/scrape.js', root));
if (!existsSync(new URL('dist/cli/main.js', root))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const gzipBomb = readFileSync(new URL('fixtures/faults/zeros-100m.gz', root)); // 100 KB → 100 MiB
const brotliBomb = readFileSync(new URL('fixtures/faults/zeros-256m.br', root)); // 203 B → 256 MiB

// A ~20 KB page with a title, text and 100 links: what a good URL returns.
const goodPage = (i) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Page ${i}</title></head><body><h1>Heading ${i}</h1>` +
  Array.from({ length: 100 }, (_, k) => `<p>Paragraph ${k} of page ${i}, with <a href="/p/${i}/${k}">a link</a> and some words to read.</p>`).join('') +
  `<p class="price">${i}.99</p></body></html>`;

const KINDS = opts.kinds.split(',');
const served = Object.fromEntries(KINDS.map((k) => [k, 0]));

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const i = Number(url.searchParams.get('i'));
  const kind = url.pathname.slice(1);
  served[kind] = (served[kind] ?? 0) + 1;
  res.on('error', () => {});
  switch (kind) {
    case 'good': {
      const body = Buffer.from(goodPage(i));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      return res.end(body);
    }
    case 'reset':
      // Half a page, then a TCP reset.
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': 20_000 });
      res.write(goodPage(i).slice(0, 8_000));
      return setTimeout(() => req.socket.resetAndDestroy(), 5);
    case 'bomb':
    case 'bomb-gzip':
    case 'bomb-br': {
      // 'bomb' alternates the two kinds (i is a multiple of 4 when every kind is in the cycle).
      const gzip = kind === 'bomb-gzip' || (kind === 'bomb' && i % 8 < 4);
      const [body, encoding] = gzip ? [gzipBomb, 'gzip'] : [brotliBomb, 'br'];
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding, 'content-length': body.length });
      return res.end(body);
    }
    case 'trickle': {
      // Headers at once, then a byte every 50 ms: ends as TIMEOUT.
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': 100_000 });
      const timer = setInterval(() => res.write('<'), 50);
      return res.on('close', () => clearInterval(timer));
    }
    default:
      res.writeHead(404);
      return res.end();
  }
});
// Clients hang up mid-body on purpose (resets, bombs, timeouts).
server.on('connection', (socket) => socket.on('error', () => {}));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { hwm: kb('VmHWM') * 1024, rss: kb('VmRSS') * 1024 };
  } catch {
    return null;
  }
}

const c = opts.concurrency;
const args = ['--no-robots', '-c', c, '--per-host', c, '--retries', '0', '--timeout', opts.timeout, '--max-bytes', opts['max-bytes'], '--links', '--quiet'];
const started = Date.now();
const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });

// URLs go in as a stream, as a user's pipeline would send them.
(async () => {
  for (let i = 0; i < PAGES; i++) {
    if (!child.stdin.write(`${origin}/${KINDS[i % KINDS.length]}?i=${i}\n`)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
})();

const codes = {};
const rows = [];
let records = 0;
let peak = 0;
let pending = '';
const sampler = setInterval(() => {
  const m = memory(child.pid);
  if (m) peak = Math.max(peak, m.hwm);
}, 20);
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const rec = JSON.parse(line);
    const code = rec.error?.code ?? 'ok';
    codes[code] = (codes[code] ?? 0) + 1;
    records++;
    if (records === CHECKPOINTS[rows.length]) {
      const m = memory(child.pid);
      if (m) peak = Math.max(peak, m.hwm);
      rows.push({ pages: records, peakMB: peak / 2 ** 20, rssMB: (m?.rss ?? NaN) / 2 ** 20, seconds: (Date.now() - started) / 1000 });
    }
  }
});
const code = await new Promise((resolve) => child.on('close', resolve));
clearInterval(sampler);
server.close();
server.closeAllConnections();

const fmt = (n, d = 0) => n.toFixed(d).padStart(8);
console.log(`scrape ${args.join(' ')}  (${PAGES} URLs: ${KINDS.join(', ')} in turn)`);
console.log('');
console.log('| pages  | peak RSS (MB) | RSS now (MB) | elapsed (s) |');
console.log('| ------ | ------------- | ------------ | ----------- |');
for (const r of rows) console.log(`| ${String(r.pages).padEnd(6)} | ${fmt(r.peakMB, 1)}      | ${fmt(r.rssMB, 1)}     | ${fmt(r.seconds, 1)}    |`);
console.log('');
console.log(`records ${records}, exit ${code}, outcomes ${JSON.stringify(codes)}`);
const flat = rows.length >= 2 ? rows.at(-1).peakMB - rows[0].peakMB : 0;
console.log(`peak growth from ${rows[0]?.pages} to ${rows.at(-1)?.pages} pages: ${flat.toFixed(1)} MB`);
const ok = records === PAGES && rows.at(-1).peakMB < 250 && flat < 25;
console.log(ok ? 'PASS: every record out, peak under 250 MB, flat' : 'FAIL: see the figures above');
process.exit(ok ? 0 : 1);
