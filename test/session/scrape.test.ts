/**
 * The library: `import { scrape } from '<our package name>'`, resolved through
 * package.json's `exports` (the built dist/, as a user gets it after install),
 * against the fixture server on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback, startServer, type TestServer } from '../helpers/server.js';

type Package = typeof import('../../src/index.js');
const { name: PACKAGE } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string };
let lib: Package;
let server: TestServer;

beforeAll(async () => {
  lib = (await import(PACKAGE)) as Package;
  server = await startServer({ robots: null });
});
afterAll(() => server.close());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A pino-compatible logger that keeps its lines. */
function memoryLogger() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => lines.push({ level, msg, fields });
  return { lines, logger: { info: at('info'), warn: at('warn'), debug: at('debug') } };
}

describe('scrape() through the package name', () => {
  it('is what package.json exports, with its error codes and usage error', () => {
    expect(typeof lib.scrape).toBe('function');
    expect(lib.ERROR_CODES).toContain('HTTP_STATUS');
    expect(new lib.UsageError('x')).toBeInstanceOf(Error);
  });

  it('yields one record per URL, failures as records, and a summary', async () => {
    const urls = [server.url('/articles/first.html'), server.url('/status/404'), 'not a url', server.url('/page?title=T&h1=Hello')];
    const run = lib.scrape(urls, { select: ['h1=h1'], retries: 0 });
    const records = await collect(run);
    expect(records.map((r) => r.url).sort()).toEqual([...urls.slice(0, 2), 'not a url', urls[3]].sort());
    const byUrl = new Map(records.map((r) => [r.url, r]));
    const page = byUrl.get(urls[3]!)!;
    expect(page.ok).toBe(true);
    if (page.ok) expect(page.error).toBeNull();
    expect(page.title).toBe('T');
    expect(page.data).toEqual({ h1: 'Hello' });
    const missing = byUrl.get(urls[1]!)!;
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('HTTP_STATUS');
    expect(byUrl.get('not a url')?.error?.code).toBe('INVALID_URL');

    const summary = await run.summary;
    expect(summary).toMatchObject({ total: 4, ok: 2, failed: 2, aborted: false, abandoned: 0 });
    expect(summary.errors).toEqual({ HTTP_STATUS: 1, INVALID_URL: 1 });
    expect(summary.p50Ms).toBeGreaterThanOrEqual(0);
    expect(summary.p95Ms).toBeGreaterThanOrEqual(summary.p50Ms);
    expect(summary.parallelism).toBeGreaterThan(0);
  });

  it('takes arrays, generators, async generators, readline and byte streams', async () => {
    const a = server.url('/page?title=A');
    const b = server.url('/page?title=B');
    function* sync() {
      yield a;
      yield b;
    }
    async function* asyncGen() {
      yield a;
      await sleep(5);
      yield b;
    }
    const bytes = () => Readable.from([Buffer.from(`\uFEFF${a}\r\n# a comment\n\n`), Buffer.from(`${b}\n`)]);
    // Made when used: a readline interface drops the lines it reads before someone iterates it.
    const sources = [() => [a, b], sync, asyncGen, bytes, () => createInterface({ input: bytes() })];
    for (const source of sources) {
      const titles = (await collect(lib.scrape(source()))).map((r) => r.title).sort();
      expect(titles).toEqual(['A', 'B']);
    }
  });

  it('refuses bad options at once, with the command line\'s messages', () => {
    expect(() => lib.scrape([], { perhost: 2 } as never)).toThrow('unknown key "perhost"; did you mean "perHost"?');
    expect(() => lib.scrape([], { concurrency: 0 })).toThrow(lib.UsageError);
    expect(() => lib.scrape([], { output: 'out.jsonl' } as never)).toThrow('"output" is for the command line');
    expect(() => lib.scrape([], { timeout: true } as never)).toThrow('"timeout" must be a number');
    expect(() => lib.scrape('http://127.0.0.1/' as never)).toThrow(TypeError);
    expect(() => lib.scrape([], { denyPrivate: true, dispatcher: new MockAgent() })).toThrow('denyPrivate');
  });

  it('checks selectors as the run starts: the iteration throws the UsageError, before any request', async () => {
    const path = '/page?selectors-checked-first';
    for (const css of ['a[href', 'p::before']) {
      const err: unknown = await collect(lib.scrape([server.url(path)], { select: [`x=${css}`] })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(lib.UsageError);
      expect((err as Error).message).toContain(`invalid --select "x=${css}"`);
    }
    expect(server.hits(path)).toBe(0);
  });

  it('ends the iteration with a TypeError for an item that is not a string', async () => {
    await expect(collect(lib.scrape([server.url('/page'), 42 as never]))).rejects.toThrow('every URL must be a string');
  });

  it('uses the dispatcher it is given, and leaves it open', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://mock.test');
    pool.intercept({ path: '/robots.txt' }).reply(404, '');
    pool.intercept({ path: '/x' }).reply(200, '<title>Mocked</title>', { headers: { 'content-type': 'text/html' } });
    const [rec] = await collect(lib.scrape(['http://mock.test/x'], { dispatcher: agent }));
    expect(rec).toMatchObject({ ok: true, title: 'Mocked', status: 200 });
    pool.intercept({ path: '/y' }).reply(200, '<title>Still open</title>', { headers: { 'content-type': 'text/html' } });
    const [again] = await collect(lib.scrape(['http://mock.test/y'], { dispatcher: agent, robots: false }));
    expect(again?.title).toBe('Still open');
    await agent.close();
  });

  it('logs to the logger it is given and never to stdout or stderr, and installs no signal handlers', async () => {
    const { lines, logger } = memoryLogger();
    const writes: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const signals = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    let during: number[] = [];
    process.stdout.write = ((chunk: string) => writes.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => writes.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const run = lib.scrape([server.url('/page?title=Logged'), 'http://user:secret@127.0.0.1:1/'], { logger, retries: 0 });
      for await (const _ of run) during = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
      await run.summary;
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    expect(writes).toEqual([]);
    expect(during).toEqual(signals);
    const fetched = lines.filter((l) => l.msg === 'fetched');
    expect(fetched).toHaveLength(2);
    expect(JSON.stringify(lines)).not.toContain('secret');
    expect(lines.at(-1)).toMatchObject({ level: 'warn', msg: 'summary' }); // one URL failed
  });

  it('a slow consumer slows the fetching: requests stay within a window of the records taken', async () => {
    const tag = `bp${Date.now()}`;
    const urls = Array.from({ length: 1000 }, (_, i) => server.url(`/page?title=${tag}-${i}`));
    const requested = () => server.requests.filter((r) => r.url.includes(tag)).length;
    let taken = 0;
    for await (const _ of lib.scrape(urls, { concurrency: 8 })) {
      taken++;
      if (taken === 5) {
        // Wait until fetching has stopped (it must, long before the 1000).
        let ahead = requested();
        for (let i = 0; i < 50; i++) {
          await sleep(100);
          if (requested() === ahead) break;
          ahead = requested();
        }
        // Ahead of the consumer: the 16 records waiting to be taken and the
        // scheduler's window (256 URLs started and not finished at this
        // concurrency), then fetching stops until records are taken.
        expect(ahead).toBeLessThanOrEqual(5 + 16 + 256);
        await sleep(300);
        expect(requested()).toBe(ahead);
      }
    }
    expect(taken).toBe(1000);
  });

  it('breaking out of the loop stops the run at once and closes its sockets', async () => {
    const tag = `brk${Date.now()}`;
    const urls = Array.from({ length: 500 }, (_, i) => server.url(`/slow?ms=20&${tag}=${i}`));
    const requested = () => server.requests.filter((r) => r.url.includes(tag)).length;
    let n = 0;
    for await (const _ of lib.scrape(urls, { concurrency: 10 })) if (++n === 3) break;
    const atBreak = requested();
    await sleep(200);
    expect(requested()).toBe(atBreak);
    expect(atBreak).toBeLessThan(100);
    expect(server.inFlight).toBe(0);
  });

  it('a signal stops dispatching, lets requests in flight finish, and ends the iteration normally', async () => {
    const tag = `sig${Date.now()}`;
    const urls = Array.from({ length: 200 }, (_, i) => server.url(`/slow?ms=50&${tag}=${i}`));
    const controller = new AbortController();
    const run = lib.scrape(urls, { concurrency: 4, signal: controller.signal });
    const records = [];
    for await (const rec of run) {
      records.push(rec);
      if (records.length === 6) controller.abort();
    }
    const summary = await run.summary;
    expect(summary.aborted).toBe(true);
    expect(records.length).toBeLessThan(200);
    // Every request that started was finished within the grace period and delivered.
    expect(records.every((r) => r.ok)).toBe(true);
    expect(summary.abandoned).toBe(0);
    expect(server.requests.filter((r) => r.url.includes(tag)).length).toBe(records.length);
  });

  it('an already aborted signal makes no request', async () => {
    const tag = `pre${Date.now()}`;
    const run = lib.scrape([server.url(`/page?${tag}`)], { signal: AbortSignal.abort() });
    expect(await collect(run)).toEqual([]);
    expect((await run.summary).aborted).toBe(true);
    expect(server.requests.filter((r) => r.url.includes(tag))).toEqual([]);
  });

  it('leaves no socket open once the loop is left', async () => {
    const slow = createServer((_req, res) => setTimeout(() => res.end('<title>x</title>'), 30));
    const { origin } = await listenOnLoopback(slow);
    const connections = () => new Promise<number>((resolve) => slow.getConnections((_err, n) => resolve(n)));
    try {
      let n = 0;
      for await (const _ of lib.scrape(Array.from({ length: 100 }, (_, i) => `${origin}/${i}`), { concurrency: 6, robots: false })) {
        if (++n === 2) {
          expect(await connections()).toBeGreaterThan(0);
          break;
        }
      }
      // The loop's exit waited for the Agent to be destroyed; the server sees the FINs within a tick or two.
      for (let i = 0; i < 50 && (await connections()) > 0; i++) await sleep(10);
      expect(await connections()).toBe(0);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('keeps a page cache with cacheDir: a second run sees the same pages unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrape-lib-cache-'));
    try {
      const urls = [server.url('/articles/first.html'), server.url('/page?title=Same')];
      const first = await collect(lib.scrape(urls, { cacheDir: dir }));
      expect(first.map((r) => r.changed)).toEqual([true, true]);
      const second = await collect(lib.scrape(urls, { cacheDir: dir, changedOnly: true }));
      expect(second).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
