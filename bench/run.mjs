#!/usr/bin/env node
// scrape's benchmark (issue #4). `npm run bench [-- --quick] [--only W1,W2] [--runs N] [--baseline DIR]`
// See bench/README.md for what each workload means. Writes bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkOutput } from './check.mjs';
import { killServers, startChildServer } from './child-server.mjs';
import { crawlRss } from './crawl-rss.mjs';
import { siteProblems, startCrawlSite, treeDepth } from './crawl-site.mjs';
import { detectMethod, foreignCpu, killAll, measure, tail, waitForQuiet } from './measure.mjs';
import { urlList } from './pages.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const WORK = join(BENCH, '.work');
const CRAWLEE_DIR = join(BENCH, 'peers', 'crawlee');
const WORKLOADS = ['W1', 'W2', 'W3', 'workers', 'startup', 'compare', 'https', 'crawl', 'crawl-rss'];

const HELP = `usage: npm run bench -- [options]

  --quick          small sizes, 3 runs (2 for crawl), no --compare check (a minute or two)
  --only LIST      comma-separated workloads: ${WORKLOADS.join(',')}
  --runs N         repetitions per runner (default 5 for W1/W2, 3 otherwise; 3 with --quick)
  --runners LIST   only these runners: scrape,scrape-before,bare-parse5,bare-htmlparser2,crawlee,fetch-only,wget
                   (wget runs in the crawl workload only)
  --baseline DIR   also run DIR/bin/scrape.js (another checkout, npm ci'd and built) as runner
                   scrape-before, alternating with scrape in W1, W2, W3, workers, startup and crawl,
                   and report scrape ÷ baseline in each
  --no-install     do not run npm ci for Crawlee when it is missing
  --no-settle      do not wait for an idle machine (CPUs >= 80% idle) before each run (--quick never waits)
  --measure M      time (GNU /usr/bin/time) or hook (node --import); default: time if usable
  --out FILE       where to write the results (default bench/RESULTS.md)
  --help`;

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    runners: { type: 'string' },
    baseline: { type: 'string' },
    'no-install': { type: 'boolean', default: false },
    'no-settle': { type: 'boolean', default: false },
    measure: { type: 'string' },
    out: { type: 'string', default: join(BENCH, 'RESULTS.md') },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  console.log(HELP);
  process.exit(0);
}

const only = opt.only
  ? opt.only.split(',').map((s) => WORKLOADS.find((w) => w.toLowerCase() === s.trim().toLowerCase()) ?? fail(`unknown workload ${s}`))
  : opt.quick
    ? WORKLOADS.filter((w) => w !== 'compare')
    : WORKLOADS;
// --baseline: a second build of scrape measured in the same run. The machine is shared and
// noisy, so a refactor's before/after figures only mean something as ratios of runs that
// alternated on it; figures from two separate bench runs do not compare.
const BASELINE = opt.baseline ? baselineInfo(opt.baseline) : null;
// scrape-before sits right after scrape so the two builds run back to back in each repetition.
const RUNNER_IDS = ['scrape', ...(BASELINE ? ['scrape-before'] : []), 'bare-parse5', 'bare-htmlparser2', 'crawlee', 'fetch-only'];
/** Runners of the crawl workload only: they crawl a site, they do not take a URL list. */
const CRAWL_ONLY_RUNNERS = ['wget'];
const runnerFilter = opt.runners ? new Set(opt.runners.split(',').map((s) => s.trim())) : new Set([...RUNNER_IDS, ...CRAWL_ONLY_RUNNERS]);
for (const r of runnerFilter) {
  if (r === 'scrape-before' && !BASELINE) fail('runner scrape-before needs --baseline DIR');
  if (!RUNNER_IDS.includes(r) && !CRAWL_ONLY_RUNNERS.includes(r)) fail(`unknown runner ${r}`);
}
/** Whether either build of scrape runs (W3 and the scrape parts of workers/startup need one). */
const anyScrape = runnerFilter.has('scrape') || runnerFilter.has('scrape-before');
const runsOverride = opt.runs ? Number(opt.runs) : null;
// Other work on a shared machine distorts wall times: wait (bounded) for idle CPUs before each run.
// budgetMs bounds the waiting over the whole bench. --quick does not wait (it must stay short);
// every run still reports how much CPU other processes took during it.
const settle = opt['no-settle'] || opt.quick ? null : { minIdle: 0.8, windowMs: 300, maxWaitMs: 20_000, budgetMs: 300_000 };
if (runsOverride !== null && !(Number.isInteger(runsOverride) && runsOverride >= 1)) fail('--runs must be a whole number >= 1');

function fail(msg) {
  console.error(`bench: ${msg}\n\n${HELP}`);
  process.exit(2);
}

/** The --baseline checkout: its absolute path, its scrape binary and its git HEAD. */
function baselineInfo(arg) {
  // npm run changes the cwd to the package root; a relative DIR means relative to where npm was typed.
  const base = process.env.npm_lifecycle_event === 'bench' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  const dir = resolve(base, arg);
  const bin = join(dir, 'bin', 'scrape.js');
  if (!existsSync(bin)) fail(`--baseline ${arg}: ${bin} not found (DIR must be a checkout of scrape)`);
  if (!existsSync(distEntry(dir))) fail(`--baseline ${arg}: ${distEntry(dir)} missing (run npm ci && npm run build in ${dir})`);
  const git = (...args) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  const short = head.status === 0 ? head.stdout.trim() : null;
  // Uncommitted changes in the baseline mean its HEAD does not say what was measured.
  const dirty = short !== null && git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  return { dir, bin, short, head: short === null ? 'unknown (no git HEAD)' : gitHead(dir), dirty, label: `scrape (baseline ${short ?? 'no git'})` };
}

/** Workload sizes. Timeouts are per child process. */
const CFG = opt.quick
  ? {
      W1: { pages: 200, latency: 0, size: '30k', c: 32, runs: 3, timeoutMs: 120_000 },
      W2: { pages: 200, latency: 100, size: '30k', c: 50, runs: 3, timeoutMs: 60_000 },
      W3: { big: 2_000, small: 500, size: '3k', c: 32, runs: 3, timeoutMs: 120_000 },
      workers: { pages: 30, size: '300k', c: 16, workers: [0, 2, 'auto'], runs: 3, timeoutMs: 120_000 },
      startup: { runs: 5, timeoutMs: 30_000 },
      compare: { pages: 200, latency: 100, c: 50, timeoutMs: 180_000 },
      https: { pages: 200, latency: 0, latencyPages: 200, latencyMs: 100, size: '30k', c: 32, runs: 3, timeoutMs: 120_000 },
      crawl: { pages: 2_000, c: 16, runs: 2, timeoutMs: 180_000 },
      'crawl-rss': { discovered: [10_000, 100_000], full: [2_000], fanout: 200, c: 16, timeoutMs: 300_000 },
    }
  : {
      W1: { pages: 3_000, latency: 0, size: '30k', c: 32, runs: 5, timeoutMs: 300_000 },
      W2: { pages: 1_000, latency: 100, size: '30k', c: 50, runs: 5, timeoutMs: 120_000 },
      W3: { big: 100_000, small: 1_000, size: '3k', c: 32, runs: 3, timeoutMs: 900_000 },
      workers: { pages: 300, size: '300k', c: 16, workers: [0, 1, 2, 'auto'], runs: 3, timeoutMs: 300_000 },
      startup: { runs: 10, timeoutMs: 30_000 },
      compare: { pages: 200, latency: 100, c: 50, timeoutMs: 180_000 },
      https: { pages: 3_000, latency: 0, latencyPages: 1_000, latencyMs: 100, size: '30k', c: 32, runs: 5, timeoutMs: 300_000 },
      // Crawlee takes ~50 s a run here: 3 runs keep the workload near 3 minutes.
      crawl: { pages: 10_000, c: 16, runs: 3, timeoutMs: 600_000 },
      'crawl-rss': { discovered: [10_000, 100_000, 1_000_000], full: [10_000, 100_000], fanout: 200, c: 16, timeoutMs: 900_000 },
    };
if (runsOverride !== null) for (const k of ['W1', 'W2', 'W3', 'workers', 'startup', 'https', 'crawl']) CFG[k].runs = runsOverride;

// ---------------------------------------------------------------------------
// Child process bookkeeping: every server we start is killed on the way out.

