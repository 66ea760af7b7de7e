/** One attempt at fetch/'s boundary: every outcome comes back as data, never as a throw. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/fetch/agent.js';
import { attempt, type AttemptDeps, type RequestTarget } from '../../src/fetch/attempt.js';
import { listenOnLoopback, refusedPort } from '../helpers/server.js';

/** 300 KB of numbered lines: over the limits below, and far more than the first lines once gzipped. */
const BIG = Array.from({ length: 30_000 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`).join('');

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', etag: '"v1"' });
    res.end('<title>ok</title>');
  },
  '/429': (_req, res) => {
    res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '2' });
    res.end('slow down');
  },
  '/hang': () => {},
  '/hop': (_req, res) => {
    res.writeHead(302, { location: '/private/x' });
    res.end();
  },
  '/big': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(BIG);
  },
  '/big-gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(gzipSync(BIG));
  },
  '/private/x': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('secret');
  },
};
const server = createServer((req, res) => {
  const route = routes[req.url!];
  if (route) route(req, res);
  else res.writeHead(404).end();
});
const agent = createAgent({ connectionsPerOrigin: 4, timeoutMs: 5000 });
let origin = '';
beforeAll(async () => {
  origin = (await listenOnLoopback(server)).origin;
});
afterAll(async () => {
  await agent.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const settings = { maxBytes: 1 << 20, maxRedirects: 5, headers: {}, timeoutMs: 5000 };
const deps = (extra: Partial<AttemptDeps> = {}): AttemptDeps => ({ dispatcher: agent, monotonic: () => performance.now(), now: Date.now, ...extra });
const to = (path: string, at = origin): RequestTarget => ({ url: `${at}${path}`, origin: at, path });
const never = new AbortController().signal;

describe('attempt', () => {
  it('returns a response as data, with its validators', async () => {
    const r = await attempt(to('/ok'), settings, deps(), never);
    expect(r.kind).toBe('response');
    if (r.kind !== 'response') return;
    expect(r.response).toMatchObject({ status: 200, finalUrl: `${origin}/ok`, contentType: 'text/html', etag: '"v1"', lastModified: null });
    expect(r.response.body.toString()).toBe('<title>ok</title>');
  });

  it('returns a 429 as a failure that carries its status and Retry-After', async () => {
    const r = await attempt(to('/429'), settings, deps(), never);
    expect(r).toEqual({
      kind: 'failure',
      failure: {
        code: 'HTTP_STATUS',
        message: 'HTTP 429',
        status: 429,
        finalUrl: `${origin}/429`,
        contentType: 'text/plain',
        ttfbMs: expect.any(Number),
        retryAfterMs: 2000,
        httpVersion: '1.1',
        headers: expect.objectContaining({ 'retry-after': '2' }),
        redirects: [],
      },
    });
  });

  it('returns TIMEOUT when its own deadline passes', async () => {
    const r = await attempt(to('/hang'), { ...settings, timeoutMs: 200 }, deps(), never);
    expect(r).toMatchObject({ kind: 'failure', failure: { code: 'TIMEOUT', message: 'no complete response within --timeout 200 ms', status: null } });
  });

  it('returns "stopped", not an error code, when the stop signal cuts it short in flight', async () => {
    const stop = new AbortController();
    const p = attempt(to('/hang'), settings, deps(), stop.signal);
    setTimeout(() => stop.abort(), 50);
    expect(await p).toEqual({ kind: 'stopped' });
  });

  it('translates a network error through classify: a refused connection is CONNECTION', async () => {
    const closed = `http://127.0.0.1:${await refusedPort()}`;
    const r = await attempt(to('/ok', closed), settings, deps(), never);
    expect(r).toMatchObject({ kind: 'failure', failure: { code: 'CONNECTION', status: null, finalUrl: null } });
  });

  it('asks allowHop about redirect hops only, never about its own URL', async () => {
    const asked: string[] = [];
    const allowHop: AttemptDeps['allowHop'] = async (hop) => {
      asked.push(hop.url);
      return hop.path.startsWith('/private/') ? { code: 'ROBOTS_DISALLOWED', message: 'disallowed by robots.txt' } : null;
    };
    const r = await attempt(to('/hop'), settings, deps({ allowHop }), never);
    expect(asked).toEqual([`${origin}/private/x`]);
    expect(r).toMatchObject({ kind: 'failure', failure: { code: 'ROBOTS_DISALLOWED', status: null, finalUrl: null } });
    const ok = await attempt(to('/ok'), settings, deps({ allowHop }), never);
    expect(ok.kind).toBe('response');
    expect(asked).toHaveLength(1);
  });
});

describe('attempt with truncate (robots.txt)', () => {
  it.each(['/big', '/big-gzip'])('keeps the first maxBytes of a bigger body %s instead of failing TOO_LARGE', async (path) => {
    const small = { ...settings, maxBytes: 100_000 };
    expect(await attempt(to(path), small, deps(), never)).toMatchObject({ kind: 'failure', failure: { code: 'TOO_LARGE' } });
    const r = await attempt(to(path), { ...small, truncate: true }, deps(), never);
    expect(r.kind).toBe('response');
    if (r.kind !== 'response') return;
    expect(r.response.body.toString()).toBe(BIG.slice(0, 100_000));
  });
});
