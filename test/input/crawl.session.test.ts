/**
 * Issue 15, following links: --follow through a whole session (in-process),
 * against a site the test generates (helpers/crawl-site.ts) whose host names
 * all connect to 127.0.0.1.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishedKey } from '../../src/record/finished-key.js';
import type { RawOptions } from '../../src/config/options.js';
import { html, useCrawlSite, type SitePage } from '../helpers/crawl-site.js';
import type { Rec } from '../helpers/run.js';
import { inProcess } from '../helpers/session.js';
import { shardOfHost } from '../../src/input/shard.js';
import { parseCsv } from '../helpers/csv.js';

/** The tree: page i links to its children 2i+1 and 2i+2, to its parent and to the root (cycles). 127 pages, depths 0–6. */
const TREE = 127;
const treeDepth = (i: number): number => Math.floor(Math.log2(i + 1));
function treePage(i: number): SitePage {
  const links = [2 * i + 1, 2 * i + 2].filter((c) => c < TREE).map((c) => `/p/${c}`);
  if (i > 0) links.push(`/p/${Math.floor((i - 1) / 2)}`, '/p/0');
  return html(`Page ${i}`, links);
}

let blogOrigin = '';
let flakyHits = 0;
let otherOrigin = '';

const SITE: Record<string, () => SitePage> = {
  '/robots.txt': () => ({ type: 'text/plain', body: 'User-agent: *\nDisallow: /private/\n' }),
  '/start': () =>
    html('Start', ['/docs/a', '/about', `${blogOrigin}/`, `${otherOrigin}/`, '/private/x', '/data.json', 'mailto:x@example.test', '/docs/a#part', 'javascript:void(0)']),
  '/docs/a': () => html('Doc A', ['/docs/b', '/about']),
  '/docs/b': () => html('Doc B'),
  '/about': () => html('About', ['/start']),
  '/data.json': () => ({ type: 'application/json', body: JSON.stringify({ html: '<a href="/never">never</a>' }) }),
  '/nofollow/start': () =>
    html('Nofollow', [{ href: '/nofollow/rel', rel: 'external NoFollow' }, '/nofollow/meta', '/nofollow/header', '/nofollow/other-bot', '/nofollow/plain']),
  '/nofollow/rel': () => html('Rel target'),
  '/nofollow/meta': () => html('Meta', ['/nofollow/from-meta'], '<meta name="ROBOTS" content="noindex, nofollow">'),
  '/nofollow/header': () => ({ ...html('Header', ['/nofollow/from-header']), headers: { 'x-robots-tag': 'noarchive, nofollow' } }),
  '/nofollow/other-bot': () => ({ ...html('Other bot', ['/nofollow/from-other-bot']), headers: { 'x-robots-tag': 'googlebot: nofollow' } }),
  '/nofollow/plain': () => html('Plain'),
  '/nofollow/from-meta': () => html('From meta'),
  '/nofollow/from-header': () => html('From header'),
  '/nofollow/from-other-bot': () => html('From other bot'),
  '/redir/start': () => html('Redirects', ['/redir/a', '/redir/moved', '/redir/fresh']),
  '/redir/a': () => html('A', ['/redir/b']),
  '/redir/moved': () => ({ status: 301, headers: { location: '/redir/a' } }),
  '/redir/fresh': () => ({ status: 301, headers: { location: '/redir/target' } }),
  '/redir/b': () => html('B', ['/redir/target']),
  '/redir/target': () => html('Target'),
  '/redir/flaky': () => ({ status: 301, headers: { location: '/redir/flaky-target' } }),
  // 503 on every other request: the first attempt fails, its retry gets the page.
  '/redir/flaky-target': () => (++flakyHits % 2 === 1 ? { status: 503, headers: { 'retry-after': '0' } } : html('Flaky target')),
  '/sel/start': () => ({
    body: '<html><head><title>Sel</title></head><body><nav><a href="/sel/nav">n</a></nav><a class="next" href="/sel/next">next</a><a href="/sel/other">o</a></body></html>',
  }),
  '/sel/nav': () => html('Nav'),
  '/sel/next': () => html('Next'),
  '/sel/other': () => html('Other'),
};

const site = useCrawlSite((host, path) => {
  if (host === 'site.test') {
    const tree = /^\/p\/(\d+)$/.exec(path);
    if (tree) return Number(tree[1]) < TREE ? treePage(Number(tree[1])) : undefined;
    return SITE[path]?.();
  }
  if (host === 'blog.site.test') return path === '/' ? html('Blog', ['/post']) : path === '/post' ? html('Post') : undefined;
  if (host === 'other.test') return path === '/' ? html('Other', ['/x']) : path === '/x' ? html('X') : undefined;
  return undefined;
});

const at = (path: string): string => `${site().origin('site.test')}${path}`;

