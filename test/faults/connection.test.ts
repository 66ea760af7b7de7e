/** Issue #3: broken connections and broken HTTP become error records, never partial data passed off as ok. */
import { describe, expect, it } from 'vitest';
import { refusedPort } from '../helpers/server.js';
import { page, raw, useFaultServer } from './fault-server.js';
import { expectFailure, useScrape } from './scrape.js';

const HTML = page('Partial');
const head = (extra: string): string => `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n${extra}\r\n`;

const refused = await refusedPort();

describe('broken connections and broken HTTP', () => {
  const server = useFaultServer({
    // Half the body, then a TCP reset.
    '/reset-mid-body': (req) => {
      req.socket.write(head(`Content-Length: ${HTML.length * 2}\r\n`) + HTML);
      setTimeout(() => req.socket.resetAndDestroy(), 50);
    },
    // Content-Length promises more than is sent before a clean close.
    '/short-body': raw(head(`Content-Length: ${HTML.length + 500}\r\n`) + HTML, { close: 'end' }),
    // Chunked framing with a chunk size that is not hex.
    '/bad-chunked': raw(`${head('Transfer-Encoding: chunked\r\n')}zz\r\n${HTML}\r\n0\r\n\r\n`, { close: 'end' }),
    // A chunked body cut off before the last-chunk marker.
    '/unterminated-chunked': raw(`${head('Transfer-Encoding: chunked\r\n')}${HTML.length.toString(16)}\r\n${HTML}\r\n`, { close: 'end' }),
    // 70 KiB of headers: more than undici's 64 KiB limit.
    '/huge-headers': raw(head(`X-Filler: ${'f'.repeat(70 * 1024)}\r\nContent-Length: ${HTML.length}\r\n`) + HTML, { close: 'end' }),
    '/garbage-status': raw(`HELLO THERE\r\n\r\n${HTML}`, { close: 'end' }),
    // Accepts the request, then closes without a byte.
    '/close-silently': (req) => void req.socket.end(),
    // Two Content-Lengths that disagree: a request-smuggling shape.
    '/double-length': raw(head(`Content-Length: 10\r\nContent-Length: ${HTML.length}\r\n`) + HTML, { close: 'end' }),
  });
  const faults = ['/reset-mid-body', '/short-body', '/bad-chunked', '/unterminated-chunked', '/huge-headers', '/garbage-status', '/close-silently', '/double-length'];
  const run = useScrape(() => [`http://127.0.0.1:${refused}/`, ...faults.map((p) => server().url(p))], ['--timeout', '3000']);

  it('refused connection → CONNECTION with a null status', () => {
    const rec = run().rec(`http://127.0.0.1:${refused}/`);
    expectFailure(rec, 'CONNECTION');
    expect(rec.status).toBeNull();
  });

  it.each([
    ['/reset-mid-body', ['CONNECTION']],
    ['/short-body', ['CONNECTION', 'PROTOCOL']],
    ['/bad-chunked', ['PROTOCOL']],
    ['/unterminated-chunked', ['CONNECTION', 'PROTOCOL']],
    ['/huge-headers', ['PROTOCOL']],
    ['/garbage-status', ['PROTOCOL']],
    ['/close-silently', ['CONNECTION']],
    ['/double-length', ['PROTOCOL']],
  ])('%s → %j, not ok', (path, codes) => {
    const rec = run().rec(server().url(path));
    expect(rec.ok).toBe(false);
    expect(codes, JSON.stringify(rec)).toContain(rec.error?.code);
    expect(rec.title).toBeNull();
    expect(rec.bytes).toBe(0);
  });

  it('the run finishes every URL and exits 1', () => {
    expect(run().records).toHaveLength(faults.length + 1);
    expect(run().code).toBe(1);
  });
});
