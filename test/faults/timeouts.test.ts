/** Issue #3: a server that stalls can never hold a URL past --timeout (plus a small margin). */
import { describe, expect, it } from 'vitest';
import { raw, trickle, useFaultServer } from './fault-server.js';
import { expectFailure, scrape } from './scrape.js';

const TIMEOUT = 800;
// Process start-up is outside totalMs; this margin is timer and teardown slack.
const MARGIN = 300;

describe('a server that stalls', () => {
  const server = useFaultServer({
    // Accepts the connection and the request, then says nothing at all.
    '/silent': () => {},
    // The status line and headers one byte at a time: each byte resets an idle timer.
    '/slow-headers': (req) => trickle(req.socket, 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello', 40),
    // Headers at once, then the body one byte every 40 ms: never idle, never done.
    '/trickle-body': (req) => {
      req.socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n');
      trickle(req.socket, (function* () { for (;;) yield '<'; })(), 40);
    },
    '/ok': raw('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\n\r\n<title>fine</title>........', { close: 'keep' }),
  });

  it.each(['/silent', '/slow-headers', '/trickle-body'])('%s ends as TIMEOUT within --timeout', async (path) => {
    const url = server().url(path);
    const r = await scrape([url], ['--timeout', String(TIMEOUT)]);
    const rec = r.rec(url);
    expectFailure(rec, 'TIMEOUT');
    expect(rec.attempts).toBe(1);
    expect(rec.timing.totalMs).toBeGreaterThanOrEqual(TIMEOUT - 50);
    expect(rec.timing.totalMs).toBeLessThan(TIMEOUT + MARGIN);
    expect(r.code).toBe(1);
  });

  it('a trickling body is TIMEOUT even when its headers were sent (status kept)', async () => {
    const url = server().url('/trickle-body');
    const rec = (await scrape([url], ['--timeout', String(TIMEOUT)])).rec(url);
    expect(rec.status).toBe(200);
    expect(rec.finalUrl).toBe(url);
  });

  it('stalled URLs do not hold up the others', async () => {
    const urls = ['/silent', '/trickle-body', '/ok'].map((p) => server().url(`${p}?q=other`));
    const started = Date.now();
    const r = await scrape(urls, ['--timeout', String(TIMEOUT)]);
    expect(r.rec(urls[2]!).ok).toBe(true);
    expect(r.rec(urls[2]!).title).toBe('fine');
    expect(Date.now() - started).toBeLessThan(TIMEOUT + 2_000);
  });
});
