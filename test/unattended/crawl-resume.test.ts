/**
 * Issue 15: a crawl (--follow) killed with SIGKILL, twice, and started again
 * with the same command each time, against a site generated here: every page
 * ends up in the -o file exactly once, with the depth and parent an
 * uninterrupted crawl gives it; no page with a record is requested again, no
 * run requests a page twice; the state folder is kept while the crawl is
 * unfinished and removed once it is complete. Also --state-dir kept, and
 * --resume with --sitemap.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/run.js';
import { useTmpDir, writeList } from '../helpers/setup.js';
import { type Route, scriptServer } from './script-server.js';

interface Rec {
  url: string;
  depth: number;
  parent: string | null;
  source: string;
}

const recordsIn = (file: string): Rec[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Rec)
    : [];

/** Page i links to its children 4i+1 … 4i+4, its parent, the home page and one page across the site (cycles). */
const N = 400;
const pathOf = (i: number): string => (i === 0 ? '/' : `/p/${i}`);
function linksOf(i: number): number[] {
  const out: number[] = [];
  for (let c = 4 * i + 1; c <= 4 * i + 4 && c < N; c++) out.push(c);
  if (i > 0) out.push(Math.floor((i - 1) / 4), 0);
  out.push((i * 37) % N);
  return out;
}
const site =
  (delayMs: number): Route =>
  (hit) => {
    if (hit.path === '/robots.txt') return { status: 404 };
    const m = /^\/(?:p\/(\d+))?$/.exec(hit.path);
    const i = m ? Number(m[1] ?? 0) : -1;
    if (i < 0 || i >= N) return { status: 404 };
    const body = `<!doctype html><title>${i}</title>${linksOf(i).map((c) => `<a href="${pathOf(c)}">${c}</a>`).join(' ')}`;
    return { headers: { 'content-type': 'text/html' }, body, delayMs };
  };

/** Page i's number, from its URL (`/` is page 0). */
const pageOf = (url: string): number => (new URL(url).pathname === '/' ? 0 : Number(new URL(url).pathname.slice(3)));

/** Breadth-first distance of each page from the home page: the depth an uninterrupted crawl records. */
function bfs(): number[] {
  const depth = Array<number>(N).fill(-1);
  depth[0] = 0;
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    for (const c of linksOf(queue[q]!)) {
      if (depth[c] === -1) {
        depth[c] = depth[queue[q]!]! + 1;
        queue.push(c);
      }
    }
  }
  return depth;
}