function cleanup() {
  killAll();
  killServers();
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\nbench: ${sig}, stopping`);
    cleanup();
    process.exit(130);
  });
}

const startServer = ({ pages, latency, size, tls = false }) =>
  startChildServer(join(BENCH, 'server.mjs'), ['--pages', String(pages), '--latency', String(latency), '--size', size, ...(tls ? ['--tls'] : [])]);

// ---------------------------------------------------------------------------
// Runners

/**
 * scrape exactly as users run it (argv paths relative to the repo root, which is the cwd).
 * bin: the baseline's bin/scrape.js (absolute) for scrape-before; every other argument is the
 * same, and it runs in the same cwd, so the two builds do exactly the same work.
 */
function scrapeArgv({ c, out, urls, workers, extra = [], bin = 'bin/scrape.js' }) {
  const argv = ['node', bin, '-c', String(c), '--per-host', String(c), '-s', 'h1=h1', '-s', 'price=.price', '--links',
    '-o', out, '--quiet', '--no-robots', '--timeout', '30000', ...extra];
  if (workers !== undefined) argv.push('--workers', String(workers));
  argv.push(urls);
  return argv;
}
const bareArgv = (parser) => ({ c, out, urls }) => ['node', 'bench/runners/bare.mjs', '--parser', parser, '-c', String(c), '-o', out, urls];
const RUNNERS = {
  scrape: { label: 'scrape', argv: scrapeArgv },
  ...(BASELINE ? { 'scrape-before': { label: BASELINE.label, argv: (o) => scrapeArgv({ ...o, bin: BASELINE.bin }) } } : {}),
  'bare-parse5': { label: 'bare-parse5', argv: bareArgv('parse5') },
  'bare-htmlparser2': { label: 'bare-htmlparser2', argv: bareArgv('htmlparser2') },
  crawlee: { label: 'Crawlee CheerioCrawler', argv: ({ c, out, urls }) => ['node', 'bench/runners/crawlee.mjs', '-c', String(c), '-o', out, urls] },
  // A floor, not a competitor: fetches and reads every body, parses nothing. Its
  // output has no fields to check, only one line per page.
  'fetch-only': { label: 'fetch-only floor (no parsing)', floor: true, argv: ({ c, out, urls }) => ['node', 'bench/runners/fetch-only.mjs', '-c', String(c), '-o', out, urls] },
};

const rel = (p) => relative(ROOT, p);
const CORES = os.cpus().length;
/** A run is "contaminated" when other processes used more than this share of all CPUs during it. */
const FOREIGN_LIMIT = 0.1;

/** The first line of a child's stderr that looks like the reason it failed. */
function failureReason(m, stderrFile) {
  if (m.timedOut) return m.error;
  const lines = tail(stderrFile, 4000)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at /.test(l) && !/^Node\.js v/.test(l) && !/^Command exited with/.test(l) && !/^\^+$/.test(l));
  const pick = lines.find((l) => /error|cannot|unknown|invalid|not found/i.test(l)) ?? lines[lines.length - 1] ?? '';
  let reason = pick;
  try {
    const j = JSON.parse(pick); // a pino line
    reason = j.msg ?? j.err?.message ?? pick;
  } catch {
    /* plain text */
  }
  return `${m.error ?? `exit ${m.code}${m.signal ? ` (${m.signal})` : ''}`}: ${reason.slice(0, 220)}`;
}

let METHOD = 'time';

async function runChild(argv, { tag, timeoutMs, method = METHOD }) {
  const stdout = join(WORK, `${tag}.stdout.txt`);
  const stderr = join(WORK, `${tag}.stderr.txt`);
  const m = await measure(argv, { cwd: ROOT, timeoutMs, stdout, stderr, method, rusageFile: join(WORK, `${tag}.rusage`) });
  return { ...m, stdoutFile: stdout, stderrFile: stderr, reason: m.ok ? '' : failureReason(m, stderr) };
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Waits (within the budget) for an idle machine, when settling is on; notes how idle it was in `quiet`. */
async function settleDown(quiet) {
  if (!settle) return;
  const q = await waitForQuiet({ ...settle, maxWaitMs: Math.max(0, Math.min(settle.maxWaitMs, settle.budgetMs)) });
  settle.budgetMs -= q.waitedMs;
  quiet.push(q);
}

/**
 * What a workload runs against, and how a run is checked:
 *  - start(): the fixture server (child-server.mjs's handle)
 *  - title(server): the console header
 *  - urls(server, n): the input file's text for an entry of n pages
 *  - check({ out, n, rep, stats, entry, server }): the problems of one run ([] when fine)
 *  - strict: a run that fails its check is left out of the medians (the crawl's
 *    figures mean nothing if the pages fetched differ); otherwise it is kept
 *    and the runner marked INVALID.
 * The default: server.mjs's pages as a URL list, each output checked against pages.mjs.
 */
function pagesFixture(serverCfg) {
  return {
    start: () => startServer(serverCfg),
    title: (server) => `${serverCfg.pages} pages of ${serverCfg.size}, ${serverCfg.latency} ms latency, ${server.base}` +
      ` (server pre-generated ${server.cachedPages} pages in ${server.pregenerateMs} ms)`,
    urls: (server, n) => urlList(server.base, n),
    async check({ out, n, rep, stats, entry, server }) {
      const chk = await checkOutput(out, { n, size: serverCfg.size, origin: server.base, seed: rep, fields: entry.fields !== false });
      if (stats.pages < n) chk.problems.push(`server sent only ${stats.pages} of ${n} pages`);
      return chk.problems;
    },
  };
}

/**
 * Runs entries A B C A B C ... against one fixture server, checking each run.
 * entry: { id, label, n, argv: ({ out, urls, server }) => argv, skip?: 'STATUS: reason' }
 */
async function runWorkload(key, { server: serverCfg, fixture = pagesFixture(serverCfg), runs, timeoutMs, entries }) {
  const server = await fixture.start();
  console.log(`\n== ${key}: ${fixture.title(server)}`);
  const urlFiles = new Map();
  const results = entries.map((e) => {
    if (!urlFiles.has(e.n)) {
      const f = join(WORK, `urls-${key}-${e.n}.txt`);
      writeFileSync(f, fixture.urls(server, e.n));
      urlFiles.set(e.n, f);
    }
    const [status, reason] = e.skip ? [e.skip.split(':')[0], e.skip.slice(e.skip.indexOf(':') + 1).trim()] : ['ok', ''];
    if (e.skip) console.log(`${key}: ${e.label} skipped, ${status}: ${reason}`);
    return { ...e, status, reason, problems: [], runs: [], attempted: 0 };
  });
  const quiet = []; // how idle the machine was before each run: other work on it skews wall times
  try {
    for (let rep = 1; rep <= runs; rep++) {
      for (const r of results) {
        if (r.status !== 'ok' && r.status !== 'INVALID') continue;
        const out = join(WORK, `out-${key}-${r.id}.jsonl`);
        rmSync(out, { force: true });
        await server.reset();
        r.attempted++;
        await settleDown(quiet);
        const foreign = foreignCpu([server.pid]);
        const m = await runChild(r.argv({ out: rel(out), urls: rel(urlFiles.get(r.n)), server }), { tag: `${key}-${r.id}`, timeoutMs });
        const foreignS = foreign.stop(m.cpuS);
        // Share of the machine's CPU capacity that other work used during this run.
        m.foreignShare = foreignS === null ? null : foreignS / ((m.wallMs / 1000) * CORES);
        m.clean = m.foreignShare === null || m.foreignShare <= FOREIGN_LIMIT;
        const stats = await server.stats();
        const { pages: served, connections } = stats;
        m.connections = connections;
        const prefix = `${key} run ${rep}/${runs} ${r.label.padEnd(22)}`;
        if (!m.ok) {
          r.status = 'FAILED';
          r.reason = `run ${rep}: ${m.reason}`;
          console.log(`${prefix} FAILED after ${(m.wallMs / 1000).toFixed(2)} s: ${m.reason}`);
          continue;
        }
        const problems = await fixture.check({ out, n: r.n, rep, stats, entry: r, server });
        if (problems.length) {
          r.status = 'INVALID';
          for (const p of problems) if (r.problems.length < 4 && !r.problems.includes(p)) r.problems.push(p);
        }
        rmSync(out, { force: true });
        m.rep = rep; // pairs this run with the other build's run of the same repetition (scrape ÷ baseline)
        if (!(fixture.strict && problems.length)) r.runs.push(m);
        console.log(`${prefix} ${(m.wallMs / 1000).toFixed(2)} s  ${Math.round(r.n / (m.wallMs / 1000))} pages/s  ` +
          `cpu ${m.cpuS?.toFixed(2)} s  rss ${m.maxRssMB?.toFixed(0)} MB  served ${served} over ${connections} connections` +
          `${m.clean ? '' : `  (other work used ${Math.round(m.foreignShare * 100)}% of the CPUs during this run)`}` +
          `${problems.length ? `  INVALID${fixture.strict ? ' (not counted)' : ''}: ${problems.slice(0, 2).join('; ')}` : ''}`);
      }
    }
  } finally {
    await server.stop();
  }
  for (const r of results) {
    // Runs during which other work took a noticeable share of the CPUs are left
    // out of the medians when enough clean runs remain.
    const clean = r.runs.filter((x) => x.clean);
    r.used = clean.length >= Math.min(3, r.runs.length) ? clean : r.runs;
    const wall = median(r.used.map((x) => x.wallMs));
    r.summary = r.used.length
      ? {
          wallS: wall / 1000,
          minS: Math.min(...r.used.map((x) => x.wallMs)) / 1000,
          maxS: Math.max(...r.used.map((x) => x.wallMs)) / 1000,
          pps: r.n / (wall / 1000),
          cpuS: median(r.used.map((x) => x.cpuS)),
          rssMB: median(r.used.map((x) => x.maxRssMB)),
          rssMaxMB: Math.max(...r.used.map((x) => x.maxRssMB ?? 0)),
          connections: median(r.used.map((x) => x.connections)),
        }
      : null;
  }
  return { key, server: serverCfg, runs, results, quiet };
}

// ---------------------------------------------------------------------------
// Set-up checks: scrape's CLI, Crawlee's install.

/**
 * The compiled module bin/scrape.js imports (dist/cli.js, or dist/cli/main.js after the
 * layout by stage): read from bin/scrape.js, because a before/after pair of checkouts
 * may well disagree on where it is.
 */
function distEntry(root) {
  let bin = '';
  try {
    bin = readFileSync(join(root, 'bin', 'scrape.js'), 'utf8');
  } catch {
    /* no bin/scrape.js: the probe says so */
  }
  const m = /['"]\.\.\/(dist\/[^'"]+\.js)['"]/.exec(bin);
  return join(root, m ? m[1] : join('dist', 'cli.js'));
}

/** Probes the scrape checkout at root (this repository, or the --baseline one). */
function probeScrape(root = ROOT) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'scrape.js'), '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  const help = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const dist = distEntry(root);
  const info = { works: r.status === 0 && /--concurrency|-c\b/.test(help), help, workers: /--workers\b/.test(help), compare: /--compare\b/.test(help), follow: /--follow\b/.test(help) };
  info.entry = relative(root, dist);
  info.entryPath = dist;
  if (!info.works) {
    const reason = existsSync(dist) ? help.split('\n').find((l) => /error/i.test(l)) ?? `exit ${r.status}` : `${info.entry} missing (run npm run build)`;
    info.reason = `scrape --help failed: ${reason.trim().slice(0, 200)}`;
  }
  // Warn when dist/ is older than src/ (a stale build would be measured).
  if (existsSync(dist)) {
    const built = statSync(dist).mtimeMs;
    const newest = newestMtime(join(root, 'src'));
    info.stale = newest > built;
    info.builtAt = new Date(built).toISOString();
    info.builtAtMs = built;
  }
  return info;
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureCrawlee() {
  const entry = join(CRAWLEE_DIR, 'node_modules', '@crawlee', 'cheerio', 'index.mjs');
  const version = () => JSON.parse(readFileSync(join(CRAWLEE_DIR, 'node_modules', '@crawlee', 'cheerio', 'package.json'), 'utf8')).version;
  if (existsSync(entry)) return { ok: true, version: version() };
  if (opt['no-install']) return { ok: false, reason: 'not installed (--no-install)' };
  console.log('Installing Crawlee for the bench: npm ci in bench/peers/crawlee ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const m = await measure([npm, 'ci', '--no-audit', '--no-fund'], {
    cwd: CRAWLEE_DIR,
    timeoutMs: 300_000,
    stdout: join(WORK, 'crawlee-install.stdout.txt'),
    stderr: join(WORK, 'crawlee-install.stderr.txt'),
  });
  if (!m.ok || !existsSync(entry)) {
    return { ok: false, reason: `npm ci failed: ${failureReason(m, join(WORK, 'crawlee-install.stderr.txt'))}` };
  }
  return { ok: true, version: version(), installedS: m.wallMs / 1000 };
}

// ---------------------------------------------------------------------------
// Workloads

function standardEntries(cfg, { crawlee }) {
  const list = [];
  for (const id of RUNNER_IDS) {
    if (!runnerFilter.has(id)) continue;
    const skip = id === 'crawlee' && !crawlee.ok ? `UNAVAILABLE: ${crawlee.reason}` : undefined;
    list.push({ id, label: RUNNERS[id].label, n: cfg.pages, skip, fields: !RUNNERS[id].floor, argv: ({ out, urls }) => RUNNERS[id].argv({ c: cfg.c, out, urls }) });
  }
  return list;
}

async function throughputWorkload(key, cfg, env) {
  const wl = await runWorkload(key, {
    server: { pages: cfg.pages, latency: cfg.latency, size: cfg.size },
    runs: cfg.runs,
    timeoutMs: cfg.timeoutMs,
    entries: standardEntries(cfg, env),
  });
  wl.cfg = cfg;
  if (cfg.latency > 0) wl.idealS = (Math.ceil(cfg.pages / cfg.c) * cfg.latency) / 1000;
  return wl;
}

/**
 * HTTPS (issue 13): the W1 pages (and a W2-like latency-bound set) over TLS from
 * node:http2's secure server with allowHTTP1, fetched by scrape with --http1.1
 * and with --http2, alternating: which one is scrape's default is decided here.
 */
async function httpsWorkload(cfg) {
  const tlsArgs = ['--ca-cert', 'fixtures/tls/cert.pem'];
  const entries = (pages) =>
    ['http1.1', 'http2'].map((v) => ({
      id: `scrape-${v}`,
      label: `scrape --${v}`,
      n: pages,
      argv: ({ out, urls }) => scrapeArgv({ c: cfg.c, out, urls, extra: [...tlsArgs, `--${v}`] }),
    }));
  const run = async (key, pages, latency) => {
    const wl = await runWorkload(key, { server: { pages, latency, size: cfg.size, tls: true }, runs: cfg.runs, timeoutMs: cfg.timeoutMs, entries: entries(pages) });
    wl.cfg = { ...cfg, pages, latency };
    if (latency > 0) wl.idealS = (Math.ceil(pages / cfg.c) * latency) / 1000;
    return wl;
  };
  return { cpu: await run('https-cpu', cfg.pages, 0), latency: await run('https-latency', cfg.latencyPages, cfg.latencyMs) };
}

/** What makes scrape crawl the whole site: a depth past the site's, and no retries (Crawlee's are off too). */
const CRAWL_FLAGS = ['--follow', '--depth', '100', '--retries', '0'];
const crawleeCrawlArgv = ({ c, out, urls }) => ['node', 'bench/runners/crawlee-crawl.mjs', '-c', String(c), '-o', out, urls];
const wgetArgv = (home) => ['wget', '--recursive', '--level=inf', '-e', 'robots=off', '--no-verbose', '--delete-after', '--directory-prefix', rel(join(WORK, 'wget-crawl')), home];

/** Why wget cannot run in the crawl workload, or null when it can. */
function wgetSkip() {
  if (METHOD !== 'time') return 'UNAVAILABLE: CPU and RSS are measured through a node hook here (no GNU time), which cannot measure wget';
  const r = spawnSync('wget', ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0 ? null : 'UNAVAILABLE: wget is not installed (not on PATH)';
}

const countLines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

/**
 * The crawl (issue 15): crawl-site.mjs's tree site of cfg.pages linked pages,
 * crawled from its home page by scrape --follow (and the baseline build, when
 * it has --follow), Crawlee's CheerioCrawler with enqueueLinks and wget
 * --recursive. Checked on the server's side: every page requested, each
 * exactly once, nothing else; the runners that write records must have
 * written one a page. A run that fails the check is not counted (strict).
 */
async function crawlWorkload(cfg, { scrape, baseline, crawlee }) {
  const depth = treeDepth(cfg.pages);
  const fixture = {
    strict: true,
    start: () => startCrawlSite({ shape: 'tree', pages: cfg.pages }),
    title: (server) => `a generated site of ${cfg.pages} linked pages (depth ${depth}), crawled from ${server.home} at concurrency ${cfg.c}` +
      ` (server pre-generated ${server.cachedPages} pages in ${server.pregenerateMs} ms)`,
    urls: (server) => `${server.home}\n`,
    async check({ out, n, stats, entry }) {
      const problems = siteProblems(stats, n);
      const records = entry.records === false ? n : countLines(out);
      if (records !== n) problems.push(`${records} records written, expected ${n}`);
      return problems;
    },
  };
  const entries = scrapeBuilds().map((b) => {
    const probe = b.id === 'scrape' ? scrape : baseline;
    return {
      id: b.id,
      label: `${b.label} --follow`,
      n: cfg.pages,
      skip: probe.works && !probe.follow ? `UNSUPPORTED: ${b.label} --help does not list --follow` : undefined,
      argv: ({ out, urls }) => scrapeArgv({ c: cfg.c, out, urls, bin: b.bin, extra: CRAWL_FLAGS }),
    };
  });
  if (runnerFilter.has('crawlee')) {
    entries.push({ id: 'crawlee', label: 'Crawlee CheerioCrawler (enqueueLinks)', n: cfg.pages, skip: crawlee.ok ? undefined : `UNAVAILABLE: ${crawlee.reason}`,
      argv: ({ out, urls }) => crawleeCrawlArgv({ c: cfg.c, out, urls }) });
  }
  if (runnerFilter.has('wget')) {
    entries.push({ id: 'wget', label: 'wget --recursive (one connection)', n: cfg.pages, records: false, skip: wgetSkip() ?? undefined, argv: ({ server }) => wgetArgv(server.home) });
  }
  const wl = await runWorkload('crawl', { server: { pages: cfg.pages }, fixture, runs: cfg.runs, timeoutMs: cfg.timeoutMs, entries });
  rmSync(join(WORK, 'wget-crawl'), { recursive: true, force: true });
  wl.cfg = { ...cfg, depth };
  return wl;
}

/**
 * The crawl's memory (issue 15), in-process through the library (crawl-rss.mjs),
 * one crawler process per size: by URLs discovered (the wide site, maxPages
 * chosen so that summary.crawl.discovered reaches each size) and by pages
 * fetched (the tree site, every page). One run each.
 */
async function crawlRssWorkload(cfg) {
  console.log('\n== crawl-rss');
  const quiet = [];
  const rows = [];
  const sizes = [...cfg.discovered.map((size) => ({ mode: 'discovered', size })), ...cfg.full.map((size) => ({ mode: 'full', size }))];
  for (const { mode, size } of sizes) {
    await settleDown(quiet);
    try {
      const r = await crawlRss({ mode, size, fanout: cfg.fanout, concurrency: cfg.c, timeoutMs: cfg.timeoutMs });
      rows.push(r);
      console.log(`crawl-rss ${mode} ${size}: ${r.discovered} discovered, ${r.records} pages, peak RSS ${r.peakRssMB} MB, ${r.wallS} s` +
        `${r.problems.length ? `  CHECK FAILED: ${r.problems.join('; ')}` : ''}`);
    } catch (err) {
      rows.push({ mode, size, error: String(err?.message ?? err) });
      console.log(`crawl-rss ${mode} ${size}: FAILED: ${err?.message ?? err}`);
    }
  }
  return { key: 'crawl-rss', cfg, rows, quiet };
}

/** The builds of scrape selected: this repository's, and the --baseline one when given. */
function scrapeBuilds() {
  const builds = [];
  if (runnerFilter.has('scrape')) builds.push({ id: 'scrape', label: 'scrape', bin: undefined });
  if (runnerFilter.has('scrape-before')) builds.push({ id: 'scrape-before', label: BASELINE.label, bin: BASELINE.bin });
  return builds;
}

async function memoryWorkload(cfg) {
  // Ids scrape-N / scrape-before-N: the report finds each size of each build by id.
  const entries = [cfg.small, cfg.big].flatMap((n) =>
    scrapeBuilds().map((b) => ({
      id: `${b.id}-${n}`,
      label: `${b.label}, ${n.toLocaleString('en-US')} URLs`,
      n,
      argv: ({ out, urls }) => scrapeArgv({ c: cfg.c, out, urls, bin: b.bin }),
    })),
  );
  const wl = await runWorkload('W3', { server: { pages: cfg.big, latency: 0, size: cfg.size }, runs: cfg.runs, timeoutMs: cfg.timeoutMs, entries });
  wl.cfg = cfg;
  return wl;
}

async function workersWorkload(cfg, { scrape, baseline }) {
  const entries = [];
  // Per worker count, this build then the baseline, so the pair runs back to back.
  for (const w of cfg.workers) {
    for (const b of scrapeBuilds()) {
      const probe = b.id === 'scrape' ? scrape : baseline;
      entries.push({
        id: `${b.id}-w${w}`,
        build: b.id,
        label: `${b.label} --workers ${w}`,
        n: cfg.pages,
        workers: w,
        skip: probe.works && !probe.workers ? `UNSUPPORTED: ${b.label} --help does not list --workers` : undefined,
        argv: ({ out, urls }) => scrapeArgv({ c: cfg.c, out, urls, workers: w, bin: b.bin }),
      });
    }
  }
  for (const id of ['bare-htmlparser2', 'bare-parse5']) {
    if (runnerFilter.has(id)) entries.push({ id, label: RUNNERS[id].label, n: cfg.pages, argv: ({ out, urls }) => RUNNERS[id].argv({ c: cfg.c, out, urls }) });
  }
  const wl = await runWorkload('workers', { server: { pages: cfg.pages, latency: 0, size: cfg.size }, runs: cfg.runs, timeoutMs: cfg.timeoutMs, entries });
  wl.cfg = cfg;
  return wl;
}

/** Runs of the `node -e 0` / `scrape --version` pairing, whatever --runs or --quick say: the issue's target is a median of 15. */
const PAIRED_RUNS = 15;

/** `LABEL` (a --version row) ÷ `node -e 0` from the start-up rows: ratio of the medians, and each pair's own ratio. */
function versionPairing(rows, label = 'scrape --version') {
  const node = rows.find((r) => r.id === 'node');
  const v = rows.find((r) => r.label === label);
  if (!node || !v || node.reason || v.reason || node.walls.length !== v.walls.length) return null;
  const pairs = v.walls.map((w, i) => w / node.walls[i]);
  return { ratio: v.ms / node.ms, pairMedian: median(pairs), pairMin: Math.min(...pairs), pairMax: Math.max(...pairs), runs: pairs.length };
}

async function startupWorkload(cfg, env) {
  console.log('\n== start-up');
  const rows = [];
  /**
   * Runs the items A B A B … (cfg.runs times each), like the workloads do, so that the two
   * builds of scrape see the same moments of a noisy machine. An item that fails stops; the
   * others go on. item: { id?, label, argv, check?(m), before?() }; one row per item.
   */
  const alternate = async (items, method = 'none', runs = cfg.runs) => {
    const state = items.map(() => ({ walls: [], reason: '' }));
    for (let i = 0; i < runs; i++) {
      for (const [k, it] of items.entries()) {
        const st = state[k];
        if (st.reason) continue;
        it.before?.();
        const m = await runChild(it.argv, { tag: `startup-${it.label.replace(/\W+/g, '_')}`, timeoutMs: cfg.timeoutMs, method });
        if (!m.ok) st.reason = m.reason;
        else if (it.check && !it.check(m)) st.reason = `unexpected output: ${tail(m.stdoutFile, 200).trim().slice(0, 120)}`;
        else st.walls.push(m.wallMs);
      }
    }
    return items.map((it, k) => {
      const { walls, reason } = state[k];
      const row = { id: it.id, label: it.label, argv: it.argv, ms: median(walls), min: Math.min(...walls), max: Math.max(...walls), runs: walls.length, walls, reason };
      console.log(`startup ${it.label.padEnd(34)} ${reason ? `FAILED: ${reason}` : `median ${row.ms.toFixed(0)} ms (${row.min.toFixed(0)}-${row.max.toFixed(0)})`}`);
      rows.push(row);
      return row;
    });
  };
  // `--version` of this build (and of the baseline's) paired with Node.js itself: node -e 0, then
  // scrape --version, PAIRED_RUNS times, so each ratio compares two runs a moment apart on a noisy
  // machine. (Labels: the target rows look for 'node -e 0' and 'scrape --version'.)
  const versions = [{ id: 'scrape', label: 'scrape --version', bin: 'bin/scrape.js' }];
  if (runnerFilter.has('scrape-before')) versions.push({ id: 'scrape-before', label: `${BASELINE.label} --version`, bin: BASELINE.bin });
  const printed = new Map();
  const nodeItem = { id: 'node', label: 'node -e 0 (Node.js itself)', argv: ['node', '-e', '0'] };
  const vRows = await alternate([nodeItem, ...versions.map((b) => ({
    id: b.id,
    label: b.label,
    argv: ['node', b.bin, '--version'],
    check: (m) => {
      const out = readFileSync(m.stdoutFile, 'utf8').trim();
      const err = readFileSync(m.stderrFile, 'utf8').trim();
      const [version, stream] = /\d+\.\d+\.\d+/.test(out) ? [out, 'stdout'] : /\d+\.\d+\.\d+/.test(err) ? [err, 'stderr'] : ['', ''];
      printed.set(b.id, version && `prints \`${version.slice(0, 40)}\` on ${stream}`);
      return version !== '';
    },
  }))], 'none', Math.max(cfg.runs, PAIRED_RUNS));
  for (const r of vRows) r.version = printed.get(r.id) ?? '';
  // A one-URL run, end to end.
  const server = await startServer({ pages: 1, latency: 0, size: '30k' });
  try {
    const urls = join(WORK, 'urls-startup-1.txt');
    writeFileSync(urls, urlList(server.base, 1));
    const out = join(WORK, 'out-startup-1.jsonl');
    // The output file is shared: removing it first means a run that writes nothing cannot pass on the previous run's file.
    const oneItem = (id, label, argv) => ({
      id,
      label,
      argv,
      before: () => rmSync(out, { force: true }),
      check: () => existsSync(out) && readFileSync(out, 'utf8').trim().split('\n').length === 1,
    });
    const one = (label, argv) => alternate([oneItem(undefined, label, argv)]);
    // Both builds of scrape alternate; the same argv but for the script.
    await alternate(scrapeBuilds().map((b) => oneItem(b.id, `${b.label}, 1 URL`, scrapeArgv({ c: 1, out: rel(out), urls: rel(urls), bin: b.bin }))));
    if (runnerFilter.has('bare-htmlparser2')) await one('bare-htmlparser2, 1 URL', RUNNERS['bare-htmlparser2'].argv({ c: 1, out: rel(out), urls: rel(urls) }));
    // Crawlee's fixed cost (start-up and its autoscaled pool's ticks); too slow for --quick.
    if (env.crawlee.ok && !opt.quick) await one('Crawlee, 1 URL', RUNNERS.crawlee.argv({ c: 1, out: rel(out), urls: rel(urls) }));
  } finally {
    await server.stop();
  }
  return { key: 'startup', cfg, rows };
}