async function crawl(seeds: readonly string[], options: RawOptions = {}) {
  blogOrigin = site().origin('blog.site.test');
  otherOrigin = site().origin('other.test');
  site().reset();
  const r = await inProcess({ stdin: seeds.join('\n'), options: { follow: true, retries: '0', ...options }, dispatcher: site().dispatcher });
  // Each URL at most once per run, whatever the crawl found or followed.
  for (const [url, n] of site().hits) expect(n, url).toBe(1);
  return r;
}

const urls = (records: readonly Rec[]): string[] => records.map((r) => r.url).sort();
const tree = (ids: readonly number[]): string[] => ids.map((i) => at(`/p/${i}`)).sort();
const range = (n: number): number[] => [...Array(n).keys()];

/** URLs grouped by a number (their depth): number → sorted URLs. */
function grouped(items: readonly [number, string][]): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const [n, url] of items) {
    out[n] ??= [];
    out[n].push(url);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}
const byDepth = (records: readonly Rec[]) => grouped(records.map((r) => [r.depth!, r.url]));

describe('--follow and --depth', () => {
  it('fetches the pages within --depth 3 (the default) of the seed, level by level, each once, with depth, parent and source', async () => {
    const r = await crawl([at('/p/0')]);
    expect(r.exitCode).toBe(0);
    expect(byDepth(r.records)).toEqual(grouped(range(15).map((i) => [treeDepth(i), at(`/p/${i}`)])));
    expect(site().requested()).toEqual(tree(range(15)));
    for (const rec of r.records) {
      const i = Number(rec.url.split('/').at(-1));
      expect(rec.parent).toBe(i === 0 ? null : at(`/p/${Math.floor((i - 1) / 2)}`));
      expect(rec.source).toBe(i === 0 ? 'input' : 'link');
    }
  });

  it('reaches every page of a site 6 links deep with --depth 6, and nothing more', async () => {
    const r = await crawl([at('/p/0')], { depth: '6' });
    expect(urls(r.records)).toEqual(tree(range(TREE)));
    expect(Math.max(...r.records.map((x) => x.depth!))).toBe(6);
    expect(r.outcome.kind === 'ran' && r.outcome.summary.crawl).toEqual({ discovered: TREE - 1, robotsSkipped: 0, droppedMaxPages: 0, otherShards: 0, unfinished: 0 });
  });

  it('--depth 0 fetches the seeds only', async () => {
    const r = await crawl([at('/p/0'), at('/p/5')], { depth: '0' });
    expect(urls(r.records)).toEqual(tree([0, 5]));
    expect(site().requested()).toEqual(tree([0, 5]));
  });

  it('a seed that another seed links to is fetched once, as a seed (its own links are then one hop away)', async () => {
    const r = await crawl([at('/p/0'), at('/p/1')], { depth: '1' });
    expect(urls(r.records)).toEqual(tree([0, 1, 2, 3, 4]));
    expect(r.records.find((x) => x.url === at('/p/1'))).toMatchObject({ depth: 0, parent: null, source: 'input' });
  });
});

describe('--scope', () => {
  const start = () => at('/start');
  const inSite = () => ['/start', '/docs/a', '/docs/b', '/about', '/data.json'].map(at);

  it('host (the default) follows links on the seed\'s host only; mailto:, javascript: and fragments are not new URLs', async () => {
    const r = await crawl([start()]);
    expect(urls(r.records)).toEqual(inSite().sort());
  });

  it('domain adds the other hosts of the seed\'s registrable domain', async () => {
    const r = await crawl([start()], { scope: 'domain' });
    expect(urls(r.records)).toEqual([...inSite(), `${blogOrigin}/`, `${blogOrigin}/post`].sort());
  });

  it('any follows links anywhere', async () => {
    const r = await crawl([start()], { scope: 'any' });
    expect(urls(r.records)).toEqual([...inSite(), `${blogOrigin}/`, `${blogOrigin}/post`, `${otherOrigin}/`, `${otherOrigin}/x`].sort());
  });

  it('prefix follows links under the seed URL\'s folder', async () => {
    const r = await crawl([at('/docs/a')], { scope: 'prefix' });
    expect(urls(r.records)).toEqual([at('/docs/a'), at('/docs/b')]);
  });

  it('seeds are fetched whatever the scope and filters say', async () => {
    const r = await crawl([at('/docs/b'), `${otherOrigin}/x`], { scope: 'prefix', exclude: ['/x$'] });
    expect(urls(r.records)).toEqual([at('/docs/b'), `${otherOrigin}/x`].sort());
  });
});

