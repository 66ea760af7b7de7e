/** Each failure becomes a record with ok:false and an error code; the run goes on. */
import { describe, expect, it } from 'vitest';
import { runCli, type Rec } from '../helpers/run.js';
import { refusedPort } from '../helpers/server.js';
import { byUrl, useRun, useServer } from '../helpers/setup.js';

/** Scrape these URLs (absolute, or paths on the server) and return their records by URL. */
async function scrape(urls: readonly string[], args: readonly string[] = []): Promise<Map<string, Rec>> {
  const r = await runCli(['--retries', '0', ...args], { stdin: urls.join('\n') });
  return byUrl(r.records);
}

function expectError(rec: Rec | undefined, code: string): void {
  expect(rec, `no record (wanted ${code})`).toBeDefined();
  expect(rec!.ok).toBe(false);
  expect(rec!.error?.code, JSON.stringify(rec)).toBe(code);
  expect(rec!.error!.message).toMatch(/\S/);
}

describe('HTTP_STATUS', () => {
  const server = useServer();
  const CODES = [404, 410, 500, 503];
  const rec = useRun(server, CODES.map((code) => `/status/${code}`));

  it.each(CODES)('reports a final %i with its status', (code) => {
    expectError(rec(`/status/${code}`), 'HTTP_STATUS');
    expect(rec(`/status/${code}`).status).toBe(code);
  });
});

describe('TIMEOUT', () => {
  const server = useServer();

  it('fires when no response arrives within --timeout', async () => {
    const url = server().url('/hang');
    const started = Date.now();
    const rec = (await scrape([url], ['--timeout', '300'])).get(url);
    expectError(rec, 'TIMEOUT');
    expect(rec!.status).toBeNull();
    expect(rec!.timing.totalMs).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('covers the body: a response whose body trickles past --timeout times out', async () => {
    const url = server().url('/drip?ms=2000&chunks=20');
    const rec = (await scrape([url], ['--timeout', '400'])).get(url);
    expectError(rec, 'TIMEOUT');
    expect(rec!.timing.totalMs).toBeLessThan(1_800);
  });

  it('does not fire for a response that completes within --timeout', async () => {
    const url = server().url('/drip?ms=200&chunks=4');
    const rec = (await scrape([url], ['--timeout', '2000'])).get(url);
    expect(rec).toMatchObject({ ok: true, title: 'Drip' });
  });
});

describe('TOO_LARGE', () => {
  const server = useServer();

  it('fires for a body over --max-bytes with a Content-Length', async () => {
    const url = server().url('/big?bytes=5000');
    expectError((await scrape([url], ['--max-bytes', '1K'])).get(url), 'TOO_LARGE');
  });

  it('fires for a chunked body (no Content-Length) over --max-bytes', async () => {
    const url = server().url('/big?bytes=300000&chunked=1');
    expectError((await scrape([url], ['--max-bytes', '2K'])).get(url), 'TOO_LARGE');
  });

  it('does not fire for a body under --max-bytes, suffix included', async () => {
    const url = server().url('/big?bytes=1000');
    expect((await scrape([url], ['--max-bytes', '1K'])).get(url)).toMatchObject({ ok: true, bytes: 1000 });
  });

  it('reads the limit as a plain number of bytes', async () => {
    const small = server().url('/big?bytes=100');
    const big = server().url('/big?bytes=101');
    const records = await scrape([small, big], ['--max-bytes', '100']);
    expect(records.get(small)).toMatchObject({ ok: true, bytes: 100 });
    expectError(records.get(big), 'TOO_LARGE');
  });

  it('defaults to 10M: 10,000,000 bytes are read, 10 MiB and one byte are too large', async () => {
    const under = server().url('/big?bytes=10000000&chunked=1');
    const over = server().url(`/big?bytes=${10 * 1024 * 1024 + 1}&chunked=1`);
    const records = await scrape([under, over]);
    expect(records.get(under)).toMatchObject({ ok: true, bytes: 10_000_000 });
    expectError(records.get(over), 'TOO_LARGE');
  });

  it('accepts an M suffix', async () => {
    const url = server().url('/big?bytes=300000');
    expect((await scrape([url], ['--max-bytes', '1M'])).get(url)).toMatchObject({ ok: true, bytes: 300000 });
  });
});

describe('TOO_MANY_REDIRECTS', () => {
  const server = useServer();

  it('fires for a redirect loop', async () => {
    const url = server().url('/redirect-loop');
    const started = Date.now();
    expectError((await scrape([url])).get(url), 'TOO_MANY_REDIRECTS');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('follows as many redirects as --max-redirects allows', async () => {
    const url = server().url('/redirect/2');
    expect((await scrape([url], ['--max-redirects', '2'])).get(url)).toMatchObject({ ok: true, finalUrl: server().url('/articles/first.html') });
  });

  it('fires at one redirect more than --max-redirects', async () => {
    const url = server().url('/redirect/3');
    expectError((await scrape([url], ['--max-redirects', '2'])).get(url), 'TOO_MANY_REDIRECTS');
  });

  it('follows 10 redirects by default and not 11', async () => {
    const ten = server().url('/redirect/10');
    const eleven = server().url('/redirect/11?x=1');
    const records = await scrape([ten, eleven]);
    expect(records.get(ten)?.ok).toBe(true);
    expectError(records.get(eleven), 'TOO_MANY_REDIRECTS');
  });
});

describe('CONNECTION', () => {
  const server = useServer();

  it('fires for a refused connection, with a null status', async () => {
    const url = `http://127.0.0.1:${await refusedPort()}/index.html`;
    const rec = (await scrape([url])).get(url);
    expectError(rec, 'CONNECTION');
    expect(rec!.status).toBeNull();
  });

  it('fires for a connection reset before any response', async () => {
    const url = server().url('/reset');
    expectError((await scrape([url])).get(url), 'CONNECTION');
  });
});

describe('failures in a run', () => {
  const server = useServer();

  it('do not stop the other URLs', async () => {
    const s = server();
    const urls = [s.url('/status/500'), `http://127.0.0.1:${await refusedPort()}/`, s.url('/reset'), 'nonsense', s.url('/articles/second.html')];
    const records = await scrape(urls, ['-c', '1']);
    expect(records.size).toBe(urls.length);
    expect(records.get(s.url('/articles/second.html'))?.ok).toBe(true);
  });
});