/** Finds a numeric speedup in scrape's log lines (pino JSON on stderr, or plain text). */
function findSpeedup(text) {
  const walk = (o) => {
    if (!o || typeof o !== 'object') return null;
    for (const [k, v] of Object.entries(o)) {
      if (/speed-?up/i.test(k)) {
        const n = typeof v === 'number' ? v : Number.parseFloat(String(v));
        if (Number.isFinite(n)) return n;
      }
      const inner = walk(v);
      if (inner !== null) return inner;
    }
    return null;
  };
  for (const line of text.split('\n')) {
    try {
      const n = walk(JSON.parse(line));
      if (n !== null) return { value: n, line: line.trim() };
    } catch {
      const m = /speed-?up\D{0,20}?([\d.]+)\s*(?:x|×)?/i.exec(line);
      if (m) return { value: Number(m[1]), line: line.trim() };
    }
  }
  return null;
}

/**
 * The same list through the fetch-only floor runner, 3 times: its in-process wall
 * (first request to last body) is the shortest concurrent pass this client and
 * server allow here, so seqIdeal ÷ it is the highest speedup any scraper could
 * honestly report.
 */
async function compareFloor(cfg, server, urls) {
  const walls = [];
  for (let i = 0; i < 3; i++) {
    const out = join(WORK, 'out-compare-floor.jsonl');
    await server.reset();
    const m = await runChild(RUNNERS['fetch-only'].argv({ c: cfg.c, out: rel(out), urls: rel(urls) }), { tag: 'compare-floor', timeoutMs: 60_000 });
    const line = readFileSync(m.stderrFile, 'utf8').split('\n').find((l) => l.startsWith('{"inProcessMs"'));
    const served = (await server.stats()).pages;
    rmSync(out, { force: true });
    if (!m.ok || !line || served < cfg.pages) return { reason: m.ok ? `served ${served} of ${cfg.pages}` : m.reason };
    walls.push(JSON.parse(line).inProcessMs);
  }
  const inProcessMs = median(walls);
  const ceiling = (cfg.pages * cfg.latency) / inProcessMs;
  console.log(`compare floor: fetch-only in-process ${walls.map((w) => w.toFixed(0)).join(', ')} ms; at most ${ceiling.toFixed(2)}× against the ideal sequential time`);
  return { walls, inProcessMs, ceiling };
}

