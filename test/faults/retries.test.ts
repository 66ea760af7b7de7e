/** Issue #3: what is retried, how often, and how long Retry-After is waited for. */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/fetch/retry-after.js';
import { backoffMs } from '../../src/schedule/retry-policy.js';
import { page, useFaultServer } from './fault-server.js';
import { expectFailure, scrape, useScrape } from './scrape.js';

/** Fails `fails` times (per exact URL) with `status` and these headers, then serves a page. */
function failing(status: number, headers: (hit: number) => Record<string, string> = () => ({}), fails = Infinity) {
  const hits = new Map<string, number>();
  return (req: { url?: string }, res: ServerResponse): void => {
    const n = (hits.get(req.url!) ?? 0) + 1;
    hits.set(req.url!, n);
    if (n <= fails) {
      res.writeHead(status, { 'content-type': 'text/html', ...headers(n) });
      return void res.end(page(`Failing ${status}`));
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page('Recovered'));
  };
}

describe('retries', () => {
  const server = useFaultServer({
    '/503-after-1s': failing(503, () => ({ 'retry-after': '1' }), 1),
    '/429-after-date': failing(429, () => ({ 'retry-after': new Date(Date.now() + 2000).toUTCString() }), 1),
    '/500': failing(500),
    '/502': failing(502),
    '/404': failing(404),
    '/400': failing(400),
    '/403': failing(403),
    '/410': failing(410),
    '/503-too-long': failing(503, () => ({ 'retry-after': '120' })),
    '/silent': () => {},
    '/reset': (req) => void req.socket.destroy(),
  });

  it('503 with Retry-After: 1 waits about a second, then succeeds on the second attempt', async () => {
    const url = server().url('/503-after-1s');
    const rec = (await scrape([url], ['--retries', '2'])).rec(url);
    expect(rec.ok).toBe(true);
    expect(rec.title).toBe('Recovered');
    expect(rec.attempts).toBe(2);
    expect(rec.timing.totalMs).toBeGreaterThanOrEqual(950);
    expect(rec.timing.totalMs).toBeLessThan(1_700);
    const [first, second] = server().requests.filter((q) => q.pathname === '/503-after-1s');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('429 with an HTTP-date Retry-After waits until that date', async () => {
    const url = server().url('/429-after-date');
    const rec = (await scrape([url], ['--retries', '2'])).rec(url);
    expect(rec.ok).toBe(true);
    expect(rec.attempts).toBe(2);
    // The date has one-second resolution: 2 s ahead, truncated, is 1 to 2 s away.
    expect(rec.timing.totalMs).toBeGreaterThanOrEqual(950);
    expect(rec.timing.totalMs).toBeLessThan(2_700);
  });

  // One run for the statuses that do not throttle the host (429 and 503 pause it, see host-gate.ts).
  const batch = useScrape(() => ['/500', '/502', '/404', '/400', '/403', '/410', '/reset'].map((p) => server().url(p)), ['--retries', '2']);

  it.each(['/500', '/502'])('%s is retried --retries times, then fails with its status', (path) => {
    const rec = batch().rec(server().url(path));
    expectFailure(rec, 'HTTP_STATUS');
    expect(rec.status).toBe(Number(path.slice(1)));
    expect(rec.attempts).toBe(3);
    expect(server().hits(path)).toBe(3);
  });

  it.each(['/404', '/400', '/403', '/410'])('%s is not retried', (path) => {
    const rec = batch().rec(server().url(path));
    expectFailure(rec, 'HTTP_STATUS');
    expect(rec.attempts).toBe(1);
    expect(server().hits(path)).toBe(1);
  });

  it('connection resets are retried', () => {
    const rec = batch().rec(server().url('/reset'));
    expectFailure(rec, 'CONNECTION');
    expect(rec.attempts).toBe(3);
  });

  it('a Retry-After longer than the cap fails at once with the status, without waiting', async () => {
    const url = server().url('/503-too-long');
    const rec = (await scrape([url], ['--retries', '3'])).rec(url);
    expectFailure(rec, 'HTTP_STATUS');
    expect(rec.status).toBe(503);
    expect(rec.attempts).toBe(1);
    expect(rec.error!.message).toMatch(/Retry-After 120 s exceeds the 30 s cap/);
    expect(rec.timing.totalMs).toBeLessThan(500);
  });

  it('--retry-max-wait sets the cap', async () => {
    const url = server().url('/503-after-1s?capped');
    const rec = (await scrape([url], ['--retries', '3', '--retry-max-wait', '500'])).rec(url);
    expectFailure(rec, 'HTTP_STATUS');
    expect(rec.attempts).toBe(1);
    expect(rec.error!.message).toMatch(/exceeds the 0.5 s cap/);
  });

  it('timeouts are retried: --retries 2 makes three attempts of --timeout each', async () => {
    const url = server().url('/silent');
    const rec = (await scrape([url], ['--retries', '2', '--timeout', '300'])).rec(url);
    expectFailure(rec, 'TIMEOUT');
    expect(rec.attempts).toBe(3);
    expect(server().hits('/silent')).toBe(3);
    // Three deadlines plus at most 250 + 500 ms of back-off.
    expect(rec.timing.totalMs).toBeGreaterThanOrEqual(900);
    expect(rec.timing.totalMs).toBeLessThan(900 + 750 + 300);
  });
});

describe('back-off', () => {
  it('is exponential with full jitter: uniform in [0, 250·2^(n-1)), capped at 10 s', () => {
    expect(backoffMs(1, () => 0)).toBe(0);
    expect(backoffMs(1, () => 0.999)).toBe(249);
    expect(backoffMs(2, () => 0.999)).toBe(499);
    expect(backoffMs(3, () => 0.5)).toBe(500);
    expect(backoffMs(20, () => 0.999)).toBe(9_990);
  });

  it('Retry-After parses seconds and HTTP-dates; garbage means back-off', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
