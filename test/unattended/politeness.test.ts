/**
 * Issue 5, politeness: --rate, Crawl-delay, robots.txt failure policy, and
 * per-host back-off on 429/503 that never stalls the other hosts. Timing is
 * measured on the server side, with loose bounds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { useTmpDir, writeList } from '../helpers/setup.js';
import { gaps, html, pages, scriptServer } from './script-server.js';

describe('--rate', () => {
  const tmp = useTmpDir();

  it('--rate 5 spaces 10 requests to one host over at least 1.6 s', async () => {
    const s = await scriptServer();
    const list = writeList(tmp(), Array.from({ length: 10 }, (_, i) => s.url(`/r${i}`)));
    const r = await runCli(['--rate', '5', '-c', '8', '--per-host', '8', list]);
    expect(r.code, r.stderr).toBe(0);
    const hits = s.pageHits();
    expect(hits).toHaveLength(10);
    expect(hits.at(-1)!.at - hits[0]!.at).toBeGreaterThanOrEqual(1600);
    // No two starts closer than most of one interval (200 ms), whatever the timer jitter.
    expect(Math.min(...gaps(hits))).toBeGreaterThanOrEqual(150);
  });

  it('paces each host separately: two hosts at --rate 4 take no longer than one', async () => {
    const a = await scriptServer();
    const b = await scriptServer();
    const urls = Array.from({ length: 5 }, (_, i) => [a.url(`/a${i}`), b.url(`/b${i}`)]).flat();
    const r = await runCli(['--rate', '4', writeList(tmp(), urls)]);
    expect(r.code, r.stderr).toBe(0);
    for (const s of [a, b]) {
      const hits = s.pageHits();
      expect(hits).toHaveLength(5);
      expect(Math.min(...gaps(hits))).toBeGreaterThanOrEqual(180);
    }
    // Interleaved: b's first request does not wait for a's pacing.
    expect(Math.abs(b.pageHits()[0]!.at - a.pageHits()[0]!.at)).toBeLessThan(200);
  });

  it('rejects a rate that is not a positive number with exit 2', async () => {
    for (const bad of ['0', '-1', 'fast']) {
      const r = await runCli(['--rate', bad], { stdin: '' });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--rate');
    }
  });
});

describe('robots.txt', () => {
  const tmp = useTmpDir();

  it('fetches robots.txt and pages with a User-Agent naming the tool, its version and a URL', async () => {
    const s = await scriptServer();
    await runCli([writeList(tmp(), [s.url('/a')])]);
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    for (const h of s.hits) expect(h.userAgent).toMatch(new RegExp(`^scrape/${version.replaceAll('.', '\\.')} \\(\\+https?://\\S+\\)$`));
    expect(s.hits.map((h) => h.path)).toEqual(['/robots.txt', '/a']);
  });

  it('honours Crawl-delay for the "scrape" token between request starts', async () => {
    const s = await scriptServer((hit) =>
      hit.path === '/robots.txt'
        ? { body: 'User-agent: other\nCrawl-delay: 30\n\nUser-agent: scrape\nCrawl-delay: 0.4\nDisallow: /no/\n' }
        : pages(hit, undefined as never),
    );
    const list = writeList(tmp(), [s.url('/1'), s.url('/2'), s.url('/no/x'), s.url('/3'), s.url('/4')]);
    const r = await runCli(['-c', '8', list]);
    expect(r.code).toBe(1); // the disallowed URL fails
    expect(s.hitsOf('/robots.txt')).toHaveLength(1);
    const hits = s.pageHits();
    expect(hits.map((h) => h.path).sort()).toEqual(['/1', '/2', '/3', '/4']);
    expect(Math.min(...gaps(hits))).toBeGreaterThanOrEqual(350);
    const denied = r.records.find((x) => x.url.endsWith('/no/x'))!;
    expect(denied.error?.code).toBe('ROBOTS_DISALLOWED');
  });

  it('treats a robots.txt answering 503 as disallow-all', async () => {
    const s = await scriptServer((hit) => (hit.path === '/robots.txt' ? { status: 503, body: 'busy' } : pages(hit, undefined as never)));
    const r = await runCli([writeList(tmp(), [s.url('/a'), s.url('/b')])]);
    expect(r.code).toBe(1);
    expect(r.records.map((x) => x.error?.code)).toEqual(['ROBOTS_DISALLOWED', 'ROBOTS_DISALLOWED']);
    expect(s.pageHits()).toHaveLength(0);
  });

  it('treats a robots.txt that times out as disallow-all', async () => {
    const s = await scriptServer((hit) => (hit.path === '/robots.txt' ? { delayMs: 3000, body: '' } : pages(hit, undefined as never)));
    const r = await runCli(['--timeout', '400', writeList(tmp(), [s.url('/a')])]);
    expect(r.code).toBe(1);
    expect(r.records[0]?.error?.code).toBe('ROBOTS_DISALLOWED');
    expect(r.records[0]?.error?.message).toContain('timed out');
    expect(s.pageHits()).toHaveLength(0);
  });

  it('treats a robots.txt answering 4xx as allow-all', async () => {
    const s = await scriptServer((hit) => (hit.path === '/robots.txt' ? { status: 403, body: 'no' } : pages(hit, undefined as never)));
    const r = await runCli([writeList(tmp(), [s.url('/a'), s.url('/b')])]);
    expect(r.code, r.stderr).toBe(0);
    expect(s.pageHits()).toHaveLength(2);
  });
});

describe('back-off on 429/503', () => {
  const tmp = useTmpDir();

  it('a throttling host pauses for its Retry-After while a fast host keeps full speed', async () => {
    // The slow host answers 429 + Retry-After: 1 to everything in the first second after its first request.
    let since: number | null = null;
    const slow = await scriptServer((hit) => {
      if (hit.path === '/robots.txt') return { status: 404 };
      since ??= hit.at;
      return hit.at - since < 1000
        ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }
        : { headers: { 'content-type': 'text/html' }, body: html(hit.path) };
    });
    const fast = await scriptServer();
    const urls = Array.from({ length: 12 }, (_, i) => [slow.url(`/s${i}`), fast.url(`/f${i}`)]).flat();
    const t0 = performance.now();
    // A small global pool: if a throttled host's waits held global slots, the fast host would stall.
    const r = await runCli(['-c', '4', '--per-host', '4', '--retries', '3', writeList(tmp(), urls)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.records).toHaveLength(24);
    expect(r.records.every((x) => x.ok)).toBe(true);

    const fastHits = fast.pageHits();
    expect(fastHits).toHaveLength(12);
    // Every fast-host request went out well before the slow host's first Retry-After ran out.
    const firstThrottle = slow.pageHits()[0]!.at;
    expect(fastHits.at(-1)!.at - firstThrottle).toBeLessThan(800);
    // The fast host's records come first: none waits behind the throttled host.
    const order = r.records.map((x) => (x.url.startsWith(fast.origin) ? 'f' : 's')).join('');
    expect(order.slice(0, 12)).toBe('f'.repeat(12));

    // After the first 429, the slow host got no new request until its Retry-After had passed.
    const slowHits = slow.pageHits();
    const firstBatch = slowHits.filter((h) => h.at - firstThrottle < 100);
    const quiet = slowHits.filter((h) => h.at - firstThrottle >= 100 && h.at - firstThrottle < 900);
    expect(firstBatch.length).toBeGreaterThanOrEqual(1);
    expect(quiet).toHaveLength(0);
    expect(performance.now() - t0).toBeGreaterThan(1000);
  });

  it('a long run of a throttled host\'s URLs does not hold back the hosts listed after it', async () => {
    // 600 URLs of one throttled host, then 10 of a fast one: more than the reading
    // window (256 at -c 4), so unless queued URLs park behind their host, the fast
    // host's URLs would not even be read until the slow host's pause was over.
    let since: number | null = null;
    const slow = await scriptServer((hit) => {
      if (hit.path === '/robots.txt') return { status: 404 };
      since ??= hit.at;
      return hit.at - since < 1500
        ? { status: 429, headers: { 'retry-after': '2' }, body: 'slow down' }
        : { headers: { 'content-type': 'text/html' }, body: html(hit.path) };
    });
    const fast = await scriptServer();
    const urls = [...Array.from({ length: 600 }, (_, i) => slow.url(`/s${i}`)), ...Array.from({ length: 10 }, (_, i) => fast.url(`/f${i}`))];
    const r = await runCli(['-c', '4', '--per-host', '4', '--retries', '3', writeList(tmp(), urls)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.records).toHaveLength(610);
    const fastHits = fast.pageHits();
    expect(fastHits).toHaveLength(10);
    const firstThrottle = slow.pageHits()[0]!.at;
    expect(fastHits.at(-1)!.at - firstThrottle).toBeLessThan(1500);
  });

  it('a host answering 503 with Retry-After is paused too, and then recovers', async () => {
    const s = await scriptServer((hit) =>
      hit.path === '/robots.txt'
        ? { status: 404 }
        : hit.path === '/p0' && hit.n === 1
          ? { status: 503, headers: { 'retry-after': '1' } }
          : { headers: { 'content-type': 'text/html' }, body: html(hit.path) },
    );
    const list = writeList(tmp(), Array.from({ length: 4 }, (_, i) => s.url(`/p${i}`)));
    const r = await runCli(['--per-host', '1', list]);
    expect(r.code, r.stderr).toBe(0);
    const hits = s.pageHits();
    expect(hits[0]!.path).toBe('/p0');
    // The second request (the retry of /p0, or the next URL) waited out the pause.
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(900);
    expect(r.records.find((x) => x.url.endsWith('/p0'))?.attempts).toBe(2);
  });
});