async function compareWorkload(cfg) {
  console.log('\n== --compare');
  const seqIdeal = (cfg.pages * cfg.latency) / 1000;
  const concIdeal = (Math.ceil(cfg.pages / cfg.c) * cfg.latency) / 1000;
  const res = { key: 'compare', cfg, seqIdeal, concIdeal, ideal: seqIdeal / concIdeal };
  const server = await startServer({ pages: cfg.pages, latency: cfg.latency, size: '30k' });
  try {
    const urls = join(WORK, `urls-compare-${cfg.pages}.txt`);
    writeFileSync(urls, urlList(server.base, cfg.pages));
    const out = join(WORK, 'out-compare.jsonl');
    rmSync(out, { force: true });
    // --quiet would silence the report, so it is left out here.
    const argv = scrapeArgv({ c: cfg.c, out: rel(out), urls: rel(urls), extra: ['--compare'] }).filter((a) => a !== '--quiet');
    res.argv = argv;
    const m = await runChild(argv, { tag: 'compare-scrape', timeoutMs: cfg.timeoutMs });
    res.wallS = m.wallMs / 1000;
    res.served = (await server.stats()).pages;
    const found = findSpeedup(`${readFileSync(m.stderrFile, 'utf8')}\n${readFileSync(m.stdoutFile, 'utf8')}`);
    if (!m.ok) res.reason = m.reason;
    else if (!found) res.reason = 'no speedup found in scrape\'s stderr';
    if (found) {
      res.speedup = found.value;
      res.line = found.line.slice(0, 400);
      res.deviation = Math.abs(found.value - res.ideal) / res.ideal;
    }
    console.log(`compare: ${res.reason ? `FAILED: ${res.reason}` : `reported speedup ${res.speedup} (ideal ${res.ideal}), wall ${res.wallS.toFixed(1)} s`}`);
    if (runnerFilter.has('fetch-only')) res.floor = await compareFloor(cfg, server, urls);
  } finally {
    await server.stop();
  }
  return res;
}

