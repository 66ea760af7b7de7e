/**
 * Sitemaps read as streams (sitemaps.org protocol): urlset, index, .xml.gz and
 * gzip-encoded, plain text, lastmod filtering, broken XML, failures, caps.
 * A node:http server on 127.0.0.1 serves each case.
 */
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSitemaps, type SitemapOptions } from '../../src/input/sitemap.js';
import type { RecordError } from '../../src/record/record.js';
import { listenOnLoopback } from '../helpers/server.js';

const urlset = (entries: [string, string?][], prefix = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${prefix}urlset xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries
    .map(([loc, lastmod]) => `  <${prefix}url><${prefix}loc>${loc}</${prefix}loc>${lastmod ? `<${prefix}lastmod>${lastmod}</${prefix}lastmod>` : ''}</${prefix}url>`)
    .join('\n')}\n</${prefix}urlset>\n`;
const index = (locs: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${locs.map((l) => `  <sitemap><loc>${l}</loc></sitemap>`).join('\n')}\n</sitemapindex>\n`;

let server: Server;
let origin: string;
const agent = new Agent();
const routes = new Map<string, (res: import('node:http').ServerResponse) => void>();
const xml = (body: string | Buffer, headers: Record<string, string> = {}) => (res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/xml', ...headers });
  res.end(body);
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) route(res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  ({ origin } = await listenOnLoopback(server));
  const u = (p: string) => `${origin}${p}`;
  routes.set('/plain.xml', xml(urlset([[u('/a')], [u('/b?x=1&amp;y=2')], [u('/c')]])));
  routes.set('/prefixed.xml', xml(urlset([[u('/p1')], [u('/p2')]], 'sm:')));
  routes.set('/dated.xml', xml(urlset([[u('/old'), '2020-01-01'], [u('/new'), '2026-06-01T10:00:00+02:00'], [u('/undated')], [u('/edge'), '2026-01-01T00:00:00Z']])));
  routes.set('/index.xml', xml(index([u('/plain.xml'), u('/child.xml.gz'), u('/encoded.xml'), u('/missing.xml'), u('/index.xml')])));
  routes.set('/child.xml.gz', xml(gzipSync(urlset([[u('/gz1')], [u('/gz2')]])), { 'content-type': 'application/x-gzip' }));
  routes.set('/encoded.xml', xml(gzipSync(urlset([[u('/enc1')]])), { 'content-encoding': 'gzip' }));
  routes.set('/text.txt', (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`\uFEFF${u('/t1')}\r\n\n${u('/t2')}\n${u('/t3')}`);
  });
  const full = urlset(Array.from({ length: 50 }, (_, i) => [u(`/br${i}`)] as [string]));
  routes.set('/broken.xml', xml(full.slice(0, full.indexOf(u('/br20'))))); // cut inside entry 20
  const many = gzipSync(urlset(Array.from({ length: 5000 }, (_, i) => [u(`/gzbr${i}`)] as [string])));
  routes.set('/corrupt.xml.gz', xml(many.subarray(0, many.length >> 1), { 'content-type': 'application/gzip' }));
  routes.set('/moved.xml', (res) => {
    res.writeHead(301, { location: '/plain.xml' });
    res.end();
  });
  routes.set('/big.xml', xml(urlset(Array.from({ length: 2000 }, (_, i) => [u(`/big${i}`)] as [string]))));
  routes.set('/html.xml', xml('<html><body><a href="/x">x</a></body></html>'));
  const deep = (n: number) => `/deep${n}.xml`;
  for (let n = 0; n < 8; n++) routes.set(deep(n), xml(index([u(deep(n + 1))])));
});
afterAll(async () => {
  server.close();
  await agent.close();
});

async function read(paths: string[], extra: Partial<SitemapOptions> = {}) {
  const warnings: [string, Record<string, unknown>][] = [];
  const failures: [string, RecordError, number | null][] = [];
  const urls: string[] = [];
  for await (const e of readSitemaps(
    paths.map((p) => `${origin}${p}`),
    {
      dispatcher: agent,
      headers: { 'user-agent': 'test' },
      timeoutMs: 5000,
      since: null,
      warn: (m, f) => warnings.push([m, f]),
      failed: (s, e, st) => failures.push([s.replace(origin, ''), e, st]),
      ...extra,
    },
  ))
    urls.push(e.url.replace(origin, ''));
  return { urls, warnings, failures };
}

