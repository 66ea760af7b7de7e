/**
 * Issue #12, scaled down: brotli bombs in a row among gzip, brotli and plain
 * pages at -c 100, in-process. Every bomb ends TOO_LARGE (none TIMEOUT) and
 * no good page waits behind them. The full soak (4,000 URLs) is
 * bench/brotli-soak.mjs; its figures are in bench/RESULTS.md.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { page, useFaultServer } from '../../faults/fault-server.js';
import { inProcess } from '../../helpers/session.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/faults/${name}`, import.meta.url));
const good = Buffer.from(page('Good', Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i} with <a href="/p/${i}">a link</a>.</p>`).join('')));

function send(body: Buffer, encoding?: string) {
  return (_req: unknown, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/html', ...(encoding ? { 'content-encoding': encoding } : {}), 'content-length': body.length });
    res.end(body);
  };
}

describe('brotli bombs under load', () => {
  const server = useFaultServer({
    '/plain': send(good),
    '/gzip': send(gzipSync(good), 'gzip'),
    '/br': send(brotliCompressSync(good), 'br'),
    // Its header declares a 16 MiB meta-block: TOO_LARGE before decoding.
    '/bomb': send(fixture('zeros-256m.br'), 'br'),
    // A one-byte meta-block first: decoded, with its 16 MiB window from the budget.
    '/bomb-late': send(fixture('late-256m.br'), 'br'),
  });

  it('300 URLs with 26 bombs in a row at -c 100: every bomb TOO_LARGE within --timeout, every page ok and not held up', async () => {
    const kinds = ['/plain', '/gzip', '/br'];
    const urls = Array.from({ length: 300 }, (_, i) => {
      const path = i >= 100 && i < 126 ? (i % 2 ? '/bomb' : '/bomb-late') : kinds[i % 3]!;
      return server().url(`${path}?i=${i}`);
    });
    const r = await inProcess({
      stdin: urls.join('\n'),
      options: { robots: false, retries: '0', concurrency: '100', perHost: '100', timeout: '5000' },
    });
    expect(r.records).toHaveLength(300);
    const bombs = r.records.filter((rec) => new URL(rec.url).pathname.startsWith('/bomb'));
    const pages = r.records.filter((rec) => !new URL(rec.url).pathname.startsWith('/bomb'));
    expect(bombs).toHaveLength(26);
    for (const rec of bombs) expect(rec.error?.code, rec.url).toBe('TOO_LARGE');
    for (const rec of pages) {
      expect(rec.ok, JSON.stringify(rec.error)).toBe(true);
      expect(rec.title).toBe('Good');
    }
    // One global decoding turn held brotli pages behind every bomb before them:
    // seconds here, against well under one for gzip and plain pages (and with
    // --timeout 1500, bombs ended TIMEOUT). Now brotli pages wait
    // no more than the others (compared within the run: the machine may be busy).
    const slowest = (encoding: string): number =>
      Math.max(...pages.filter((rec) => new URL(rec.url).pathname === encoding).map((rec) => rec.timing.totalMs));
    expect(slowest('/br')).toBeLessThan(2 * Math.max(slowest('/gzip'), slowest('/plain')) + 250);
  });
});
