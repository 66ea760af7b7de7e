/**
 * Issue 5, incremental runs: --cache-dir (conditional requests, `changed`,
 * replay on 304), --changed-only, and a cache that survives SIGKILL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/cache/sqlite.js';
import { parseCsv } from '../helpers/csv.js';
import { runCli, startCli } from '../helpers/run.js';
import { useTmpDir, writeList } from '../helpers/setup.js';
import { html, scriptServer, type Route } from './script-server.js';


let dirs = 0;

/**
 * A site whose pages change between runs: `version[path]` is bumped by the test.
 * Pages under /etag/ answer If-None-Match, under /lm/ If-Modified-Since, under
 * /plain/ neither (the body hash decides `changed`).
 */
function changingSite(version: Map<string, number>): Route {
  const lastModified = (v: number): string => new Date(Date.UTC(2026, 0, v)).toUTCString();
  return (hit, req) => {
    if (hit.path === '/robots.txt') return { status: 404 };
    const v = version.get(hit.path) ?? 1;
    const body = html(`${hit.path} v${v}`, `<p class="v">${v}</p>`);
    const type = { 'content-type': 'text/html' };
    if (hit.path.startsWith('/etag/')) {
      const etag = `"${v}"`;
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      return { headers: { ...type, etag }, body };
    }
    if (hit.path.startsWith('/lm/')) {
      const lm = lastModified(v);
      if (req.headers['if-modified-since'] === lm) return { status: 304, headers: { 'last-modified': lm } };
      return { headers: { ...type, 'last-modified': lm }, body };
    }
    if (hit.path.startsWith('/gone/')) return { status: 404, body: 'gone' };
    return { headers: type, body };
  };
}

describe('--cache-dir', () => {
  const tmp = useTmpDir();
  const cacheDir = (): string => join(tmp(), `cache-${++dirs}`);

  it('sends conditional requests on the next run; a 304 is ok, changed:false, and replays the fields', async () => {
    const version = new Map<string, number>();
    const s = await scriptServer(changingSite(version));
    const list = writeList(tmp(), [s.url('/etag/a'), s.url('/lm/b'), s.url('/plain/c')]);
    const cache = cacheDir();
    const args = ['--cache-dir', cache, '-s', 'v=.v', list];

    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.records.map((r) => r.changed)).toEqual([true, true, true]);
    expect(s.hits.filter((h) => h.ifNoneMatch !== null || h.ifModifiedSince !== null)).toHaveLength(0);

    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    const [a, b, c] = second.records;
    expect(s.hitsOf('/etag/a')[1]?.ifNoneMatch).toBe('"1"');
    expect(s.hitsOf('/lm/b')[1]?.ifModifiedSince).toBe(new Date(Date.UTC(2026, 0, 1)).toUTCString());
    for (const r of [a!, b!]) {
      expect(r).toMatchObject({ ok: true, status: 304, bytes: 0, changed: false, error: null });
      expect(r.title).toBe(`${new URL(r.url).pathname} v1`); // replayed from the cache
      expect(r.data).toEqual({ v: '1' });
    }
    // No validators: fetched whole, and the unchanged body says changed:false.
    expect(c).toMatchObject({ ok: true, status: 200, changed: false, title: '/plain/c v1' });
  });

  it('says changed:true for a page whose content changed, and a URL never seen before', async () => {
    const version = new Map<string, number>();
    const s = await scriptServer(changingSite(version));
    const cache = cacheDir();
    await runCli(['--cache-dir', cache, writeList(tmp(), [s.url('/etag/a'), s.url('/plain/b'), s.url('/lm/c')])]);
    version.set('/etag/a', 2);
    version.set('/plain/b', 2);
    const r = await runCli(['--cache-dir', cache, writeList(tmp(), [s.url('/etag/a'), s.url('/plain/b'), s.url('/lm/c'), s.url('/plain/new')])]);
    expect(r.code, r.stderr).toBe(0);
    const changed = Object.fromEntries(r.records.map((x) => [new URL(x.url).pathname, [x.status, x.changed]]));
    expect(changed).toEqual({ '/etag/a': [200, true], '/plain/b': [200, true], '/lm/c': [304, false], '/plain/new': [200, true] });
  });

  it('puts changed just before timing, and changed:null on failures', async () => {
    const s = await scriptServer(changingSite(new Map()));
    const r = await runCli(['--cache-dir', cacheDir(), writeList(tmp(), [s.url('/plain/a'), s.url('/gone/x'), 'not a url'])]);
    expect(r.code).toBe(1);
    const keys = Object.keys(r.records[0]!);
    expect(keys.indexOf('changed')).toBe(keys.indexOf('timing') - 1);
    const byPath = Object.fromEntries(r.records.map((x) => [x.url, x.changed]));
    expect(byPath).toEqual({ [s.url('/plain/a')]: true, [s.url('/gone/x')]: null, 'not a url': null });
  });

  it('records carry no changed field without --cache-dir', async () => {
    const s = await scriptServer(changingSite(new Map()));
    const r = await runCli([writeList(tmp(), [s.url('/plain/a'), s.url('/gone/x')])]);
    for (const rec of r.records) expect(Object.keys(rec)).not.toContain('changed');
  });

  it('CSV has a changed column before timing only with --cache-dir', async () => {
    const s = await scriptServer(changingSite(new Map()));
    const list = writeList(tmp(), [s.url('/plain/a')]);
    const withCache = parseCsv((await runCli(['-f', 'csv', '--cache-dir', cacheDir(), list])).stdout);
    const header = withCache[0]!;
    expect(header.indexOf('changed')).toBe(header.indexOf('timing') - 1);
    expect(withCache[1]![header.indexOf('changed')]).toBe('true');
    const without = parseCsv((await runCli(['-f', 'csv', list])).stdout);
    expect(without[0]).not.toContain('changed');
  });

  it('does not send validators once --select changed, so the new fields are extracted', async () => {
    const s = await scriptServer(changingSite(new Map()));
    const list = writeList(tmp(), [s.url('/etag/a')]);
    const cache = cacheDir();
    await runCli(['--cache-dir', cache, list]);
    const r = await runCli(['--cache-dir', cache, '-s', 'v=.v', list]);
    expect(s.hitsOf('/etag/a')[1]?.ifNoneMatch).toBeNull();
    expect(r.records[0]).toMatchObject({ status: 200, changed: false, data: { v: '1' } });
  });
});