async function waitForRecords(file: string, n: number): Promise<void> {
  const started = Date.now();
  while (recordsIn(file).length < n) {
    if (Date.now() - started > 15_000) throw new Error(`fewer than ${n} records after 15 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('--follow --resume after SIGKILL', () => {
  const tmp = useTmpDir();

  it('finishes the crawl over two kills: every page once, depth as uninterrupted, nothing recorded fetched again', async () => {
    const s = await scriptServer(site(15));
    const seeds = writeList(tmp(), [s.url('/')]);
    const out = join(tmp(), 'crawl.jsonl');
    const args = ['--follow', '--depth', '20', '--resume', '-o', out, '-c', '4', seeds];
    const stateDir = `${out}.crawl`;

    /** Hits of each run, split where each kill happened. */
    const boundaries: number[] = [];
    const recordedBefore: Set<string>[] = [];
    for (const atLeast of [40, 160]) {
      const cli = startCli(args);
      cli.child.stdin.end();
      await waitForRecords(out, atLeast);
      cli.child.kill('SIGKILL');
      expect((await cli.done).signal).toBe('SIGKILL');
      boundaries.push(s.hits.length);
      recordedBefore.push(new Set(recordsIn(out).map((r) => r.url)));
      expect(existsSync(join(stateDir, 'frontier')), 'the state folder outlives the killed run').toBe(true);
    }
    expect(recordsIn(out).length).toBeLessThan(N);

    const r = await runCli(args, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');

    const recs = recordsIn(out);
    const urls = recs.map((x) => x.url);
    expect(new Set(urls).size, 'no duplicate record').toBe(urls.length);
    expect(new Set(urls)).toEqual(new Set(Array.from({ length: N }, (_, i) => s.url(pathOf(i)))));
    // Depth is the shortest link distance, as if the crawl had never stopped.
    const depth = bfs();
    for (const x of recs) {
      const i = pageOf(x.url);
      expect([x.url, x.depth]).toEqual([x.url, depth[i]]);
      if (i > 0) expect(linksOf(pageOf(x.parent!))).toContain(i);
    }
    // What had a record before a kill was not requested after it.
    const pageHits = s.hits.map((h, at) => ({ url: s.url(h.path), at })).filter((h) => !h.url.endsWith('/robots.txt'));
    boundaries.forEach((boundary, k) => {
      const again = pageHits.filter((h) => h.at >= boundary && recordedBefore[k]!.has(h.url));
      expect(again.map((h) => h.url)).toEqual([]);
    });
    // Within each run, no page requested twice.
    const runs = [0, ...boundaries, s.hits.length];
    for (let k = 0; k + 1 < runs.length; k++) {
      const inRun = pageHits.filter((h) => h.at >= runs[k]! && h.at < runs[k + 1]!).map((h) => h.url);
      expect(inRun.length, `run ${k + 1}`).toBe(new Set(inRun).size);
    }
    // Requested twice overall: only pages without a record at a kill (in flight, -c 4, or parsed with their record not yet written: at most 16 ahead).
    expect(pageHits.length - N).toBeLessThanOrEqual((4 + 16) * boundaries.length);
    // Complete: the default state folder is gone; the same command again fetches nothing.
    expect(existsSync(stateDir)).toBe(false);
    const idle = await runCli(args);
    expect(idle.code, idle.stderr).toBe(0);
    expect(recordsIn(out)).toHaveLength(N);
  }, 90_000);

  it('--state-dir DIR holds the frontier and is kept; a run without --resume starts the crawl afresh', async () => {
    const s = await scriptServer(site(0));
    const seeds = writeList(tmp(), [s.url('/')]);
    const state = join(tmp(), 'state');
    const out = join(tmp(), 'kept.jsonl');
    const first = await runCli(['--follow', '--depth', '2', '--state-dir', state, '-o', out, seeds]);
    expect(first.code, first.stderr).toBe(0);
    const expected = bfs().filter((d) => d >= 0 && d <= 2).length;
    expect(recordsIn(out)).toHaveLength(expected);
    expect(readdirSync(state)).toContain('frontier');
    const hits = s.pageHits().length;
    const second = await runCli(['--follow', '--depth', '2', '--state-dir', state, '-o', out, seeds]);
    expect(second.code, second.stderr).toBe(0);
    expect(recordsIn(out)).toHaveLength(expected);
    expect(s.pageHits().length - hits).toBe(expected);
    // Without --state-dir, the frontier is an unnamed file beside -o FILE: nothing is left there but FILE.
    const alone = join(tmp(), 'alone');
    mkdirSync(alone);
    const third = await runCli(['--follow', '--depth', '2', '-o', join(alone, 'out.jsonl'), seeds]);
    expect(third.code, third.stderr).toBe(0);
    expect(readdirSync(alone)).toEqual(['out.jsonl']);
  });

  it('a crawl state that cannot be written (disk full) stops the run: exit 4, one line, no stack trace, no record without its links', async (ctx) => {
    if (!existsSync('/dev/full')) ctx.skip('no /dev/full here to fill the disk with');
    const s = await scriptServer(site(0));
    const seeds = writeList(tmp(), [s.url('/')]);
    const state = join(tmp(), 'full');
    mkdirSync(state);
    // Every write to the frontier file fails with ENOSPC.
    symlinkSync('/dev/full', join(state, 'frontier'));
    const r = await runCli(['--follow', '--state-dir', state, seeds]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`scrape: cannot write the crawl's state "${join(state, 'frontier')}": ENOSPC`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('--state-dir is exit 2 without --follow, and when it is a file', async () => {
    const file = writeList(tmp(), ['not a folder']);
    for (const args of [['--state-dir', tmp()], ['--follow', '--state-dir', file]]) {
      const r = await runCli([...args, '-'], { stdin: '' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--state-dir');
    }
  });
});

describe('--resume with --sitemap', () => {
  const tmp = useTmpDir();

  it('skips the sitemap entries the file has, fetches the rest once, and records a failed sitemap once', async () => {
    const pages = Array.from({ length: 40 }, (_, i) => `/s/${i}`);
    const s = await scriptServer((hit) => {
      if (hit.path === '/robots.txt') return { status: 404 };
      if (hit.path === '/sitemap.xml') {
        const locs = pages.map((p) => `<url><loc>${s.url(p)}</loc></url>`).join('');
        return { headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs}</urlset>` };
      }
      if (hit.path === '/missing.xml') return { status: 404 };
      return { headers: { 'content-type': 'text/html' }, body: `<title>${hit.path}</title>`, delayMs: 40 };
    });
    const out = join(tmp(), 'sitemap.jsonl');
    const args = ['--sitemap', s.url('/missing.xml'), '--sitemap', s.url('/sitemap.xml'), '--resume', '-o', out, '-c', '2'];
    const cli = startCli(args);
    cli.child.stdin.end();
    await waitForRecords(out, 10);
    cli.child.kill('SIGKILL');
    await cli.done;
    const before = new Set(recordsIn(out).map((r) => r.url));
    const boundary = s.hits.length;
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const urls = recordsIn(out).map((x) => x.url);
    expect(urls).toHaveLength(41);
    expect(new Set(urls).size).toBe(41);
    expect(recordsIn(out).filter((x) => x.url === s.url('/missing.xml'))).toHaveLength(1);
    expect(recordsIn(out).every((x) => x.source === 'sitemap')).toBe(true);
    // Pages with a record are not fetched again (the failed sitemap is read again: its record is not written twice).
    const again = s.hits.slice(boundary).filter((h) => h.path.startsWith('/s/') && before.has(s.url(h.path)));
    expect(again).toEqual([]);
  });
});

describe('--follow with --max-time and --host-errors', () => {
  const tmp = useTmpDir();

  it('nightly slices: --max-time with --resume, run until done, gives every page one record and no DEADLINE line for found pages', async () => {
    const s = await scriptServer(site(20));
    const seeds = writeList(tmp(), [s.url('/')]);
    const out = join(tmp(), 'slices.jsonl');
    const args = ['--follow', '--depth', '20', '--max-time', '1', '--resume', '-o', out, '-c', '2', seeds];
    const codes: number[] = [];
    let firstUnfinished = 0;
    for (let run = 0; run < 30 && recordsIn(out).length < N; run++) {
      const r = await runCli(args, { timeoutMs: 20_000 });
      codes.push(r.code ?? -1);
      const summary = r.logs.find((l) => l.msg === 'summary') as { crawl?: { unfinished: number } } | undefined;
      if (run === 0) firstUnfinished = summary?.crawl?.unfinished ?? -1;
    }
    // Each slice but the last reached its deadline (exit 1), leaving found URLs for the next.
    expect(codes.length).toBeGreaterThan(1);
    expect(codes.slice(0, -1).every((c) => c === 1)).toBe(true);
    expect(firstUnfinished).toBeGreaterThan(0);
    const recs = recordsIn(out);
    expect(recs.filter((x) => (x as unknown as { error: { code: string } | null }).error !== null)).toEqual([]);
    expect(recs).toHaveLength(N);
    expect(new Set(recs.map((x) => x.url)).size).toBe(N);
    const depth = bfs();
    for (const x of recs) expect(x.depth).toBe(depth[pageOf(x.url)]);
  }, 120_000);

  it('found URLs on a host --host-errors gave up on get no record and are counted unfinished', async () => {
    const dead = await scriptServer();
    const deadOrigin = dead.origin;
    await dead.close();
    const s = await scriptServer((hit) => {
      if (hit.path === '/robots.txt') return { status: 404 };
      const links = Array.from({ length: 6 }, (_, i) => `<a href="${deadOrigin}/x${i}">x</a>`).join('');
      return { headers: { 'content-type': 'text/html' }, body: `<title>home</title>${links}` };
    });
    const r = await runCli(['--follow', '--scope', 'any', '--depth', '1', '--host-errors', '2', '--retries', '0', '--no-robots', '-c', '1', '-'], { stdin: `${s.url('/')}\n` });
    expect(r.code, r.stderr).toBe(1);
    const codes = r.records.map((x) => x.error?.code ?? 'ok');
    const failed = codes.filter((c) => c === 'CONNECTION').length;
    // The 2 failures that gave the host up, and at most one more already entering its attempt (-c 1) as the second failed.
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(failed).toBeLessThanOrEqual(3);
    expect(codes.filter((c) => c !== 'CONNECTION')).toEqual(['ok']);
    expect(r.logs.find((l) => l.msg === 'summary')).toMatchObject({ crawl: { discovered: 6, unfinished: 6 - failed } });
  });
});
