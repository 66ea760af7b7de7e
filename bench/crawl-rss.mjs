// Peak RSS of a crawl (--follow) by the size of the site: a generated site on
// 127.0.0.1 (served by a child process, so its memory is not counted), crawled
// in-process through the library's scrape() with follow: true; the crawler's
// peak RSS is process.resourceUsage().maxRSS at the end, with V8 tuned as the
// command line tunes it. RSS_TRACE=1 logs RSS and heap every 2 s on stderr.
//
//   node bench/crawl-rss.mjs 10000           # one site size
//   node bench/crawl-rss.mjs 10000 100000    # one child process per size
//
// Page i links to its five children (5i+1 … 5i+5), its parent, the home page
// and one page across the site (cycles), with ~1.5 KB of text: depth ≈ log5(N).
// A first step towards the crawl workload of `npm run bench` (issue 15).
// Measured (2-core machine, busy): 10,000 pages 117 MB, 100,000 pages 193 MB
// (a list of the same 100,000 URLs through the CLI: 125 MB).
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const [mode, ...args] = process.argv.slice(2);

function page(i, n) {
  const links = [];
  for (let c = 5 * i + 1; c <= 5 * i + 5 && c < n; c++) links.push(`/p/${c}`);
  if (i > 0) links.push(`/p/${Math.floor((i - 1) / 5)}`, '/');
  links.push(`/p/${(i * 7919) % n}`);
  const text = `Page ${i} of a generated site. `.repeat(48);
  return `<!doctype html><html><head><title>Page ${i}</title></head><body><h1>Page ${i}</h1><p>${text}</p>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</body></html>`;
}

if (mode === 'serve') {
  const n = Number(args[0]);
  const server = createServer((req, res) => {
    const m = /^\/(?:p\/(\d+))?$/.exec(req.url ?? '');
    const i = m ? Number(m[1] ?? 0) : -1;
    if (i < 0 || i >= n) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(i, n));
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else if (mode === 'crawl') {
  const [port, n] = args.map(Number);
  const { scrape } = await import('../dist/index.js');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let records = 0;
  let maxDepth = 0;
  const run = scrape([`http://127.0.0.1:${port}/`], { follow: true, depth: 100, concurrency: 16, perHost: 16, robots: false });
  const tick = process.env.RSS_TRACE ? setInterval(() => { const m = process.memoryUsage(); console.error(JSON.stringify({ records, rssMB: Math.round(m.rss / 1048576), heapMB: Math.round(m.heapUsed / 1048576), extMB: Math.round((m.external + m.arrayBuffers) / 1048576) })); }, 2000) : null;
  for await (const rec of run) {
    records++;
    if (rec.depth > maxDepth) maxDepth = rec.depth;
  }
  const summary = await run.summary;
  if (tick) clearInterval(tick);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  process.send({
    pages: n,
    records,
    maxDepth,
    discovered: summary.crawl.discovered,
    wallS: +wall.toFixed(2),
    pagesPerS: Math.round(records / wall),
    cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
} else {
  const self = fileURLToPath(import.meta.url);
  for (const n of (mode ? [mode, ...args] : ['10000']).map(Number)) {
    const server = fork(self, ['serve', String(n)]);
    const port = await new Promise((resolve) => server.once('message', resolve));
    // V8 set up as the command line sets it (src/platform/v8-tuning.ts).
    const crawler = fork(self, ['crawl', String(port), String(n)], { execArgv: ['--heap-growing-percent=50', '--liftoff-only'] });
    const result = await new Promise((resolve, reject) => {
      crawler.once('message', resolve);
      crawler.once('exit', (code) => (code ? reject(new Error(`crawler exited ${code}`)) : undefined));
    });
    server.kill();
    console.log(JSON.stringify(result));
  }
}
