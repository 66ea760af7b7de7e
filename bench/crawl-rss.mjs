#!/usr/bin/env node
// Peak RSS of a crawl (issue 15), in-process through the library's scrape()
// with follow: true, against a generated site (bench/crawl-site.mjs) served by
// a child process, so the site's memory is not counted. One crawler process
// per size; its peak RSS is process.resourceUsage().maxRSS at the end, with V8
// tuned as the command line tunes it (src/platform/v8-tuning.ts).
//
//   node bench/crawl-rss.mjs --mode discovered 10000 100000 1000000
//   node bench/crawl-rss.mjs --mode full 10000 100000
//   node bench/crawl-rss.mjs 10000                  # --mode full is the default
//
// --mode discovered: the frontier's cost. The wide site (200 new links a
//   page, --fanout) crawled with maxPages = SIZE / fanout, so the crawl
//   discovers SIZE URLs (summary.crawl.discovered) while fetching only
//   SIZE / fanout pages: 1,000,000 discovered for 5,000 fetched.
// --mode full: the tree site of SIZE pages, every page fetched.
//
// Other flags: -c N (concurrency and per-host limit, default 16),
// --options JSON (merged into scrape()'s options, e.g. '{"stateDir":"/tmp/s"}'
// once that option exists), --timeout S per crawl (default 900).
// One JSON line per size on stdout. RSS_TRACE=1 logs RSS and heap every 2 s
// on stderr. `npm run bench -- --only crawl-rss` runs both modes and writes
// the table into bench/RESULTS.md.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { siteProblems, startCrawlSite } from './crawl-site.mjs';

const SELF = fileURLToPath(import.meta.url);

/**
 * One crawl in a fresh process: { mode, size, pagesExpected, records, discovered,
 * dropped, maxDepth, wallS, pagesPerS, cpuS, peakRssMB, problems }. problems
 * lists what the server or the summary saw wrong ([] when the crawl was right).
 */
export async function crawlRss({ mode, size, fanout = 200, concurrency = 16, options = {}, timeoutMs = 900_000 }) {
  const wide = mode === 'discovered';
  const maxPages = wide ? Math.ceil(size / fanout) : null;
  const site = await startCrawlSite(wide ? { shape: 'wide', fanout } : { shape: 'tree', pages: size });
  const scrapeOptions = { follow: true, depth: 100, concurrency, perHost: concurrency, robots: false, ...(maxPages ? { maxPages } : {}), ...options };
  try {
    const crawler = fork(SELF, ['--crawl', site.home, JSON.stringify(scrapeOptions)], {
      execArgv: ['--heap-growing-percent=50', '--liftoff-only'],
    });
    const timer = setTimeout(() => crawler.kill('SIGKILL'), timeoutMs);
    const result = await new Promise((resolve, reject) => {
      crawler.once('message', resolve);
      crawler.once('exit', (code, signal) => reject(new Error(`crawler exited ${signal ?? code}${signal === 'SIGKILL' ? ` (time limit ${timeoutMs / 1000} s?)` : ''}`)));
    }).finally(() => clearTimeout(timer));
    const pagesExpected = wide ? maxPages : size;
    const problems = siteProblems(await site.stats(), pagesExpected);
    if (result.records !== pagesExpected) problems.push(`${result.records} records, expected ${pagesExpected}`);
    if (wide && result.discovered !== fanout * maxPages) problems.push(`discovered ${result.discovered}, expected ${fanout * maxPages}`);
    return { mode, size, pagesExpected, ...result, problems };
  } finally {
    await site.stop();
  }
}

/** The crawler process: crawls from `home`, reports once over IPC and exits. */
async function crawl(home, scrapeOptions) {
  // The orchestrator went away (Ctrl+C on the bench): do not crawl on alone.
  process.on('disconnect', () => process.exit(1));
  const { scrape } = await import('../dist/index.js');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let records = 0;
  let errors = 0;
  let maxDepth = 0;
  const run = scrape([home], scrapeOptions);
  const tick = process.env.RSS_TRACE
    ? setInterval(() => {
        const m = process.memoryUsage();
        const mb = (x) => Math.round(x / 1048576);
        console.error(JSON.stringify({ records, rssMB: mb(m.rss), heapMB: mb(m.heapUsed), extMB: mb(m.external + m.arrayBuffers) }));
      }, 2000)
    : null;
  for await (const rec of run) {
    records++;
    if (rec.error) errors++;
    if (rec.depth > maxDepth) maxDepth = rec.depth;
  }
  const summary = await run.summary;
  if (tick) clearInterval(tick);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  process.send(
    {
      records,
      errors,
      maxDepth,
      discovered: summary.crawl.discovered,
      dropped: summary.crawl.droppedMaxPages,
      wallS: +wall.toFixed(2),
      pagesPerS: Math.round(records / wall),
      cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    () => process.exit(0),
  );
}

if (process.argv[1] === SELF) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      crawl: { type: 'string' },
      mode: { type: 'string', default: 'full' },
      fanout: { type: 'string', default: '200' },
      c: { type: 'string', short: 'c', default: '16' },
      options: { type: 'string', default: '{}' },
      timeout: { type: 'string', default: '900' },
    },
  });
  if (values.crawl) await crawl(values.crawl, JSON.parse(positionals[0]));
  else {
    if (values.mode !== 'full' && values.mode !== 'discovered') throw new Error(`--mode must be full or discovered, got ${values.mode}`);
    for (const size of (positionals.length ? positionals : ['10000']).map(Number)) {
      const r = await crawlRss({
        mode: values.mode,
        size,
        fanout: Number(values.fanout),
        concurrency: Number(values.c),
        options: JSON.parse(values.options),
        timeoutMs: Number(values.timeout) * 1000,
      });
      console.log(JSON.stringify(r));
    }
  }
}
