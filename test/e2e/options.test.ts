/** Concurrency limits, retries, request headers. */
import { describe, expect, it } from 'vitest';
import { packageVersion, runCli } from '../helpers/run.js';
import type { TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/setup.js';

/** n distinct slow URLs on the server. */
function slowUrls(s: TestServer, n: number, ms = 200): string {
  return Array.from({ length: n }, (_, i) => s.url(`/slow?ms=${ms}&i=${i}`)).join('\n');
}

describe('concurrency limits', () => {
  const server = useServer({ each: true });

  it('-c 4 keeps at most 4 requests in flight, and reaches 4', async () => {
    const s = server();
    const r = await runCli(['-c', '4', '--no-robots'], { stdin: slowUrls(s, 8) });
    expect(r.records).toHaveLength(8);
    expect(s.maxInFlight).toBe(4);
  });

  it('--concurrency 1 fetches one URL at a time', async () => {
    const s = server();
    await runCli(['--concurrency', '1', '--no-robots'], { stdin: slowUrls(s, 4, 100) });
    expect(s.maxInFlight).toBe(1);
  });

  it('--per-host 2 keeps at most 2 requests in flight to one host, and reaches 2', async () => {
    const s = server();
    await runCli(['-c', '8', '--per-host', '2', '--no-robots'], { stdin: slowUrls(s, 6) });
    expect(s.maxInFlight).toBe(2);
  });

  it('allows 8 requests in flight to one host by default', async () => {
    const s = server();
    await runCli(['--no-robots'], { stdin: slowUrls(s, 10) });
    expect(s.maxInFlight).toBe(8);
  });

  it('allows 16 requests in flight by default', async () => {
    const s = server();
    await runCli(['--per-host', '64', '--no-robots'], { stdin: slowUrls(s, 20) });
    expect(s.maxInFlight).toBe(16);
  });
});

describe('retries', () => {
  const server = useServer({ each: true });

  async function one(path: string, args: readonly string[] = []) {
    const s = server();
    const r = await runCli(['--no-robots', ...args], { stdin: s.url(path) });
    expect(r.records).toHaveLength(1);
    return { rec: r.records[0]!, hits: s.hits(path) };
  }

  it('retries a 503 twice by default and succeeds on the third attempt', async () => {
    const { rec, hits } = await one('/flaky?fails=2');
    expect(rec).toMatchObject({ ok: true, status: 200, attempts: 3, title: 'Recovered', error: null });
    expect(hits).toBe(3);
  });

  it('gives up after the default 2 retries', async () => {
    const { rec, hits } = await one('/flaky?fails=3');
    expect(rec).toMatchObject({ ok: false, status: 503, attempts: 3, error: { code: 'HTTP_STATUS' } });
    expect(hits).toBe(3);
  });

  it('--retries 0 makes one attempt', async () => {
    const { rec, hits } = await one('/flaky?fails=1', ['--retries', '0']);
    expect(rec).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(hits).toBe(1);
  });

  it('--retries 4 makes up to five attempts', async () => {
    // 500 rather than 503, so a host back-off on 503s does not slow the test down.
    const { rec, hits } = await one('/flaky?fails=4&status=500', ['--retries', '4']);
    expect(rec).toMatchObject({ ok: true, attempts: 5 });
    expect(hits).toBe(5);
  });

  it('retries a 429', async () => {
    const { rec } = await one('/flaky?fails=1&status=429');
    expect(rec).toMatchObject({ ok: true, attempts: 2 });
  });

  it('retries a 500 without Retry-After', async () => {
    const { rec } = await one('/flaky?fails=1&status=500&retryAfter=none');
    expect(rec).toMatchObject({ ok: true, attempts: 2 });
  });

  it('never retries a 404', async () => {
    const { rec, hits } = await one('/status/404');
    expect(rec).toMatchObject({ ok: false, status: 404, attempts: 1 });
    expect(hits).toBe(1);
  });

  it('never retries a 400 or 403, even with Retry-After', async () => {
    for (const status of [400, 403]) {
      const { rec, hits } = await one(`/flaky?fails=1&status=${status}`);
      expect(rec, String(status)).toMatchObject({ ok: false, status, attempts: 1 });
      expect(hits).toBe(1);
    }
  });

  it('honours Retry-After before retrying', async () => {
    const s = server();
    const r = await runCli(['--no-robots'], { stdin: s.url('/flaky?fails=1&retryAfter=1') });
    expect(r.records[0]).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = s.requests.filter((q) => q.pathname === '/flaky');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(r.records[0]!.timing.totalMs).toBeGreaterThanOrEqual(950);
  });

  it('retries a reset connection', async () => {
    const { rec, hits } = await one('/reset', ['--retries', '1']);
    expect(rec).toMatchObject({ ok: false, attempts: 2, error: { code: 'CONNECTION' } });
    expect(hits).toBe(2);
  });

  it('retries a timeout', async () => {
    const { rec, hits } = await one('/hang', ['--retries', '1', '--timeout', '200']);
    expect(rec).toMatchObject({ ok: false, attempts: 2, error: { code: 'TIMEOUT' } });
    expect(hits).toBe(2);
  });
});

describe('request headers', () => {
  const server = useServer({ each: true });

  async function headersSent(args: readonly string[]) {
    const s = server();
    await runCli(['--no-robots', ...args], { stdin: s.url('/index.html') });
    const req = s.requests.find((q) => q.pathname === '/index.html');
    expect(req).toBeDefined();
    return req!.headers;
  }

  it('sends the default User-Agent with the package version', async () => {
    expect((await headersSent([]))['user-agent']).toBe(`scrape/${packageVersion()} (+https://github.com/scrape-cli/scrape)`);
  });

  it('sends --user-agent', async () => {
    expect((await headersSent(['--user-agent', 'HarborBot/2.0 (+mailto:ops@example.com)']))['user-agent']).toBe('HarborBot/2.0 (+mailto:ops@example.com)');
  });

  it('sends every -H/--header', async () => {
    const h = await headersSent(['-H', 'X-Api-Key: k-123', '--header', 'Accept-Language: fr-CA', '-H', 'X-Trace: a:b:c']);
    expect(h).toMatchObject({ 'x-api-key': 'k-123', 'accept-language': 'fr-CA', 'x-trace': 'a:b:c' });
  });

  it('sends the User-Agent to /robots.txt too', async () => {
    const s = server();
    await runCli(['--user-agent', 'HarborBot/2.0'], { stdin: s.url('/index.html') });
    expect(s.requests.find((q) => q.pathname === '/robots.txt')?.headers['user-agent']).toBe('HarborBot/2.0');
  });

  it('sends the headers on every retry', async () => {
    const s = server();
    await runCli(['--no-robots', '-H', 'X-Api-Key: k-123'], { stdin: s.url('/flaky?fails=2') });
    const sent = s.requests.filter((q) => q.pathname === '/flaky').map((q) => q.headers['x-api-key']);
    expect(sent).toEqual(['k-123', 'k-123', 'k-123']);
  });

  it('sends the headers on a same-origin redirect', async () => {
    const s = server();
    await runCli(['--no-robots', '-H', 'X-Api-Key: k-123'], { stdin: s.url('/redirect/1') });
    expect(s.requests.find((q) => q.pathname === '/articles/first.html')?.headers['x-api-key']).toBe('k-123');
  });
});
