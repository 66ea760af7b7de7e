#!/usr/bin/env node
// The generated sites the crawl benchmarks crawl (issue 15), and their server.
// Used by bench/run.mjs (the crawl workload) and bench/crawl-rss.mjs.
//
//   node bench/crawl-site.mjs --shape tree --pages 10000
//   node bench/crawl-site.mjs --shape wide --fanout 200
//
// Page 0 is the home page, `/`, and only that: one URL per page.
//
// tree: N pages. Page i links to its five children (5i+1 … 5i+5), its parent,
//   the home page and one page across the site ((7919 i) mod N): cycles, and a
//   depth of about log5 N (6 for 10,000). A full crawl fetches all N pages.
// wide: no last page. Page i links to its F children (F i+1 … F i+F), its
//   parent and the home page, so each page fetched brings F URLs never seen
//   before: a crawl stopped after P pages (maxPages) has discovered exactly
//   F × P URLs while fetching only P. Its URLs are ~60 characters long, like
//   real ones, because what a frontier keeps per URL grows with its length.
//
// The server (node:http on 127.0.0.1, keep-alive on) prints one JSON line once
// listening, { port, base, home, shape, pages, cachedPages, pregenerateMs },
// and speaks child-server.mjs's IPC protocol: {type:'stats'} answers
// { pages (requests for pages), distinct, twice, bad, robots, connections },
// {type:'reset'} zeroes them. The crawl is checked on this side: which pages
// were requested, and how often (siteProblems).
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChildServer } from './child-server.mjs';

const SELF = fileURLToPath(import.meta.url);
const WIDE_SLUG = 'generated-page-title-slug';

/** The path of page i of a site of this shape. */
export function pagePath(shape, i) {
  if (i === 0) return '/';
  return shape === 'wide' ? `/w/${i}/${WIDE_SLUG}` : `/p/${i}`;
}

/** The ids page i links to, in document order (repeats and all, as a page would have them). */
function linkIds(shape, i, { pages, fanout }) {
  const ids = [];
  if (shape === 'wide') {
    for (let c = fanout * i + 1; c <= fanout * i + fanout; c++) ids.push(c);
    if (i > 0) ids.push(Math.floor((i - 1) / fanout), 0);
    return ids;
  }
  for (let c = 5 * i + 1; c <= 5 * i + 5 && c < pages; c++) ids.push(c);
  if (i > 0) ids.push(Math.floor((i - 1) / 5), 0);
  ids.push((i * 7919) % pages);
  return ids;
}

function pageHtml(shape, i, site) {
  const links = linkIds(shape, i, site).map((id) => pagePath(shape, id));
  // ~1.5 KB of text on the tree's pages; the wide site's weight is its links.
  const text = `Page ${i} of a generated site. `.repeat(shape === 'wide' ? 4 : 48);
  return `<!doctype html><html><head><title>Page ${i}</title></head><body><h1>Page ${i}</h1><p>${text}</p>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</body></html>`;
}

/** The tree site's depth: the longest shortest path from the home page (breadth first over the generator). */
export function treeDepth(pages) {
  const depth = new Int32Array(pages).fill(-1);
  depth[0] = 0;
  const queue = new Int32Array(pages);
  let head = 0;
  let tail = 1;
  let max = 0;
  while (head < tail) {
    const i = queue[head++];
    for (const c of linkIds('tree', i, { pages })) {
      if (depth[c] !== -1) continue;
      depth[c] = depth[i] + 1;
      max = depth[c];
      queue[tail++] = c;
    }
  }
  return max;
}

/**
 * What is wrong with a crawl, from the server's counts: `expected` pages
 * should each have been requested exactly once, and nothing else. [] = fine.
 */
export function siteProblems(stats, expected) {
  const problems = [];
  if (stats.distinct !== expected) problems.push(`${stats.distinct} of ${expected} pages requested`);
  if (stats.twice) problems.push(`${stats.twice} pages requested more than once (${stats.pages} page requests)`);
  if (stats.bad) problems.push(`${stats.bad} requests for URLs not on the site`);
  return problems;
}

/** Starts the site's server as a child process (child-server.mjs). */
export function startCrawlSite({ shape, pages = 0, fanout = 200 }) {
  return startChildServer(SELF, ['--shape', shape, '--pages', String(pages), '--fanout', String(fanout)]);
}

function serve({ shape, pages, fanout }) {
  const site = { pages, fanout };
  const route = shape === 'wide' ? new RegExp(`^/w/([1-9]\\d{0,14})/${WIDE_SLUG}$`) : /^\/p\/([1-9]\d{0,14})$/;
  const idOf = (url) => {
    if (url === '/') return 0;
    const m = route.exec(url);
    const i = m ? Number(m[1]) : -1;
    return shape === 'tree' && i >= pages ? -1 : i;
  };
  // Page bodies are built before listening, up to a budget, so building them
  // does not compete with the crawler for the two CPUs; past it, per request.
  const bodies = new Map();
  const budget = 64 * 1024 * 1024;
  let cached = 0;
  const body = (i) => bodies.get(i) ?? Buffer.from(pageHtml(shape, i, site));
  const t0 = performance.now();
  for (let i = 0; shape === 'tree' && i < pages && cached < budget; i++) {
    const b = body(i);
    bodies.set(i, b);
    cached += b.length;
  }
  const pregenerateMs = Math.round(performance.now() - t0);

  let hits = new Map(); // page id -> requests
  const stats = { bad: 0, robots: 0, connections: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/robots.txt') {
      stats.robots++;
      return res.writeHead(404).end();
    }
    const i = idOf(req.url ?? '');
    if (i < 0) {
      stats.bad++;
      return res.writeHead(404).end();
    }
    hits.set(i, (hits.get(i) ?? 0) + 1);
    const b = body(i);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': b.length }).end(b);
  });
  server.on('connection', () => stats.connections++);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    const base = `http://127.0.0.1:${port}`;
    process.stdout.write(`${JSON.stringify({ port, base, home: `${base}/`, shape, pages, fanout, cachedPages: bodies.size, pregenerateMs })}\n`);
  });
  process.on('message', (msg) => {
    if (msg?.type === 'stats') {
      let requests = 0;
      let twice = 0;
      for (const n of hits.values()) {
        requests += n;
        if (n > 1) twice++;
      }
      process.send({ type: 'stats', pages: requests, distinct: hits.size, twice, ...stats });
    } else if (msg?.type === 'reset') {
      hits = new Map();
      stats.bad = stats.robots = stats.connections = 0;
      process.send({ type: 'reset' });
    }
  });
  // The orchestrator went away: do not linger.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

if (process.argv[1] === SELF) {
  const { values } = parseArgs({
    options: { shape: { type: 'string', default: 'tree' }, pages: { type: 'string', default: '10000' }, fanout: { type: 'string', default: '200' } },
  });
  if (values.shape !== 'tree' && values.shape !== 'wide') throw new Error(`--shape must be tree or wide, got ${values.shape}`);
  serve({ shape: values.shape, pages: Number(values.pages), fanout: Number(values.fanout) });
}
