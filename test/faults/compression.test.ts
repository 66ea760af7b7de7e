/** Issue #3: compressed bodies are decoded, limits count decoded bytes, and bombs stop at the cap. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/run.js';
import { page, useFaultServer } from './fault-server.js';
import { MB, watchPeakRss } from './peak-rss.js';
import { expectFailure, scrape, useScrape } from './scrape.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/faults/${name}`, import.meta.url));
const html = Buffer.from(page('Compressed “ok”', '<p id="p">decoded</p>'));
// 64 KiB of HTML that gzips to well under 4 KiB.
const bigHtml = Buffer.from(page('Big', `<p>${'x'.repeat(64 * 1024)}</p>`));
// Text that does not compress to nothing, so cutting its gzip in half loses real data.
const wordy = Buffer.from(page('Wordy', Array.from({ length: 4000 }, (_, i) => `<p>item ${i * 7919} of ${i}</p>`).join('')));

function send(body: Buffer, encoding: string) {
  return (_req: unknown, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': encoding, 'content-length': body.length });
    res.end(body);
  };
}

describe('compressed bodies', () => {
  const server = useFaultServer({
    '/gzip': send(gzipSync(html), 'gzip'),
    '/x-gzip': send(gzipSync(html), 'x-gzip'),
    '/deflate': send(deflateSync(html), 'deflate'),
    // Some servers send raw deflate (no zlib header) as `deflate`; browsers accept it.
    '/deflate-raw': send(deflateRawSync(html), 'deflate'),
    '/br': send(brotliCompressSync(html), 'br'),
    '/gzip-then-br': send(brotliCompressSync(gzipSync(html)), 'gzip, br'),
    '/big-gzip': send(gzipSync(bigHtml), 'gzip'),
    '/bomb-gzip': send(fixture('zeros-100m.gz'), 'gzip'),
    '/bomb-gzip-gzip': send(fixture('zeros-1g.gz.gz'), 'gzip, gzip'),
    '/bomb-br': send(fixture('zeros-256m.br'), 'br'),
    // The same zeros behind a one-byte meta-block: only decoding finds this bomb.
    '/bomb-br-late': send(fixture('late-256m.br'), 'br'),
    '/stacked': send(gzipSync(gzipSync(gzipSync(gzipSync(html)))), 'gzip, gzip, gzip, gzip'),
    '/unknown': send(html, 'compress'),
    '/broken-gzip': send(Buffer.concat([gzipSync(html).subarray(0, 10), Buffer.from('this is not deflate data at all')]), 'gzip'),
    '/truncated-gzip': send(gzipSync(wordy).subarray(0, gzipSync(wordy).length >> 1), 'gzip'),
    '/broken-br': send(Buffer.from('definitely not brotli'), 'br'),
    // A brotli page that takes two seconds to arrive, in twenty pieces.
    '/br-slow': (_req, res) => {
      const body = brotliCompressSync(wordy);
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br', 'content-length': body.length });
      let i = 0;
      const step = Math.ceil(body.length / 20);
      const timer = setInterval(() => {
        res.write(body.subarray(i, i + step));
        i += step;
        if (i >= body.length) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.on('close', () => clearInterval(timer));
    },
  });

  const decoded = ['/gzip', '/x-gzip', '/deflate', '/deflate-raw', '/br', '/gzip-then-br'];
  const broken = ['/stacked', '/unknown', '/broken-gzip', '/truncated-gzip', '/broken-br'];
  const run = useScrape(() => [...decoded, ...broken].map((p) => server().url(p)), ['-s', 'p=#p']);

  it.each(decoded)('%s is decoded', (path) => {
    const rec = run().rec(server().url(path));
    expect(rec.ok, JSON.stringify(rec)).toBe(true);
    expect(rec.title).toBe('Compressed “ok”');
    expect(rec.data).toEqual({ p: 'decoded' });
    // bytes counts the decoded body.
    expect(rec.bytes).toBe(html.length);
  });

  it.each([
    ['/stacked', /4 stacked/],
    ['/unknown', /compress/],
    ['/broken-gzip', /.+/],
    ['/truncated-gzip', /.+/],
    ['/broken-br', /.+/],
  ])('%s is a DECODE error record, not a crash', (path, message) => {
    const rec = run().rec(server().url(path));
    expectFailure(rec, 'DECODE');
    expect(rec.status).toBe(200);
    expect(rec.error!.message).toMatch(message);
  });

  it('--max-bytes counts decoded bytes: a 64 KiB page gzipped to a few KiB is TOO_LARGE at 16K', async () => {
    const url = server().url('/big-gzip');
    const r = await scrape([url], ['--max-bytes', '16K']);
    expectFailure(r.rec(url), 'TOO_LARGE');
    const ok = await scrape([url], ['--max-bytes', '128K']);
    expect(ok.rec(url).bytes).toBe(bigHtml.length);
  });

  it('bombs (100 KB gzip → 100 MiB, 2 KB gzip of gzip → 1 GiB, 200 B brotli → 256 MiB, twice) are TOO_LARGE at the default 10 MiB cap, memory bounded', async () => {
    const urls = ['/bomb-gzip', '/bomb-gzip-gzip', '/bomb-br', '/bomb-br-late'].map((p) => server().url(p));
    const cli = startCli(['--no-robots', '--retries', '0']);
    cli.child.stdin.end(urls.join('\n'));
    const peak = watchPeakRss(cli.child);
    const r = await cli.done;
    expect(r.records).toHaveLength(4);
    for (const rec of r.records) {
      expectFailure(rec, 'TOO_LARGE');
      expect(rec.timing.totalMs).toBeLessThan(3_000);
    }
    // Node is ~60 MB and four 10 MiB bodies are in flight; any one bomb inflated would be 256 MiB or more.
    expect(await peak).toBeLessThan(180 * MB);
  });

  it('40 brotli bombs at once: memory stays bounded, and gzip and brotli pages are not starved', async () => {
    // Half end on their header, half decode two at a time within the budget of windows.
    const bombs = Array.from({ length: 40 }, (_, i) => server().url(i % 2 ? `/bomb-br?i=${i}` : `/bomb-br-late?i=${i}`));
    const pages = Array.from({ length: 10 }, (_, i) => server().url(i % 2 ? `/gzip?i=${i}` : `/br?i=${i}`));
    const cli = startCli(['--no-robots', '--retries', '0', '-c', '50', '--per-host', '50', '--max-bytes', '1M', '--timeout', '10000']);
    cli.child.stdin.end([...bombs, ...pages].join('\n'));
    const peak = watchPeakRss(cli.child);
    const r = await cli.done;
    expect(r.records).toHaveLength(50);
    for (const url of bombs) expect(r.records.find((x) => x.url === url)?.error?.code).toBe('TOO_LARGE');
    for (const url of pages) expect(r.records.find((x) => x.url === url)?.title).toBe('Compressed “ok”');
    // Each late bomb's decoder fills a 16 MiB ring buffer: 20 at once would be 320 MiB.
    expect(await peak).toBeLessThan(250 * MB);
  });

  it('slow brotli pages hold no decoding budget while they wait for the network', async () => {
    const slow = [server().url('/br-slow?a'), server().url('/br-slow?b')];
    const fast = Array.from({ length: 5 }, (_, i) => server().url(`/br?fast=${i}`));
    const cli = startCli(['--no-robots', '--retries', '0', '-c', '10', '--per-host', '10']);
    cli.child.stdin.write(`${slow.join('\n')}\n`);
    await new Promise((r) => setTimeout(r, 250));
    cli.child.stdin.end(fast.join('\n'));
    const r = await cli.done;
    for (const url of slow) expect(r.records.find((x) => x.url === url)?.title).toBe('Wordy');
    for (const url of fast) {
      const rec = r.records.find((x) => x.url === url)!;
      expect(rec.title).toBe('Compressed “ok”');
      // Well before the slow pages end (2 s): nothing they hold keeps others waiting.
      expect(rec.timing.totalMs).toBeLessThan(1_000);
    }
  });

  it('brotli bombs waiting for the decoding budget still end at --timeout, and give it back', async () => {
    // Late bombs: the ones whose header does not give them away wait for the budget.
    const bombs = Array.from({ length: 60 }, (_, i) => server().url(`/bomb-br-late?queued=${i}`));
    const pages = Array.from({ length: 5 }, (_, i) => server().url(`/br?after=${i}`));
    const cli = startCli(['--no-robots', '--retries', '0', '-c', '60', '--per-host', '60', '--max-bytes', '1M', '--timeout', '300']);
    const peak = watchPeakRss(cli.child);
    cli.child.stdin.write(`${bombs.join('\n')}\n`);
    await cli.waitForStdout((out) => out.split('\n').length > bombs.length);
    // The whole budget must be free again: brotli pages sent now decode at once.
    cli.child.stdin.end(pages.join('\n'));
    const r = await cli.done;
    expect(r.records).toHaveLength(65);
    for (const url of bombs) {
      const rec = r.records.find((x) => x.url === url)!;
      expect(['TOO_LARGE', 'TIMEOUT']).toContain(rec.error?.code);
      // Queued bombs stop at their deadline; none decodes later, holding budget.
      expect(rec.timing.totalMs).toBeLessThan(300 + 300);
    }
    expect(r.records.filter((x) => x.error?.code === 'TIMEOUT').length).toBeGreaterThan(0);
    for (const url of pages) expect(r.records.find((x) => x.url === url)?.title).toBe('Compressed “ok”');
    // Destroyed decoders whose pool jobs still run hold their budget: at most two 16 MiB buffers at once.
    expect(await peak).toBeLessThan(250 * MB);
  });
});

// Small gzip/deflate bodies are inflated in one call; these sit on the edges of
// that path (src/fetch/body.ts: 256 KiB read whole, 1 MiB inflated at once) and
// must come out exactly as the streaming path makes them.
describe('compressed bodies on the edges of one-shot inflating', () => {
  // ~3 MiB of HTML that gzips to a few KiB: inflates past the one-shot bound.
  const tall = Buffer.from(page('Tall', `<p id="p">decoded</p>${'<p>row</p>'.repeat(300_000)}`));
  // ~600 KiB of base64 text: gzips to well over 256 KiB, inflates under 1 MiB.
  const noisy = Buffer.from(page('Noisy', `<p id="p">decoded</p><p>${randomBytes(450 * 1024).toString('base64')}</p>`));
  const noisyGz = gzipSync(noisy);
  const server = useFaultServer({
    '/tall-gzip': send(gzipSync(tall), 'gzip'),
    '/tall-deflate': send(deflateSync(tall), 'deflate'),
    // Chunked, no Content-Length, in pieces: read partly, then streamed from the start.
    '/noisy-gzip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      for (let i = 0; i < noisyGz.length; i += 16 * 1024) res.write(noisyGz.subarray(i, i + 16 * 1024));
      res.end();
    },
    '/noisy-gzip-truncated': send(noisyGz.subarray(0, noisyGz.length - 4096), 'gzip'),
    '/empty-gzip': send(Buffer.alloc(0), 'gzip'),
    '/empty-deflate': send(Buffer.alloc(0), 'deflate'),
  });

  it('checks its fixtures are on the edges', () => {
    expect(gzipSync(tall).length).toBeLessThan(256 * 1024);
    expect(tall.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(noisyGz.length).toBeGreaterThan(300 * 1024);
    expect(noisy.length).toBeLessThan(1024 * 1024);
  });

  it('a small body inflating past 1 MiB, and a big one read partly first, decode whole', async () => {
    const urls = ['/tall-gzip', '/tall-deflate', '/noisy-gzip'].map((p) => server().url(p));
    const r = await scrape(urls, ['-s', 'p=#p']);
    for (const [url, body, title] of [[urls[0]!, tall, 'Tall'], [urls[1]!, tall, 'Tall'], [urls[2]!, noisy, 'Noisy']] as const) {
      const rec = r.rec(url);
      expect(rec.ok, JSON.stringify(rec.error)).toBe(true);
      expect(rec.title).toBe(title);
      expect(rec.data).toEqual({ p: 'decoded' });
      expect(rec.bytes).toBe(body.length);
    }
  });

  it('--max-bytes still counts decoded bytes above and below the one-shot bound', async () => {
    const tallUrl = server().url('/tall-gzip');
    const noisyUrl = server().url('/noisy-gzip');
    const r = await scrape([tallUrl, noisyUrl], ['--max-bytes', '2M']);
    expectFailure(r.rec(tallUrl), 'TOO_LARGE');
    expect(r.rec(noisyUrl).ok).toBe(true);
    const small = await scrape([noisyUrl], ['--max-bytes', '500K']);
    expectFailure(small.rec(noisyUrl), 'TOO_LARGE');
  });

  it('a big body cut short is a DECODE error record, and the next request on the host still works', async () => {
    const cut = server().url('/noisy-gzip-truncated');
    const after = server().url('/tall-gzip?after');
    const r = await scrape([cut, after], ['-c', '1', '--per-host', '1']);
    expectFailure(r.rec(cut), 'DECODE');
    expect(r.rec(after).title).toBe('Tall');
  });

  it('an empty body answers as the streaming path always did: deflate is an empty page, gzip (no header at all) is DECODE', async () => {
    const gz = server().url('/empty-gzip');
    const df = server().url('/empty-deflate');
    const r = await scrape([gz, df]);
    expectFailure(r.rec(gz), 'DECODE');
    expect(r.rec(df).ok).toBe(true);
    expect(r.rec(df).bytes).toBe(0);
  });
});