describe('--changed-only', () => {
  const tmp = useTmpDir();

  it('writes only new or changed pages, and every failure', async () => {
    const version = new Map<string, number>();
    const s = await scriptServer(changingSite(version));
    const cache = join(tmp(), 'cache');
    const urls = [s.url('/etag/a'), s.url('/etag/b'), s.url('/plain/c'), s.url('/plain/d'), s.url('/gone/e')];
    const list = writeList(tmp(), urls);
    const first = await runCli(['--changed-only', '--cache-dir', cache, list]);
    expect(first.records).toHaveLength(5); // all new (the 404 as a failure)

    const quiet = await runCli(['--changed-only', '--cache-dir', cache, list]);
    expect(quiet.records.map((r) => r.url), quiet.stderr).toEqual([s.url('/gone/e')]);

    version.set('/etag/b', 2);
    version.set('/plain/d', 2);
    const r = await runCli(['--changed-only', '--cache-dir', cache, writeList(tmp(), [...urls, s.url('/plain/new')])]);
    expect(r.records.map((x) => new URL(x.url).pathname).sort()).toEqual(['/etag/b', '/gone/e', '/plain/d', '/plain/new']);
    // The summary still counts every URL.
    expect(r.logs.find((l) => l.msg === 'summary')).toMatchObject({ total: 6 });
  });

  it('needs --cache-dir (exit 2)', async () => {
    const r = await runCli(['--changed-only'], { stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cache-dir');
  });
});

describe('cache durability', () => {
  const tmp = useTmpDir();

  it('stays readable after SIGKILL mid-run, and the next run uses what it holds', async () => {
    const s = await scriptServer((hit) =>
      hit.path === '/robots.txt'
        ? { status: 404 }
        : hit.ifNoneMatch === '"same"'
          ? { status: 304, headers: { etag: '"same"' } }
          : { headers: { 'content-type': 'text/html', etag: '"same"' }, body: html(hit.path), delayMs: 20 },
    );
    const urls = Array.from({ length: 200 }, (_, i) => s.url(`/p${i}`));
    const list = writeList(tmp(), urls);
    const cache = join(tmp(), 'cache');
    const cli = startCli(['--cache-dir', cache, '-c', '4', list]);
    cli.child.stdin.end();
    await cli.waitForStdout((out) => out.split('\n').length > 30);
    cli.child.kill('SIGKILL');
    const killed = await cli.done;
    expect(killed.signal).toBe('SIGKILL');
    const written = killed.stdout.split('\n').filter((l) => l.endsWith('}')).length;

    expect(existsSync(join(cache, 'pages.sqlite'))).toBe(true);
    // Read with the driver scrape itself uses here (node:sqlite or better-sqlite3).
    const db = openSqlite(join(cache, 'pages.sqlite'));
    try {
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      const rows = (db.prepare('SELECT count(*) AS n FROM pages').get() as { n: number }).n;
      expect(rows).toBeGreaterThanOrEqual(written);
      expect(rows).toBeLessThan(200);
    } finally {
      db.close();
    }

    // The killed run's lock is stale (its pid is gone): the next run takes it over.
    expect(readFileSync(join(cache, 'lock'), 'utf8')).toContain(`"pid":${cli.child.pid}`);
    const again = await runCli(['--cache-dir', cache, '-c', '8', list]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.records).toHaveLength(200);
    const replayed = again.records.filter((r) => r.status === 304);
    expect(replayed.length).toBeGreaterThanOrEqual(written);
    expect(replayed.every((r) => r.changed === false && r.title !== null)).toBe(true);
    expect(existsSync(join(cache, 'lock'))).toBe(false);
  });
});
