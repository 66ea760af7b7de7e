/** The crawl's frontier: seeds first, then level by level; waits while pages are in flight; --max-pages; the seen set. */
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/setup.js';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { crawlFrontier, type CrawlFrontier } from '../../src/input/crawl-frontier.js';
import { keySet } from '../../src/record/key-set.js';
import { openFrontierLog } from '../../src/input/frontier-log.js';
import { seedScope } from '../../src/input/follow.js';
import { linkTarget, toTarget, type Target, type UrlTarget } from '../../src/input/targets.js';
import { finishedKey } from '../../src/record/finished-key.js';
import { sourceOf } from '../../src/schedule/window.js';

const tmpRoot = useTmpDir();

const u = (path: string): string => `http://x.test${path}`;
const seeds = (...paths: string[]) => sourceOf((async function* () {
  for (const p of paths) yield toTarget(u(p));
})());
const found = (path: string, depth: number, parent: string): UrlTarget =>
  linkTarget(u(path), finishedKey(u(path)), { depth, parent: u(parent), source: 'link', seed: seedScope(u('/')) })!;
/** A frontier over `source`, its log in a new temporary folder. */
const frontier = (source: ReturnType<typeof seeds>, maxPages: number | null = null): CrawlFrontier =>
  crawlFrontier(source, { maxPages, log: openFrontierLog(join(mkdtempSync(join(tmpRoot(), 'frontier-')), 'frontier'), true) });
