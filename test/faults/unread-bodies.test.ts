/**
 * Issue #3 regression: every response body is read or destroyed at once, on every
 * path. undici 7 crashes with an uncatchable assertion when a body nobody reads
 * meets a connection the server has closed; these routes make that happen often.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { page, useFaultServer } from './fault-server.js';

const BIG = Buffer.alloc(200 * 1024, 'b');

/** Send head and a body, then close the kept-alive connection soon after, mid-body or not. */
function thenClose(status: number, headers: Record<string, string>, body: Buffer, closeAfterMs: number) {
  return (_req: unknown, res: ServerResponse): void => {
    res.writeHead(status, { 'content-type': 'text/html', 'content-length': String(body.length), connection: 'keep-alive', ...headers });
    res.write(body.subarray(0, body.length >> 1));
    setTimeout(() => res.socket?.destroy(), closeAfterMs);
  };
}

/**
 * The exact trigger (nodejs/undici#5360): a `Connection: close` response whose
 * body nobody reads, then FIN. The parser pauses under backpressure and
 * `Parser.finish()` asserts `!this.paused` in the socket's 'end' handler.
 */
function closeWithFin(status: number, headers: Record<string, string>) {
  return (req: { socket: import('node:net').Socket }): void => {
    const head = Object.entries({ 'content-type': 'text/html', 'content-length': String(BIG.length), connection: 'close', ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    req.socket.write(`HTTP/1.1 ${status} X\r\n${head}\r\n`);
    req.socket.end(BIG);
  };
}

describe('unread bodies on closing connections', () => {
  const server = useFaultServer({
    '/fin-redirect': closeWithFin(302, { location: '/target' }),
    '/fin-error': closeWithFin(500, {}),
    '/fin-not-found': closeWithFin(404, {}),
    '/fin-too-large': closeWithFin(200, {}),
    // Redirects and errors whose bodies are bigger than we drain, cut off mid-body.
    '/redirect-big-body': thenClose(302, { location: '/target' }, BIG, 5),
    '/error-big-body': thenClose(500, {}, BIG, 5),
    '/not-found-big-body': thenClose(404, {}, BIG, 0),
    // Content-Length over --max-bytes, mid-body close.
    '/too-large': thenClose(200, {}, BIG, 5),
    // A small error page on a kept-alive connection that the server drops a moment later.
    // (500, not 503: a 503 also slows the whole host down, which is not what this tests.)
    '/error-small': (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(page('Busy'));
      setTimeout(() => res.socket?.destroy(), 1);
    },
    '/target': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page('Target'));
    },
  });

  it('400 such URLs on 20 connections: exit 1, every record present, no crash', async () => {
    const paths = ['/fin-redirect', '/fin-error', '/fin-not-found', '/fin-too-large', '/redirect-big-body', '/error-big-body', '/not-found-big-body', '/too-large', '/error-small'];
    const urls = Array.from({ length: 400 }, (_, i) => server().url(`${paths[i % paths.length]}?i=${i}`));
    const r = await runCli(['--no-robots', '--retries', '1', '-c', '20', '--per-host', '20', '--max-bytes', '100K', '--timeout', '2000'], {
      stdin: urls.join('\n'),
      timeoutMs: 20_000,
    });
    expect(r.stderr).not.toMatch(/AssertionError|^\s+at /m);
    expect(r.code).toBe(1);
    const got = new Set(r.records.map((x) => x.url));
    expect(got.size).toBe(urls.length);
    for (const rec of r.records) {
      // Redirects land on /target; everything else is an error record with no body passed off as data.
      const redirected = /redirect/.test(rec.url);
      expect(rec.ok, JSON.stringify(rec)).toBe(redirected);
      expect(rec.title).toBe(redirected ? 'Target' : null);
    }
  });
});