describe('sitemaps', () => {
  it('reads a urlset\'s <loc> entries in order, XML entities decoded', async () => {
    expect((await read(['/plain.xml'])).urls).toEqual(['/a', '/b?x=1&y=2', '/c']);
  });

  it('reads elements under a namespace prefix', async () => {
    expect((await read(['/prefixed.xml'])).urls).toEqual(['/p1', '/p2']);
  });

  it('follows an index: plain, .xml.gz and gzip-encoded children; a missing one is a failure; a loop is read once', async () => {
    const r = await read(['/index.xml']);
    expect(r.urls).toEqual(['/a', '/b?x=1&y=2', '/c', '/gz1', '/gz2', '/enc1']);
    expect(r.failures).toEqual([['/missing.xml', { code: 'HTTP_STATUS', message: 'sitemap answered HTTP 404' }, 404]]);
  });

  it('stops following nested indexes at the depth cap, with a warning', async () => {
    const r = await read(['/deep0.xml']);
    expect(r.urls).toEqual([]);
    expect(r.warnings).toEqual([['sitemap index nested too deep; not followed', { sitemap: `${origin}/deep5.xml`, depth: 5 }]]);
  });

  it('reads a plain-text sitemap, one URL a line', async () => {
    expect((await read(['/text.txt'])).urls).toEqual(['/t1', '/t2', '/t3']);
  });

  it('--since keeps entries whose lastmod is at or after it (compared as instants), and those without', async () => {
    const r = await read(['/dated.xml'], { since: Date.parse('2026-01-01T00:00:00Z') });
    expect(r.urls).toEqual(['/new', '/undated', '/edge']);
  });

  it('broken XML: the entries before the break are used, with a warning', async () => {
    const r = await read(['/broken.xml']);
    expect(r.urls).toEqual(Array.from({ length: 20 }, (_, i) => `/br${i}`));
    expect(r.warnings.map(([m]) => m)).toEqual(['sitemap XML ended before </urlset>; the entries before the break were used']);
    expect(r.failures).toEqual([]);
  });

  it('a truncated .gz: the entries decoded before the break are used, with a warning', async () => {
    const r = await read(['/corrupt.xml.gz']);
    expect(r.urls.length).toBeGreaterThan(0);
    expect(r.urls.length).toBeLessThan(5000);
    expect(r.urls.every((x) => /^\/gzbr\d+$/.test(x))).toBe(true);
    expect(r.warnings[0]?.[0]).toMatch(/^sitemap broken after \d+ entries; those were used$/);
  });

  it('follows redirects', async () => {
    expect((await read(['/moved.xml'])).urls).toEqual(['/a', '/b?x=1&y=2', '/c']);
  });

  it('has its own cap, not --max-bytes: past it the rest is ignored, with a warning', async () => {
    const r = await read(['/big.xml'], { maxBytes: 20_000 });
    expect(r.urls.length).toBeGreaterThan(100);
    expect(r.urls.length).toBeLessThan(2000);
    expect(r.warnings[0]?.[0]).toBe('sitemap larger than 20000 bytes uncompressed; the rest is ignored');
  });

  it('a document that is not a sitemap gives nothing and a warning', async () => {
    const r = await read(['/html.xml']);
    expect(r.urls).toEqual([]);
    expect(r.warnings.map(([m]) => m)).toContain('not a sitemap: the document is <html>');
  });

  it('a sitemap that cannot be reached is a failure with its code', async () => {
    const r = await read([], {});
    expect(r.urls).toEqual([]);
    const dead = await (async () => {
      const failures: RecordError[] = [];
      for await (const _ of readSitemaps(['http://127.0.0.1:1/sitemap.xml'], {
        dispatcher: agent,
        headers: {},
        timeoutMs: 2000,
        since: null,
        warn: () => {},
        failed: (_s, e) => failures.push(e),
      }));
      return failures;
    })();
    expect(dead.map((e) => e.code)).toEqual(['CONNECTION']);
  });
});

describe('Sitemap lines of a robots.txt', () => {
  it('lists every Sitemap line, anywhere in the file, absolute or resolved, once each, in order', async () => {
    const { sitemapsOf } = await import('../../src/schedule/robots-rules.js');
    const body = Buffer.from(
      [
        'Sitemap: https://example.com/sitemap.xml',
        'User-agent: *',
        'Disallow: /private/',
        'sitemap:/relative-sitemap.xml   # a comment',
        'SITEMAP: https://example.com/sitemap.xml',
        'Sitemap: ftp://example.com/nope.xml',
        'Site-map: https://cdn.example.com/s.xml.gz',
        'Sitemap:',
      ].join('\r\n'),
    );
    expect(sitemapsOf(body, 'https://example.com/robots.txt')).toEqual([
      'https://example.com/sitemap.xml',
      'https://example.com/relative-sitemap.xml',
      'https://cdn.example.com/s.xml.gz',
    ]);
  });
});
