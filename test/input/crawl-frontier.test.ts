/** The crawl's frontier: seeds first, then level by level; waits while pages are in flight; --max-pages; the seen set. */
import { describe, expect, it } from 'vitest';
import { crawlFrontier } from '../../src/input/crawl-frontier.js';
import { seedScope } from '../../src/input/follow.js';
import { linkTarget, toTarget, type Target, type UrlTarget } from '../../src/input/targets.js';
import { finishedKey } from '../../src/record/finished-key.js';
import { sourceOf } from '../../src/schedule/window.js';

const u = (path: string): string => `http://x.test${path}`;
const seeds = (...paths: string[]) => sourceOf((async function* () {
  for (const p of paths) yield toTarget(u(p));
})());
const found = (path: string, depth: number, parent: string): UrlTarget =>
  linkTarget(u(path), finishedKey(u(path)), { depth, parent: u(parent), source: 'link', seed: seedScope(u('/')) })!;
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
    const f = crawlFrontier(seeds('/', '/b'), null);
    const root = (await f.next())!;
    const b = (await f.next())!;
    expect([urlOf(root), urlOf(b)]).toEqual([u('/'), u('/b')]);
    f.add(found('/c', 1, '/'));
    const waiting = f.next();
    f.done(root);
    // /b is still in flight, and its page may find more depth-1 URLs: the next level waits.
    expect(await settled(waiting)).toBe(false);
    f.add(found('/d', 1, '/b'));
    f.done(b);
    expect(urlOf(await waiting)).toBe(u('/c'));
    expect(urlOf(await f.next())).toBe(u('/d'));
    f.done(root);
    f.done(b);
    expect(await f.next()).toBeNull();
    expect(f.counts()).toEqual({ discovered: 2, robotsSkipped: 0, droppedMaxPages: 0, otherShards: 0 });
  });

  it('queues a URL once: seeds, found URLs and redirect hops share one seen set of digests', async () => {
    const f = crawlFrontier(seeds('/'), null);
    const root = (await f.next())!;
    expect(f.add(found('/', 1, '/'))).toBe(false);
    expect(f.add(found('/a', 1, '/'))).toBe(true);
    expect(f.add(found('/a', 1, '/'))).toBe(false);
    expect(f.claimHop(u('/a'))).toBe(false);
    expect(f.claimHop(u('/moved-here'))).toBe(true);
    expect(f.add(found('/moved-here', 1, '/'))).toBe(false);
    expect(f.has(finishedKey(u('/a')))).toBe(true);
    f.done(root);
    expect(urlOf(await f.next())).toBe(u('/a'));
  });

  it('a URL found before the input line that names it is fetched once, as the seed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = crawlFrontier(
      sourceOf((async function* () {
        yield toTarget(u('/'));
        await gate;
        yield toTarget(u('/later-seed'));
      })()),
      null,
    );
    const root = (await f.next())!;
    f.add(found('/later-seed', 1, '/'));
    f.add(found('/other', 1, '/'));
    f.done(root);
    release();
    const seed = (await f.next())!;
    expect(urlOf(seed)).toBe(u('/later-seed'));
    expect(seed.kind === 'url' && seed.found).toBeUndefined();
    f.done(seed);
    expect(urlOf(await f.next())).toBe(u('/other'));
  });

  it('--max-pages: ends after N handed out and done, counts what is left, and a skipped URL gives its place back', async () => {
    const f = crawlFrontier(seeds('/'), 3);
    const root = (await f.next())!;
    for (const p of ['/a', '/b', '/c', '/d']) f.add(found(p, 1, '/'));
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
    expect(f.counts()).toEqual({ discovered: 4, robotsSkipped: 1, droppedMaxPages: 1, otherShards: 0 });
  });

  it('close() ends a next() that is waiting for pages in flight', async () => {
    const f = crawlFrontier(seeds('/'), null);
    await f.next();
    const waiting = f.next();
    f.close();
    expect(await waiting).toBeNull();
  });
});