const add = (f: CrawlFrontier, t: UrlTarget): boolean => f.add(t, t.url);
const urlOf = (t: Target | null): string | null => (t === null ? null : t.kind === 'url' ? t.url : t.raw);
/** Whether a promise has settled after pending I/O ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('crawlFrontier', () => {
  it('hands out the seeds, then waits while they are in flight, then hands out what they added, level by level', async () => {
    const f = frontier(seeds('/', '/b'));
    const root = (await f.next())!;
    const b = (await f.next())!;
    expect([urlOf(root), urlOf(b)]).toEqual([u('/'), u('/b')]);
    add(f, found('/c', 1, '/'));
    const waiting = f.next();
    f.done(root);
    // /b is still in flight, and its page may find more depth-1 URLs: the next level waits.
    expect(await settled(waiting)).toBe(false);
    add(f, found('/d', 1, '/b'));
    f.done(b);
    expect(urlOf(await waiting)).toBe(u('/c'));
    expect(urlOf(await f.next())).toBe(u('/d'));
    f.done(root);
    f.done(b);
    expect(await f.next()).toBeNull();
    expect(f.counts()).toEqual({ discovered: 2, robotsSkipped: 0, droppedMaxPages: 0, otherShards: 0, unfinished: 0 });
  });

  it('queues a URL once: seeds, found URLs and redirect hops share one seen set of digests', async () => {
    const f = frontier(seeds('/'));
    const root = (await f.next())!;
    expect(add(f, found('/', 1, '/'))).toBe(false);
    expect(add(f, found('/a', 1, '/'))).toBe(true);
    expect(add(f, found('/a', 1, '/'))).toBe(false);
    expect(f.claimHop(u('/a'), root as UrlTarget)).toBe(false);
    expect(f.claimHop(u('/moved-here'), root as UrlTarget)).toBe(true);
    expect(add(f, found('/moved-here', 1, '/'))).toBe(false);
    expect(f.has(finishedKey(u('/a')))).toBe(true);
    f.done(root);
    expect(urlOf(await f.next())).toBe(u('/a'));
  });

  it('a URL found before the input line that names it is fetched once, as the seed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = frontier(
      sourceOf((async function* () {
        yield toTarget(u('/'));
        await gate;
        yield toTarget(u('/later-seed'));
      })()),
    );
    const root = (await f.next())!;
    add(f, found('/later-seed', 1, '/'));
    add(f, found('/other', 1, '/'));
    f.done(root);
    release();
    const seed = (await f.next())!;
    expect(urlOf(seed)).toBe(u('/later-seed'));
    expect(seed.kind === 'url' && seed.found).toBeUndefined();
    f.done(seed);
    expect(urlOf(await f.next())).toBe(u('/other'));
  });

  it('--max-pages: ends after N handed out and done, counts what is left, and a skipped URL gives its place back', async () => {
    const f = frontier(seeds('/'), 3);
    const root = (await f.next())!;
    for (const p of ['/a', '/b', '/c', '/d']) add(f, found(p, 1, '/'));
    f.done(root);
    const a = (await f.next())!;
    const b = (await f.next())!;
    const ending = f.next();
    expect(await settled(ending)).toBe(false);
    // robots.txt disallowed /a: no record, so it does not count.
    f.skipped(a);
    f.done(a);
    const c = await ending;
    expect(urlOf(c)).toBe(u('/c'));
    f.done(b);
    f.done(c!);
    expect(await f.next()).toBeNull();
    expect(f.counts()).toEqual({ discovered: 4, robotsSkipped: 1, droppedMaxPages: 1, otherShards: 0, unfinished: 0 });
  });

  it('close() ends a next() that is waiting for pages in flight', async () => {
    const f = frontier(seeds('/'));
    await f.next();
    const waiting = f.next();
    f.close();
    expect(await waiting).toBeNull();
  });

  it('--resume: hands out again what was queued and has no record, level by level, and keeps every URL seen', async () => {
    const file = join(mkdtempSync(join(tmpRoot(), 'frontier-')), 'frontier');
    // The killed run: the seed and /a got records; /b was in flight; /a's page found /a/1 and redirected once to /moved; /b's redirect claimed /b-moved.
    const first = crawlFrontier(seeds('/'), { maxPages: null, log: openFrontierLog(file, true) });
    const root = (await first.next()) as UrlTarget;
    for (const p of ['/a', '/b', '/c']) add(first, found(p, 1, '/'));
    first.done(root);
    const a = (await first.next()) as UrlTarget;
    const b = (await first.next()) as UrlTarget;
    add(first, found('/a/1', 2, '/a'));
    expect(first.claimHop(u('/moved'), a)).toBe(true);
    expect(first.claimHop(u('/b-moved'), b)).toBe(true);
    first.flush();

    const finished = keySet();
    for (const t of [root, a]) finished.add(t.key);
    // The seed has a record: --resume drops it before the frontier sees it.
    const again = crawlFrontier(seeds(), { maxPages: null, log: openFrontierLog(file, false), finished });
    const level1 = [(await again.next())!, (await again.next())!];
    expect(level1.map(urlOf)).toEqual([u('/b'), u('/c')]);
    expect(level1.map((t) => t.kind === 'url' && t.found?.depth)).toEqual([1, 1]);
    const waiting = again.next();
    expect(await settled(waiting)).toBe(false);
    for (const t of level1) again.done(t);
    const a1 = (await waiting) as UrlTarget;
    expect(a1.url).toBe(u('/a/1'));
    expect(a1.found).toMatchObject({ depth: 2, parent: u('/a') });
    // Seen: what has records, what was queued, /a's hop; not /b's hop, which /b, fetched again, claims again.
    for (const p of ['/', '/a', '/b', '/c', '/a/1', '/moved']) expect(again.has(finishedKey(u(p))), p).toBe(true);
    expect(again.has(finishedKey(u('/b-moved')))).toBe(false);
    expect(again.claimHop(u('/b-moved'), level1[0] as UrlTarget)).toBe(true);
    expect(add(again, found('/c', 1, '/'))).toBe(false);
    again.done(a1);
    expect(await again.next()).toBeNull();
    expect(again.ended).toBe(true);
  });

  it('--resume with --max-pages counts the records the file has', async () => {
    const file = join(mkdtempSync(join(tmpRoot(), 'frontier-')), 'frontier');
    const first = crawlFrontier(seeds('/'), { maxPages: 3, log: openFrontierLog(file, true) });
    const root = (await first.next()) as UrlTarget;
    for (const p of ['/a', '/b', '/c']) add(first, found(p, 1, '/'));
    first.done(root);
    first.flush();
    const finished = keySet();
    finished.add(root.key);
    finished.add(found('/a', 1, '/').key);
    const again = crawlFrontier(seeds(), { maxPages: 3, log: openFrontierLog(file, false), finished });
    const b = (await again.next())!;
    expect(urlOf(b)).toBe(u('/b'));
    again.done(b);
    expect(await again.next()).toBeNull();
    expect(again.counts().droppedMaxPages).toBe(1);
  });
});