// ---------------------------------------------------------------------------
// Report

const f2 = (x) => (x === null || x === undefined ? '–' : x.toFixed(2));
const f0 = (x) => (x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
const fMB = (x) => (x === null || x === undefined ? '–' : x.toFixed(0));

function statusText(r) {
  if (r.status === 'ok') return 'ok';
  if (r.status === 'INVALID') return `**INVALID**: ${r.problems.join('; ')}`;
  return `**${r.status}**: ${r.reason}`;
}

function loadNote(wl) {
  const notes = [];
  const q = wl.quiet?.filter((x) => x.idle !== null) ?? [];
  if (q.length) {
    const waited = q.reduce((a, x) => a + x.waitedMs, 0) / 1000;
    notes.push(`Before each run the bench waited up to ${settle.maxWaitMs / 1000} s for the CPUs to be ≥ ${Math.round(settle.minIdle * 100)}% idle (${waited.toFixed(0)} s of waiting in all).`);
  } else if (!settle) notes.push('No waiting for an idle machine before runs (--quick or --no-settle).');
  const runs = wl.results.flatMap((r) => r.runs).filter((x) => x.foreignShare !== null);
  const dirty = runs.filter((x) => !x.clean);
  if (runs.length) {
    if (!dirty.length) notes.push(`During every run other processes used ≤ ${FOREIGN_LIMIT * 100}% of the CPUs.`);
    else {
      const mixed = wl.results.filter((r) => r.used?.some((x) => !x.clean));
      notes.push(`**During ${dirty.length} of ${runs.length} runs other processes used more than ${FOREIGN_LIMIT * 100}% of the CPUs** ` +
        `(up to ${Math.round(Math.max(...dirty.map((x) => x.foreignShare)) * 100)}%); those runs are left out of the medians where ≥ 3 clean runs remain` +
        `${mixed.length ? `, which was not the case for ${mixed.map((r) => r.label).join('; ')}: their wall times are inflated` : ''}.`);
    }
  }
  return notes.join(' ');
}

function throughputTable(wl) {
  const ideal = wl.idealS;
  const head = ['Runner', 'Status', 'Wall s (median)', 'Wall range s', 'Pages/s', 'CPU s (user+sys)', 'Pages per CPU s', 'Peak RSS MB', 'Connections', 'Runs'];
  if (ideal) head.splice(3, 0, 'Wall ÷ ideal');
  const rows = [head, head.map(() => '---')];
  for (const r of wl.results) {
    const s = r.summary;
    const row = [r.label, statusText(r), f2(s?.wallS), s ? `${f2(s.minS)}–${f2(s.maxS)}` : '–', f0(s?.pps), f2(s?.cpuS), s?.cpuS ? f0(r.n / s.cpuS) : '–', fMB(s?.rssMB), f0(s?.connections), `${r.runs.length}/${r.attempted || wl.runs}${r.used && r.used.length !== r.runs.length ? ` (${r.used.length} clean used)` : ''}`];
    if (ideal) row.splice(3, 0, s ? f2(s.wallS / ideal) : '–');
    rows.push(row);
  }
  return `${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n\n${loadNote(wl)}`;
}

const byId = (wl, id) => wl?.results.find((r) => r.id === id);
const usable = (r) => r?.summary && (r.status === 'ok' || r.status === 'INVALID');

/**
 * The --baseline comparison of one workload: scrape ÷ baseline for pages/s, pages per CPU s,
 * wall and peak RSS (above 1 is better for the first two, below 1 for the others). The
 * run-by-run range divides the runs of the same repetition, which ran back to back: when it
 * straddles 1, the medians' difference is within the noise. null when one build did not run.
 */
function beforeAfterLine(after, before, what = '') {
  if (!after || !before) return null;
  const name = `scrape ÷ baseline${what}`;
  if (!usable(after) || !usable(before)) return `- ${name}: not measured (${!usable(after) ? `${after.label} ${after.status}` : `${before.label} ${before.status}`})`;
  const [a, b] = [after.summary, before.summary];
  const parts = [`pages/s ${f2(a.pps / b.pps)}`];
  if (a.cpuS && b.cpuS) parts.push(`pages per CPU s ${f2(b.cpuS / a.cpuS)}`);
  parts.push(`wall ${f2(a.wallS / b.wallS)}`);
  if (a.rssMB && b.rssMB) parts.push(`peak RSS ${f2(a.rssMB / b.rssMB)}`);
  const beforeRep = new Map(before.used.map((x) => [x.rep, x]));
  const pairs = after.used.map((x) => [x, beforeRep.get(x.rep)]).filter(([, y]) => y);
  const range = (xs) => (xs.length >= 2 ? `${f2(Math.min(...xs))}–${f2(Math.max(...xs))}` : null);
  const perCpu = range(pairs.filter(([x, y]) => x.cpuS && y.cpuS).map(([x, y]) => y.cpuS / x.cpuS));
  const wall = range(pairs.map(([x, y]) => x.wallMs / y.wallMs));
  const notes = [];
  if (perCpu || wall) notes.push(`run by run: ${[perCpu && `pages per CPU s ${perCpu}`, wall && `wall ${wall}`].filter(Boolean).join(', ')}`);
  for (const x of [after, before]) if (x.status === 'INVALID') notes.push(`${x.label} INVALID`);
  return `- ${name}: ${parts.join(', ')}${notes.length ? ` (${notes.join('; ')})` : ''}${disturbed(after, before)}`;
}

function ratioLines(wl) {
  const s = byId(wl, 'scrape');
  const lines = [];
  const ba = beforeAfterLine(s, byId(wl, 'scrape-before'));
  if (ba) lines.push(ba);
  for (const id of ['bare-htmlparser2', 'bare-parse5', 'crawlee', 'wget']) {
    const o = byId(wl, id);
    if (!o) continue;
    const label = `scrape ÷ ${o.label} (pages/s)`;
    if (usable(s) && usable(o)) {
      const note = [s, o].filter((x) => x.status === 'INVALID').map((x) => `${x.label} INVALID`).join(', ');
      const perCpu = s.summary.cpuS && o.summary.cpuS ? `; per CPU second: ${f2(o.summary.cpuS / s.summary.cpuS)}` : '';
      lines.push(`- ${label}: **${f2(s.summary.pps / o.summary.pps)}**${perCpu}${note ? ` (${note})` : ''}`);
    } else lines.push(`- ${label}: not measured (${!usable(s) ? `scrape ${s?.status ?? 'not run'}` : `${o.label} ${o.status}`})`);
  }
  const p5 = byId(wl, 'bare-parse5');
  const h2 = byId(wl, 'bare-htmlparser2');
  if (usable(p5) && usable(h2)) {
    lines.push(`- bare-htmlparser2 ÷ bare-parse5 (pages/s): ${f2(h2.summary.pps / p5.summary.pps)}; per CPU second: ${f2(p5.summary.cpuS / h2.summary.cpuS)}`);
  }
  lines.push('', 'Per-CPU-second ratios compare CPU seconds for the same pages; they are much less affected by other work on the machine than wall times.');
  return lines.join('\n');
}

/** Says when a result's medians include runs during which other work was competing. */
const disturbed = (...rs) => (rs.some((r) => r?.used?.some((x) => !x.clean)) ? ' — measured on a busy machine' : '');

function targetRows(W, quick) {
  const rows = [];
  const add = (target, measured, pass) => rows.push(`| ${target} | ${measured} | ${pass === null ? 'N/A' : pass ? 'PASS' : '**MISS**'} |`);
  const q = quick ? ' (quick sizes)' : '';
  const ok = (r) => r && r.status === 'ok' && r.summary;
  if (W.W1) {
    const s = byId(W.W1, 'scrape');
    for (const [id, k] of [['crawlee', 4], ['bare-htmlparser2', 0.9]]) {
      const o = byId(W.W1, id);
      const name = `W1${q}: scrape pages/s ≥ ${k} × ${o?.label ?? id}`;
      if (ok(s) && ok(o)) {
        const ratio = s.summary.pps / o.summary.pps;
        add(name, `${f2(ratio)} × (${f0(s.summary.pps)} vs ${f0(o.summary.pps)} pages/s)${disturbed(s, o)}`, ratio >= k);
      } else add(name, `not measured: ${!ok(s) ? `scrape ${s?.status ?? 'not run'}` : `${o?.label ?? id} ${o?.status ?? 'not run'}`}`, null);
    }
    add(`W1${q}: scrape peak RSS ≤ 150 MB`, ok(s) ? `${fMB(s.summary.rssMB)} MB median (max ${fMB(s.summary.rssMaxMB)})` : `not measured: scrape ${s?.status ?? 'not run'}`, ok(s) ? s.summary.rssMB <= 150 : null);
  }
  if (W.W2) {
    const s = byId(W.W2, 'scrape');
    const floor = byId(W.W2, 'fetch-only');
    const floorNote = ok(floor) ? `; fetch-only floor (no parsing) ${f2(floor.summary.wallS)} s = ${f2(floor.summary.wallS / W.W2.idealS)} × ideal` : '';
    add(`W2${q}: scrape wall ≤ 1.10 × ideal (${f2(W.W2.idealS)} s)`, ok(s) ? `${f2(s.summary.wallS)} s = ${f2(s.summary.wallS / W.W2.idealS)} × ideal${floorNote}${disturbed(s)}` : `not measured: scrape ${s?.status ?? 'not run'}`,
      ok(s) ? s.summary.wallS <= 1.1 * W.W2.idealS : null);
  }
  if (W.W3) {
    const big = byId(W.W3, `scrape-${W.W3.cfg.big}`) ?? { status: 'not run' };
    const small = byId(W.W3, `scrape-${W.W3.cfg.small}`) ?? { status: 'not run' };
    const n = W.W3.cfg.big.toLocaleString('en-US');
    add(`W3${q}: peak RSS ≤ 150 MB at ${n} URLs`, ok(big) ? `${fMB(big.summary.rssMB)} MB median (max ${fMB(big.summary.rssMaxMB)})` : `not measured: ${big.status}`, ok(big) ? big.summary.rssMB <= 150 : null);
    const both = ok(big) && ok(small);
    const d = both ? big.summary.rssMB - small.summary.rssMB : null;
    add(`W3${q}: RSS at ${n} within 30 MB of ${W.W3.cfg.small.toLocaleString('en-US')} URLs`, both ? `${d >= 0 ? '+' : ''}${d.toFixed(1)} MB` : 'not measured', both ? d <= 30 : null);
  }
  if (W.startup) {
    const v = W.startup.rows.find((r) => r.label === 'scrape --version');
    add('`scrape --version` median ≤ 150 ms', v && !v.reason ? `${f0(v.ms)} ms` : `not measured: ${v?.reason ?? 'not run'}`, v && !v.reason ? v.ms <= 150 : null);
    const p = versionPairing(W.startup.rows);
    add(`\`scrape --version\` ≤ 1.15 × \`node -e 0\` (medians of ${PAIRED_RUNS} paired runs)`, p ? `${f2(p.ratio)}× (${f0(v.ms)} ÷ ${f0(W.startup.rows.find((r) => r.id === 'node').ms)} ms)` : 'not measured', p ? p.ratio <= 1.15 : null);
  }
  if (W.crawl) {
    const s = byId(W.crawl, 'scrape');
    const o = byId(W.crawl, 'crawlee');
    const name = `crawl${q}: scrape --follow pages/s ≥ 3 × Crawlee`;
    if (ok(s) && ok(o)) {
      const ratio = s.summary.pps / o.summary.pps;
      add(name, `${f2(ratio)} × (${f0(s.summary.pps)} vs ${f0(o.summary.pps)} pages/s)${disturbed(s, o)}`, ratio >= 3);
    } else add(name, `not measured: ${!ok(s) ? `scrape ${s?.status ?? 'not run'}` : `Crawlee ${o?.status ?? 'not run'}`}`, null);
    const others = ['crawlee', 'wget'].map((id) => byId(W.crawl, id)).filter(ok);
    const lowest = others.reduce((a, r) => (a && a.summary.rssMB <= r.summary.rssMB ? a : r), null);
    add(`crawl${q}: scrape's peak RSS the lowest of scrape, Crawlee and wget`,
      ok(s) && others.length === 2 ? `${fMB(s.summary.rssMB)} MB; lowest of the others: ${lowest.label} ${fMB(lowest.summary.rssMB)} MB` : 'not measured (a runner did not pass)',
      ok(s) && others.length === 2 ? s.summary.rssMB < lowest.summary.rssMB : null);
  }
  if (W['crawl-rss']) {
    const big = W['crawl-rss'].rows.filter((r) => r.mode === 'discovered').at(-1);
    const name = `crawl-rss${q}: peak RSS < 300 MB at ${big ? f0(big.size) : '1,000,000'} discovered URLs (issue's bound: 1,000,000)`;
    // Below a million URLs the bound says nothing: N/A, with the figure.
    if (big && !big.error && !big.problems.length) add(name, `${f0(big.peakRssMB)} MB (${f0(big.records)} pages fetched)`, big.size >= 1_000_000 ? big.peakRssMB < 300 : null);
    else add(name, `not measured: ${big?.error ?? big?.problems.join('; ') ?? 'not run'}`, null);
  }
  if (W.compare) {
    const c = W.compare;
    const floorNote = c.floor?.ceiling ? `; a fetch-only loop (no parsing) took ${f0(c.floor.inProcessMs)} ms in-process, which could report at most ${f2(c.floor.ceiling)}×` : '';
    add(`\`--compare\` speedup within 10% of ideal (${f2(c.ideal)}×)`, c.speedup !== undefined ? `${f2(c.speedup)}× (${(c.deviation * 100).toFixed(1)}% off)${floorNote}` : `not measured: ${c.reason}`,
      c.speedup !== undefined && !c.reason ? c.deviation <= 0.1 : null);
  }
  return rows;
}

function crawlSection(wl) {
  const c = wl.cfg;
  const L = [`## Crawl: a generated site of ${c.pages.toLocaleString('en-US')} linked pages (depth ${c.depth}), crawled from its home page, concurrency ${c.c}, ${c.runs} runs`, ''];
  L.push('The site (`bench/crawl-site.mjs`, tree shape) is served by a child process on 127.0.0.1: page i links to its five children, its parent, ' +
    'the home page and one page across the site (cycles), with ~1.5 KB of text. Each runner gets only the home page and must find the rest. ' +
    'Every run is checked on the server\'s side: every page requested, each exactly once, nothing else, and one record a page from the runners that write records; ' +
    '**a run that fails the check is not counted** (INVALID, left out of the medians). ' +
    'scrape extracts what it does in W1 (`-s h1=h1 -s price=.price --links`), as Crawlee does; wget saves and deletes each page and keeps one connection.', '');
  L.push(throughputTable(wl), '', ratioLines(wl), '');
  return L;
}

function crawlRssSection(wl) {
  const c = wl.cfg;
  const L = [`## Crawl memory: peak RSS by URLs discovered and by pages fetched, concurrency ${c.c}`, ''];
  L.push('In-process through the library (`bench/crawl-rss.mjs`): `scrape([home], { follow: true, depth: 100, maxPages, concurrency, perHost, robots: false })`, ' +
    'one crawler process per row, V8 tuned as the command line tunes it; peak RSS is `process.resourceUsage().maxRSS` at the end. ' +
    `By URLs discovered: the wide site, whose every page links to ${c.fanout} URLs never seen before (~60 characters each), crawled with \`maxPages\` = size ÷ ${c.fanout}, ` +
    'so the crawl discovers (`summary.crawl.discovered`) the size while fetching few pages; what it discovered past `maxPages` is queued, then dropped at the end. ' +
    'By pages fetched: the tree site of the crawl workload, every page fetched. One run each; checked on the server\'s side like the crawl workload.', '');
  L.push('| Mode | Discovered URLs | Pages fetched | Peak RSS MB | Wall s | CPU s | Pages/s | Check |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of wl.rows) {
    const what = r.mode === 'discovered' ? `discovered, ${f0(r.size)}` : `full, ${f0(r.size)} pages`;
    if (r.error) L.push(`| ${what} | – | – | – | – | – | – | **FAILED**: ${r.error} |`);
    else L.push(`| ${what} | ${f0(r.discovered)} | ${f0(r.records)} | ${f0(r.peakRssMB)} | ${f2(r.wallS)} | ${f2(r.cpuS)} | ${f0(r.pagesPerS)} | ${r.problems.length ? `**INVALID**: ${r.problems.join('; ')}` : 'ok'} |`);
  }
  const waited = wl.quiet.reduce((a, x) => a + x.waitedMs, 0) / 1000;
  L.push('', settle ? `Before each crawl the bench waited up to ${settle.maxWaitMs / 1000} s for the CPUs to be ≥ ${Math.round(settle.minIdle * 100)}% idle (${waited.toFixed(0)} s of waiting in all).` : 'No waiting for an idle machine (--quick or --no-settle).', '');
  return L;
}

function commandLine() {
  const args = process.argv.slice(2);
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  return `node bench/run.mjs${args.length ? ` ${args.join(' ')}` : ''}`;
}

function gitHead(cwd = ROOT) {
  const r = spawnSync('git', ['log', '-1', '--format=%h %s'], { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '(no commit yet)';
}

function report(W, env) {
  const cpus = os.cpus();
  const L = [];
  L.push('# scrape benchmark results', '');
  L.push(`Generated by \`bench/run.mjs\` on ${env.started.toISOString()} (took ${((Date.now() - env.started) / 1000).toFixed(0)} s).`, '');
  L.push('| | |', '| --- | --- |');
  L.push(`| Command | \`${commandLine()}\` |`);
  L.push(`| Machine | ${cpus.length} cores (os.cpus()), ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} |`);
  L.push(`| Node.js | ${process.version} |`);
  L.push(`| Load average (1/5/15 min) at the end | ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')} |`);
  L.push(`| Repository HEAD | ${gitHead()} |`);
  L.push(`| scrape | ${env.scrape.works ? `\`--help\` works; ${env.scrape.entry} built ${env.scrape.builtAt}${env.scrape.stale ? ' (**older than src/**: run npm run build)' : ''}${env.rebuilt ? ` (**rebuilt during the bench**, ${env.rebuilt}: runs may mix builds)` : ''}` : `**not working**: ${env.scrape.reason}`} |`);
  if (BASELINE) {
    const b = env.baseline;
    L.push(`| Baseline (--baseline) | \`${BASELINE.dir}\`, HEAD ${BASELINE.head}${BASELINE.dirty ? ' (**with uncommitted changes**)' : ''}; ` +
      `${b.works ? `\`--help\` works; ${b.entry} built ${b.builtAt}${b.stale ? ' (**older than its src/**)' : ''}${env.baselineRebuilt ? ` (**rebuilt during the bench**, ${env.baselineRebuilt}: runs may mix builds)` : ''}` : `**not working**: ${b.reason}`} |`);
  }
  L.push(`| Crawlee | ${env.crawlee.ok ? `@crawlee/cheerio ${env.crawlee.version} (bench/peers/crawlee)` : `**unavailable**: ${env.crawlee.reason}`} |`);
  L.push(`| CPU / RSS measured with | ${METHOD === 'time' ? 'GNU `/usr/bin/time -f "%e %U %S %M"` around each runner process' : '`node --import bench/rusage-hook.mjs` (process.resourceUsage() at exit)'}; wall time taken by the orchestrator around spawn → exit |`);
  L.push(`| Mode | ${opt.quick ? '**--quick** (reduced sizes; figures are not comparable with the targets)' : 'full'} |`);
  L.push('');
  L.push('The fixture server is a separate child process on 127.0.0.1 (keep-alive on) and shares the 2 cores with the runner being measured; ' +
    'its CPU is not counted. Runners alternate within each repetition (A B C D A B C D …); figures are medians. ' +
    'Every run\'s output is checked (one line per page, every page once, no error records, title/h1/price/links of sampled pages, and the server\'s own count of pages sent); a runner that fails the check is INVALID.', '');
  if (BASELINE) {
    L.push(`${BASELINE.label} is the --baseline checkout's \`bin/scrape.js\`, run with the same arguments from the same directory, right after scrape in every repetition, and checked the same way. ` +
      'Each section gives scrape ÷ baseline: above 1 is better for pages/s and pages per CPU s, below 1 for wall and peak RSS; ' +
      'the run-by-run range divides runs of the same repetition, so a range that straddles 1 means the difference is within this machine\'s noise.', '');
  }

  const wlHeader = {
    W1: (c) => `## W1 CPU-bound: ${c.pages.toLocaleString('en-US')} pages of ~30 KB, 0 ms latency, concurrency ${c.c}, ${c.runs} runs`,
    W2: (c) => `## W2 latency-bound: ${c.pages.toLocaleString('en-US')} pages at ${c.latency} ms latency, concurrency ${c.c}, ${c.runs} runs (ideal wall = ceil(${c.pages}/${c.c}) × ${c.latency} ms = ${f2((Math.ceil(c.pages / c.c) * c.latency) / 1000)} s)`,
  };
  for (const k of ['W1', 'W2']) {
    if (!W[k]) continue;
    L.push(wlHeader[k](W[k].cfg), '', throughputTable(W[k]), '', ratioLines(W[k]), '');
  }
  if (W.W2) L.push('W2 wall times are whole processes, start-up included (see the 1-URL runs under Start-up).', '');
  if (W.https) {
    const { cpu, latency } = W.https;
    L.push(`## HTTPS: --http1.1 vs --http2 (node:http2 secure server with allowHTTP1, test certificate), concurrency ${cpu.cfg.c}, ${cpu.cfg.runs} runs`, '');
    L.push(`CPU-bound: ${cpu.cfg.pages.toLocaleString('en-US')} pages of ~30 KB, 0 ms latency.`, '', throughputTable(cpu), '');
    L.push(`Latency-bound: ${latency.cfg.pages.toLocaleString('en-US')} pages at ${latency.cfg.latency} ms latency.`, '', throughputTable(latency), '');
  }
  if (W.W3) {
    const c = W.W3.cfg;
    L.push(`## W3 memory: scrape with ${c.small.toLocaleString('en-US')} and ${c.big.toLocaleString('en-US')} URLs, concurrency ${c.c}, ${c.runs} runs`, '');
    L.push(`Small pages (~3.7 KB, 12 links each) at 0 ms latency keep this quick: W3 measures whether memory grows with the length of the URL list, not parsing cost.`, '');
    L.push(throughputTable(W.W3), '');
    for (const b of ['scrape', 'scrape-before']) {
      const [small, big] = [byId(W.W3, `${b}-${c.small}`), byId(W.W3, `${b}-${c.big}`)];
      if (!small?.summary || !big?.summary) continue;
      const who = b === 'scrape' ? '' : `${BASELINE.label}: `;
      L.push(`- ${who}Peak RSS difference (${c.big.toLocaleString('en-US')} − ${c.small.toLocaleString('en-US')} URLs): **${(big.summary.rssMB - small.summary.rssMB).toFixed(1)} MB**`);
    }
    for (const n of [c.small, c.big]) {
      const ba = beforeAfterLine(byId(W.W3, `scrape-${n}`), byId(W.W3, `scrape-before-${n}`), `, ${n.toLocaleString('en-US')} URLs`);
      if (ba) L.push(ba);
    }
    L.push('');
  }
  if (W.workers) {
    const c = W.workers.cfg;
    L.push(`## Workers: ${c.pages} pages of ~300 KB, 0 ms latency, concurrency ${c.c}, ${c.runs} runs`, '');
    L.push(throughputTable(W.workers), '');
    // Each build against its own --workers ${c.workers[0]}, then the builds against each other.
    for (const b of ['scrape', 'scrape-before']) {
      const base = byId(W.workers, `${b}-w${c.workers[0]}`);
      for (const r of W.workers.results) {
        if (r.build !== b || r === base || !usable(r) || !usable(base)) continue;
        L.push(`- ${r.label} ÷ ${base.label} (pages/s): ${f2(r.summary.pps / base.summary.pps)}`);
      }
    }
    for (const w of c.workers) {
      const [after, before] = [byId(W.workers, `scrape-w${w}`), byId(W.workers, `scrape-before-w${w}`)];
      // Both UNSUPPORTED (neither build has --workers): nothing to compare.
      if (after?.status === 'UNSUPPORTED' && before?.status === 'UNSUPPORTED') continue;
      const ba = beforeAfterLine(after, before, `, --workers ${w}`);
      if (ba) L.push(ba);
    }
    L.push('');
  }
  if (W.startup) {
    L.push(`## Start-up: ${W.startup.cfg.runs} runs each; \`node -e 0\` and \`--version\` alternate, ${Math.max(W.startup.cfg.runs, PAIRED_RUNS)} runs each`, '');
    L.push('| What | Median ms | Range ms | Runs | Note |', '| --- | --- | --- | --- | --- |');
    for (const r of W.startup.rows) {
      L.push(`| ${r.label} | ${r.reason ? '–' : f0(r.ms)} | ${r.reason ? '–' : `${f0(r.min)}–${f0(r.max)}`} | ${r.runs} | ${r.reason ? `**FAILED**: ${r.reason}` : r.version ?? ''} |`);
    }
    L.push('');
    for (const label of ['scrape --version', ...(BASELINE ? [`${BASELINE.label} --version`] : [])]) {
      const p = versionPairing(W.startup.rows, label);
      if (p) L.push(`- \`${label}\` ÷ \`node -e 0\`, paired: ${f2(p.ratio)} (ratio of medians); pair by pair median ${f2(p.pairMedian)}, range ${f2(p.pairMin)}–${f2(p.pairMax)} (${p.runs} pairs)`);
    }
    L.push('');
    if (BASELINE) {
      // Start-up runs are not wrapped in /usr/bin/time (its own start-up would be in the figure): wall only.
      const rows = W.startup.rows;
      const part = (what, a, b) => (!a || !b ? null : a.reason || b.reason ? `${what} not measured` : `${what} ${f2(a.ms / b.ms)}`);
      const parts = [
        part('`--version` median wall', rows.find((r) => r.label === 'scrape --version'), rows.find((r) => r.id === 'scrape-before' && r.label.endsWith('--version'))),
        part('1-URL run median wall', rows.find((r) => r.id === 'scrape' && r.label.endsWith('1 URL')), rows.find((r) => r.id === 'scrape-before' && r.label.endsWith('1 URL'))),
      ].filter(Boolean);
      if (parts.length) L.push(`- scrape ÷ baseline: ${parts.join(', ')}`, '');
    }
  }
  if (W.compare) {
    const c = W.compare;
    L.push(`## \`--compare\`: ${c.cfg.pages} pages at ${c.cfg.latency} ms, concurrency ${c.cfg.c}`, '');
    L.push(`Ideal: sequential ${c.cfg.pages} × ${c.cfg.latency / 1000} s = ${f2(c.seqIdeal)} s, concurrent ceil(${c.cfg.pages}/${c.cfg.c}) × ${c.cfg.latency / 1000} s = ${f2(c.concIdeal)} s, ratio **${f2(c.ideal)}×**.`, '');
    L.push('| Reported speedup | Ideal | Deviation | Wall s (whole run) | Status |', '| --- | --- | --- | --- | --- |');
    L.push(`| ${c.speedup !== undefined ? `${f2(c.speedup)}×` : '–'} | ${f2(c.ideal)}× | ${c.deviation !== undefined ? `${(c.deviation * 100).toFixed(1)}%` : '–'} | ${f2(c.wallS)} | ${c.reason ? `**FAILED**: ${c.reason}` : 'ok'} |`);
    if (c.line) L.push('', `Log line read: \`${c.line.replace(/`/g, "'")}\``);
    if (c.floor?.ceiling) {
      L.push('', `Floor: the fetch-only runner (undici + p-limit, bodies read, nothing parsed) on the same list and server took ${c.floor.walls.map((w) => f0(w)).join(', ')} ms ` +
        `from first request to last body (median ${f0(c.floor.inProcessMs)} ms), so even a scraper that parsed nothing could report at most ` +
        `**${f2(c.floor.ceiling)}×** against the ideal ${f2(c.seqIdeal)} s sequential time (within 10 % needs ≥ ${f2(0.9 * c.ideal)}×).`);
    } else if (c.floor?.reason) L.push('', `Floor not measured: ${c.floor.reason}`);
    L.push('');
  }
  if (W.crawl) L.push(...crawlSection(W.crawl));
  if (W['crawl-rss']) L.push(...crawlRssSection(W['crawl-rss']));
  if (env.errors?.length) L.push('## Harness errors', '', ...env.errors.map((e) => `- ${e}`), '');
  L.push('## Targets', '', '| Target | Measured | Result |', '| --- | --- | --- |', ...targetRows(W, opt.quick), '');
  L.push('## Runner command lines', '');
  L.push('```');
  L.push(`${scrapeArgv({ c: 'C', out: 'OUT.jsonl', urls: 'urls.txt' }).join(' ')}   # + --workers N in the workers workload`);
  if (BASELINE) L.push(`${scrapeArgv({ c: 'C', out: 'OUT.jsonl', urls: 'urls.txt', bin: BASELINE.bin }).join(' ')}   # ${BASELINE.label}, same cwd`);
  for (const id of ['bare-parse5', 'bare-htmlparser2', 'crawlee', 'fetch-only']) L.push(RUNNERS[id].argv({ c: 'C', out: 'OUT.jsonl', urls: 'urls.txt' }).join(' '));
  if (W.crawl) {
    L.push(`${scrapeArgv({ c: 'C', out: 'OUT.jsonl', urls: 'home.txt', extra: CRAWL_FLAGS }).join(' ')}   # crawl; home.txt holds the home page's URL`);
    L.push(crawleeCrawlArgv({ c: 'C', out: 'OUT.jsonl', urls: 'home.txt' }).join(' '));
    L.push(wgetArgv('HOME_URL').join(' '));
  }
  L.push('```', '');
  return L.join('\n');
}