describe('--include and --exclude', () => {
  it('--exclude cuts a branch: what is only reachable through it is not fetched', async () => {
    const r = await crawl([at('/p/0')], { depth: '6', exclude: ['/p/2$'] });
    const branch = new Set<number>();
    for (const i of range(TREE)) if (i === 2 || branch.has(Math.floor((i - 1) / 2))) branch.add(i);
    expect(urls(r.records)).toEqual(tree(range(TREE).filter((i) => !branch.has(i))));
  });

  it('--include keeps only matching links, and --exclude wins over it', async () => {
    const chain = await crawl([at('/p/0')], { depth: '6', include: ['/p/(1|3|7|15)$', '/p/31$'] });
    expect(urls(chain.records)).toEqual(tree([0, 1, 3, 7, 15, 31]));
    const both = await crawl([at('/p/0')], { depth: '6', include: ['/p/(1|3|7|15)$'], exclude: ['/p/7'] });
    expect(urls(both.records)).toEqual(tree([0, 1, 3]));
  });
});

describe('politeness', () => {
  it('a found URL robots.txt disallows is not requested and has no record; an input line gets ROBOTS_DISALLOWED', async () => {
    const r = await crawl([at('/start'), at('/private/y')]);
    expect(urls(r.records)).not.toContain(at('/private/x'));
    expect(site().hits.get(at('/private/x'))).toBeUndefined();
    expect(r.records.find((x) => x.url === at('/private/y'))?.error?.code).toBe('ROBOTS_DISALLOWED');
    expect(r.outcome.kind === 'ran' && r.outcome.summary.crawl?.robotsSkipped).toBe(1);
  });

  it('rel="nofollow" links, meta robots nofollow pages and X-Robots-Tag: nofollow pages are not followed; another bot\'s X-Robots-Tag is not ours', async () => {
    const r = await crawl([at('/nofollow/start')]);
    expect(urls(r.records)).toEqual(
      ['/nofollow/start', '/nofollow/meta', '/nofollow/header', '/nofollow/other-bot', '/nofollow/plain', '/nofollow/from-other-bot'].map(at).sort(),
    );
  });

  it('--ignore-nofollow follows them all', async () => {
    const r = await crawl([at('/nofollow/start')], { ignoreNofollow: true });
    expect(r.records).toHaveLength(9);
  });
});

describe('what is parsed for links', () => {
  it('a non-HTML page gets its record and is not parsed for links', async () => {
    const r = await crawl([at('/data.json')]);
    expect(urls(r.records)).toEqual([at('/data.json')]);
    expect(r.records[0]).toMatchObject({ ok: true, contentType: 'application/json', depth: 0 });
  });

  it('--link-selector picks the elements followed, on the streaming path and the DOM path alike', async () => {
    const streamed = await crawl([at('/sel/start')], { linkSelector: 'a.next' });
    expect(urls(streamed.records)).toEqual([at('/sel/next'), at('/sel/start')]);
    const dom = await crawl([at('/sel/start')], { linkSelector: 'nav a' });
    expect(urls(dom.records)).toEqual([at('/sel/nav'), at('/sel/start')]);
  });
});

describe('redirects', () => {
  it('a redirect to a URL already queued is not followed; its record says where it points', async () => {
    const r = await crawl([at('/redir/start')]);
    expect(r.records.find((x) => x.url === at('/redir/moved'))).toMatchObject({ ok: true, status: 301, finalUrl: at('/redir/a'), title: null, bytes: 0 });
    // The hop's target was fetched by the redirect and is not fetched again when a later page links to it.
    expect(r.records.find((x) => x.url === at('/redir/fresh'))).toMatchObject({ ok: true, status: 200, finalUrl: at('/redir/target'), title: 'Target' });
    expect(urls(r.records)).toEqual(['/redir/start', '/redir/a', '/redir/moved', '/redir/fresh', '/redir/b'].map(at).sort());
  });

  it('a retry requests its own redirect hop again', async () => {
    site().reset();
    const r = await inProcess({ stdin: at('/redir/flaky'), options: { follow: true, retries: '1' }, dispatcher: site().dispatcher });
    expect(r.records[0]).toMatchObject({ ok: true, status: 200, finalUrl: at('/redir/flaky-target'), title: 'Flaky target', attempts: 2 });
    expect(site().hits.get(at('/redir/flaky-target'))).toBe(2);
  });
});

describe('--max-pages', () => {
  it('stops at N records, seeds included, and counts the URLs it dropped', async () => {
    const r = await crawl([at('/p/0')], { depth: '6', maxPages: '5' });
    expect(r.records).toHaveLength(5);
    expect(urls(r.records).slice(0, 3)).toEqual(tree([0, 1, 2]));
    // Level 2 is cut after two of its four pages: the other two and the four links those two found are dropped.
    expect(r.outcome.kind === 'ran' && r.outcome.summary.crawl?.droppedMaxPages).toBe(6);
  });
});

