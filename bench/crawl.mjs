#!/usr/bin/env node
// The crawl workload (issue 15): a generated site of N linked pages on
// 127.0.0.1 (served by a child process, so its CPU and memory are not
// counted), crawled from its home page by scrape --follow, Crawlee's
// CheerioCrawler with enqueueLinks, and wget --recursive, alternating, each
// under GNU time. Each run is checked on the server's side: every page of the
// site requested, each exactly once, nothing else.
//
//   node bench/crawl.mjs [--pages 10000] [--runs 3] [-c 16]
//
// Page i links to its five children (5i+1 … 5i+5), its parent, the home page
// and one page across the site (cycles); depth ≈ log5(N): 6 for 10,000.
// Not yet part of `npm run bench` (bench/run.mjs): the next step.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Page 0 is the home page, `/`, and only that: one URL per page. */
const pathOf = (i) => (i === 0 ? '/' : `/p/${i}`);

function page(i, n) {
  const links = [];
  for (let c = 5 * i + 1; c <= 5 * i + 5 && c < n; c++) links.push(pathOf(c));
  if (i > 0) links.push(pathOf(Math.floor((i - 1) / 5)), '/');
  links.push(pathOf((i * 7919) % n));
  const text = `Page ${i} of a generated site. `.repeat(48);
  return `<!doctype html><html><head><title>Page ${i}</title></head><body><h1>Page ${i}</h1><p>${text}</p>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</body></html>`;
}

if (process.argv[2] === 'serve') {
  const n = Number(process.argv[3]);
  let hits = new Map();
  const server = createServer((req, res) => {
    if (req.url === '/__stats') {
      const stats = { distinct: hits.size, requests: [...hits.values()].reduce((a, b) => a + b, 0), twice: [...hits.values()].filter((v) => v > 1).length, bad: hits.get('bad') ?? 0 };
      hits = new Map();
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    }
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    const m = /^\/(?:p\/(\d+))?$/.exec(req.url ?? '');
    const i = m ? Number(m[1] ?? 0) : -1;
    if (i < 0 || i >= n || m[1] === '0') {
      hits.set('bad', (hits.get('bad') ?? 0) + 1);
      return res.writeHead(404).end();
    }
    hits.set(i, (hits.get(i) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(i, n));
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  const { values } = parseArgs({ options: { pages: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' }, c: { type: 'string', default: '16' } } });
  const n = Number(values.pages);
  const runs = Number(values.runs);
  const c = values.c;
  const child = fork(fileURLToPath(import.meta.url), ['serve', String(n)]);
  const port = await new Promise((resolve) => child.once('message', resolve));
  const home = `http://127.0.0.1:${port}/`;
  const work = join(ROOT, 'bench', '.work', 'crawl');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const urls = join(work, 'urls.txt');
  writeFileSync(urls, `${home}\n`);
  const out = join(work, 'out.jsonl');
  const runners = [
    { id: 'scrape --follow', argv: ['node', join(ROOT, 'bin/scrape.js'), '--follow', '--depth', '100', '--no-robots', '-c', c, '--per-host', c, '--retries', '0', '-o', out, urls] },
    ...(existsSync(join(ROOT, 'bench/peers/crawlee/node_modules/@crawlee/cheerio'))
      ? [{ id: 'Crawlee CheerioCrawler', argv: ['node', join(ROOT, 'bench/runners/crawlee-crawl.mjs'), '-c', c, '-o', out, urls] }]
      : []),
    { id: 'wget --recursive (one connection)', argv: ['wget', '--recursive', '--level=inf', '-e', 'robots=off', '--no-verbose', '--delete-after', '--directory-prefix', join(work, 'wget'), home] },
  ];
  // A new connection each time: a pooled one may have been closed by the server's keep-alive timeout during a long run.
  const stats = () =>
    new Promise((resolve, reject) =>
      get(`http://127.0.0.1:${port}/__stats`, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(JSON.parse(body)));
      }).on('error', reject),
    );
  await stats();
  const results = new Map(runners.map((r) => [r.id, []]));
  for (let i = 0; i < runs; i++) {
    for (const r of runners) {
      rmSync(out, { force: true });
      const t = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...r.argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const [wall, user, sys, rssKb] = t.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      const s = await stats();
      const ok = s.distinct === n && s.twice === 0 && s.bad === 0;
      results.get(r.id).push({ wall, cpu: user + sys, rssMb: rssKb / 1024, ...s, ok });
      console.log(`${r.id} run ${i + 1}/${runs}: ${wall} s, cpu ${(user + sys).toFixed(2)} s, ${Math.round(rssKb / 1024)} MB, ${s.distinct}/${n} pages, ${s.requests} requests, ${s.twice} twice, ${s.bad} bad${ok ? '' : '  <-- CHECK FAILED'}`);
    }
  }
  child.kill();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\n| Runner | Check | Wall s (median) | Pages/s | CPU s | Peak RSS MB | Runs |\n| --- | --- | --- | --- | --- | --- | --- |`);
  for (const [id, rs] of results) {
    const w = median(rs.map((x) => x.wall));
    console.log(`| ${id} | ${rs.every((x) => x.ok) ? `ok: ${n} pages, each once` : 'FAILED'} | ${w.toFixed(2)} | ${Math.round(n / w)} | ${median(rs.map((x) => x.cpu)).toFixed(2)} | ${Math.round(median(rs.map((x) => x.rssMb)))} | ${rs.length} |`);
  }
  console.log(`\n${execFileSync('node', ['-v']).toString().trim()}, ${n} pages, concurrency ${c}, ${runs} runs each, alternating`);
}