// ---------------------------------------------------------------------------

async function main() {
  const started = new Date();
  mkdirSync(WORK, { recursive: true });
  METHOD = opt.measure ?? detectMethod(WORK);
  if (METHOD !== 'time' && METHOD !== 'hook') fail(`--measure must be time or hook`);
  const scrape = probeScrape();
  console.log(`scrape: ${scrape.works ? `ok${scrape.stale ? ' (dist/ is OLDER than src/: run npm run build)' : ''}, --workers ${scrape.workers ? 'yes' : 'no'}, --compare ${scrape.compare ? 'yes' : 'no'}` : scrape.reason}`);
  const baseline = BASELINE ? probeScrape(BASELINE.dir) : null;
  if (BASELINE) {
    console.log(`baseline: ${BASELINE.dir} at ${BASELINE.head}${BASELINE.dirty ? ' (uncommitted changes)' : ''}; ` +
      `${baseline.works ? `ok${baseline.stale ? ' (its dist/ is OLDER than its src/)' : ''}, --workers ${baseline.workers ? 'yes' : 'no'}` : baseline.reason}`);
  }
  const needsCrawlee = runnerFilter.has('crawlee') && ['W1', 'W2', 'startup', 'crawl'].some((w) => only.includes(w));
  const crawlee = needsCrawlee ? await ensureCrawlee() : { ok: false, reason: 'not needed for this selection' };
  console.log(`crawlee: ${crawlee.ok ? `@crawlee/cheerio ${crawlee.version}` : crawlee.reason}; measuring with ${METHOD}`);
  const env = { started, scrape, baseline, crawlee };
  const W = {};
  const errors = [];
  const attempt = async (key, fn) => {
    if (!only.includes(key)) return;
    try {
      W[key] = await fn();
    } catch (err) {
      // A harness failure in one workload (e.g. the server not starting) does not lose the others.
      console.error(`bench: workload ${key} failed:`, err);
      errors.push(`${key}: ${String(err?.message ?? err)}`);
    }
  };
  await attempt('W1', () => throughputWorkload('W1', CFG.W1, env));
  await attempt('W2', () => throughputWorkload('W2', CFG.W2, env));
  if (anyScrape) await attempt('W3', () => memoryWorkload(CFG.W3));
  await attempt('workers', () => workersWorkload(CFG.workers, env));
  await attempt('startup', () => startupWorkload(CFG.startup, env));
  if (runnerFilter.has('scrape')) await attempt('compare', () => compareWorkload(CFG.compare));
  if (runnerFilter.has('scrape')) await attempt('https', () => httpsWorkload(CFG.https));
  await attempt('crawl', () => crawlWorkload(CFG.crawl, env));
  if (runnerFilter.has('scrape')) await attempt('crawl-rss', () => crawlRssWorkload(CFG['crawl-rss']));
  env.errors = errors;
  // The tree may be rebuilt while the bench runs (other people work in it): say so.
  const builtNow = (info) => (existsSync(info.entryPath) ? statSync(info.entryPath).mtimeMs : 0);
  if (scrape.builtAtMs !== undefined && builtNow(scrape) !== scrape.builtAtMs) {
    env.rebuilt = new Date(builtNow(scrape)).toISOString();
    console.log(`warning: ${scrape.entry} was rebuilt during the bench (${env.rebuilt}); scrape's runs may mix builds`);
  }
  if (BASELINE && baseline.builtAtMs !== undefined && builtNow(baseline) !== baseline.builtAtMs) {
    env.baselineRebuilt = new Date(builtNow(baseline)).toISOString();
    console.log(`warning: the baseline's ${baseline.entry} was rebuilt during the bench (${env.baselineRebuilt}); its runs may mix builds`);
  }
  if (errors.length) process.exitCode = 1;
  const md = report(W, env);
  writeFileSync(opt.out, md);
  console.log(`\n${md}\nWrote ${rel(opt.out)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main()
  .catch((err) => {
    console.error('bench failed:', err);
    process.exitCode = 1;
  })
  .finally(cleanup);