describe('the library', () => {
  it('scrape(urls, { follow: true }) crawls too: records with depth, parent and source, and the crawl counts in the summary', async () => {
    const { scrape } = await import('../../src/index.js');
    const run = scrape([at('/p/0')], { follow: true, depth: 2, dispatcher: site().dispatcher });
    const records = [];
    for await (const rec of run) records.push(rec);
    expect(records.map((r) => r.url).sort()).toEqual(tree(range(7)));
    expect(records.find((r) => r.url === at('/p/6'))).toMatchObject({ depth: 2, parent: at('/p/2'), source: 'link' });
    expect((await run.summary).crawl).toEqual({ discovered: 6, robotsSkipped: 0, droppedMaxPages: 0, otherShards: 0, unfinished: 0 });
  });

  it('ends the iteration with an error when the crawl state cannot be written (disk full), before any record goes out', async (ctx) => {
    if (!existsSync('/dev/full')) ctx.skip('no /dev/full here to fill the disk with');
    const { scrape } = await import('../../src/index.js');
    const state = mkdtempSync(join(tmpdir(), 'crawl-full-'));
    try {
      symlinkSync('/dev/full', join(state, 'frontier'));
      const records: unknown[] = [];
      const run = scrape([at('/p/0')], { follow: true, depth: 2, stateDir: state, dispatcher: site().dispatcher });
      await expect(
        (async () => {
          for await (const rec of run) records.push(rec);
        })(),
      ).rejects.toThrow(/cannot write the crawl's state .*ENOSPC/);
      expect(records).toEqual([]);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('keeps its frontier in a temporary file that has no name once open, so nothing is left however the run ends; stateDir keeps it', async () => {
    const { scrape } = await import('../../src/index.js');
    const tmp = mkdtempSync(join(tmpdir(), 'crawl-state-'));
    const saved = process.env.TMPDIR;
    // os.tmpdir() reads TMPDIR: the run's temporary folder is made in ours.
    process.env.TMPDIR = tmp;
    try {
      // Already while it runs: the frontier's file is open but has no name, so not even a kill -9 leaves it behind.
      for await (const _ of scrape([at('/p/0')], { follow: true, depth: 2, dispatcher: site().dispatcher })) expect(readdirSync(tmp)).toEqual([]);
      for await (const _ of scrape([at('/p/0')], { follow: true, depth: 2, dispatcher: site().dispatcher })) break;
      expect(readdirSync(tmp)).toEqual([]);
      const kept = join(tmp, 'kept');
      for await (const _ of scrape([at('/p/0')], { follow: true, depth: 1, stateDir: kept, dispatcher: site().dispatcher })) void _;
      expect(readFileSync(join(kept, 'frontier'), 'utf8')).toContain(`l\t${finishedKey(at('/p/1'))}\t${at('/p/1')}\n`);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('records', () => {
  it('have depth, parent and source only with --follow; CSV gets their columns', async () => {
    const plain = await inProcess({ stdin: at('/p/0'), options: { retries: '0' }, dispatcher: site().dispatcher });
    expect(plain.records[0]).not.toHaveProperty('depth');
    const csv = await crawl([at('/p/0'), 'not a url'], { depth: '1', format: 'csv' });
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header!.slice(header!.indexOf('depth'), header!.indexOf('depth') + 4)).toEqual(['depth', 'parent', 'source', 'timing']);
    expect(rows).toHaveLength(4);
  });
});

describe('--shard with --follow', () => {
  it('each shard follows only its own hosts\' URLs: together they fetch what one crawl does, none twice, and count what they left', async () => {
    const seeds = () => [at('/start'), `${site().origin('blog.site.test')}/`, `${site().origin('other.test')}/`];
    const options: RawOptions = { scope: 'any', depth: '2', robots: false };
    const whole = await crawl(seeds(), options);
    const shards = [];
    for (const shard of ['1/2', '2/2']) shards.push(await crawl(seeds(), { ...options, shard }));
    const [one, two] = shards.map((r) => urls(r.records));
    expect(one!.filter((u) => two!.includes(u))).toEqual([]);
    expect([...one!, ...two!].sort()).toEqual(urls(whole.records));
    shards.forEach((r, i) => {
      for (const rec of r.records) expect(shardOfHost(new URL(rec.url).host, 2), rec.url).toBe(i + 1);
    });
    // /start links to the roots of the two other hosts: those on the other shard are left to it, and counted.
    const siteShard = shardOfHost(new URL(at('/start')).host, 2);
    const elsewhere = ['blog.site.test', 'other.test'].filter((h) => shardOfHost(new URL(site().origin(h)).host, 2) !== siteShard).length;
    const counted = shards[siteShard - 1]!.outcome;
    expect(counted.kind === 'ran' && counted.summary.crawl!.otherShards).toBeGreaterThanOrEqual(elsewhere);
  });
});
