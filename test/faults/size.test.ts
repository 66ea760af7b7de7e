/** Issue #3: bodies larger than --max-bytes end as TOO_LARGE at the limit, with memory flat. */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/run.js';
import { page, useFaultServer } from './fault-server.js';
import { MB, watchPeakRss } from './peak-rss.js';
import { expectFailure, scrape } from './scrape.js';

/** Bytes each endless response managed to send before the client hung up, by request path. */
const sent = new Map<string, number>();

function endless(socket: Socket, key: string, headers: string, chunked: boolean): void {
  const data = Buffer.alloc(64 * 1024, 'a');
  const chunk = chunked ? Buffer.concat([Buffer.from('10000\r\n'), data, Buffer.from('\r\n')]) : data;
  let total = 0;
  socket.write(headers);
  const pump = (): void => {
    while (!socket.destroyed && socket.writable) {
      total += chunk.length;
      sent.set(key, total);
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
}

describe('bodies over --max-bytes', () => {
  const server = useFaultServer({
    // Chunked and never ending.
    '/endless': (req) => endless(req.socket, req.url!, 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n', true),
    // No length at all: the body ends when the connection does, which it never does.
    '/endless-close-delimited': (req) => endless(req.socket, req.url!, 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n', false),
    // Announces a terabyte, sends a few bytes, then waits: must fail on the header, not on the timeout.
    '/huge-length': (req) => void req.socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000000000\r\n\r\n<html>'),
    '/exact': (_req, res, url) => {
      const n = Number(url.searchParams.get('bytes'));
      const body = Buffer.alloc(n, ' ');
      body.write(page('Exact'));
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(body);
    },
  });

  it('an endless chunked body is TOO_LARGE, and reading stops at the limit', async () => {
    const url = server().url('/endless?a');
    const r = await scrape([url], ['--max-bytes', '1M', '--timeout', '5000']);
    const rec = r.rec(url);
    expectFailure(rec, 'TOO_LARGE');
    expect(rec.status).toBe(200);
    expect(rec.timing.totalMs).toBeLessThan(2_000);
    // What the server got out is the limit plus socket buffers, not the endless rest.
    expect(sent.get('/endless?a')).toBeLessThan(16 * MB);
  });

  it('an endless body with no length (close-delimited) is TOO_LARGE', async () => {
    const url = server().url('/endless-close-delimited');
    const rec = (await scrape([url], ['--max-bytes', '1M', '--timeout', '5000'])).rec(url);
    expectFailure(rec, 'TOO_LARGE');
  });

  it('memory stays bounded: an endless body at --max-bytes 100M peaks under 250 MB', async () => {
    const url = server().url('/endless?b');
    const cli = startCli(['--no-robots', '--retries', '0', '--max-bytes', '100M', '--timeout', '10000']);
    cli.child.stdin.end(url);
    const peak = watchPeakRss(cli.child);
    const r = await cli.done;
    expect(r.records[0]!.error?.code).toBe('TOO_LARGE');
    // Node itself is ~60 MB and the body held is the limit; without the limit this grows by GBs in 10 s.
    expect(await peak).toBeLessThan(250 * MB);
  });

  it('a huge Content-Length is TOO_LARGE at once, before any body is read', async () => {
    const url = server().url('/huge-length');
    const rec = (await scrape([url], ['--max-bytes', '1M', '--timeout', '5000'])).rec(url);
    expectFailure(rec, 'TOO_LARGE');
    expect(rec.error!.message).toMatch(/Content-Length/);
    expect(rec.timing.totalMs).toBeLessThan(1_000);
  });

  it('a body of exactly --max-bytes is ok; one byte more is TOO_LARGE', async () => {
    const at = server().url('/exact?bytes=4096');
    const over = server().url('/exact?bytes=4097');
    const r = await scrape([at, over], ['--max-bytes', '4096']);
    expect(r.rec(at).ok).toBe(true);
    expect(r.rec(at).bytes).toBe(4096);
    expect(r.rec(at).title).toBe('Exact');
    expectFailure(r.rec(over), 'TOO_LARGE');
  });
});
