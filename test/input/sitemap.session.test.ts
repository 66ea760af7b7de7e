/**
 * --sitemap, --sitemaps-from-robots and --since through a whole run: sitemap
 * entries are input lines with `source: "sitemap"`, a sitemap that cannot be
 * read is a record of its own, and --sitemap alone does not wait on stdin.
 */
import { createServer, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvObjects } from '../helpers/csv.js';
import { configOf, inProcess } from '../helpers/session.js';
import { listenOnLoopback } from '../helpers/server.js';

let origin = '';
const hits: string[] = [];
const routes = new Map<string, (res: ServerResponse) => void>();
const server = createServer((req, res) => {
  hits.push(req.url ?? '');
  const route = routes.get(req.url ?? '');
  if (route) return route(res);
  if (req.url?.startsWith('/page/')) {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end(`<title>${req.url}</title><a href="/page/linked">next</a>`);
  }
  res.writeHead(404);
  res.end();
});
const send = (body: string | Buffer, type = 'application/xml') => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': type });
  res.end(body);
};
const urlset = (entries: [string, string?][]) =>
  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries
    .map(([p, lastmod]) => `<url><loc>${origin}${p}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`)
    .join('')}</urlset>`;

beforeAll(async () => {
  ({ origin } = await listenOnLoopback(server));
  routes.set('/sitemap.xml', send(urlset([['/page/a', '2026-10-01'], ['/page/b', '2026-12-01T00:00:00Z'], ['/page/c']])));
  routes.set('/index.xml', send(`<sitemapindex><sitemap><loc>${origin}/part.xml.gz</loc></sitemap><sitemap><loc>${origin}/gone.xml</loc></sitemap></sitemapindex>`));
  routes.set('/part.xml.gz', send(gzipSync(urlset([['/page/gz1'], ['/page/gz2']])), 'application/gzip'));
  routes.set('/robots.txt', send(`User-agent: *\nAllow: /\nSitemap: ${origin}/sitemap.xml\n`, 'text/plain'));
});
afterAll(() => server.close());

const pages = (urls: readonly { url: string }[]) => urls.map((r) => r.url.replace(origin, '')).sort();

describe('--sitemap', () => {
  it('reads the sitemap\'s entries as input lines with source "sitemap", and does not read stdin', async () => {
    const r = await inProcess({ options: { sitemap: [`${origin}/sitemap.xml`], robots: false }, inputs: [], stdin: `${origin}/page/never\n` });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(pages(r.records)).toEqual(['/page/a', '/page/b', '/page/c']);
    for (const rec of r.records) expect(rec).toMatchObject({ ok: true, depth: 0, parent: null, source: 'sitemap' });
    expect(hits).not.toContain('/page/never');
  });

  it('follows an index into a .xml.gz; a sitemap that cannot be read is a record of its own', async () => {
    const r = await inProcess({ options: { sitemap: [`${origin}/index.xml`], robots: false }, inputs: [] });
    expect(r.exitCode).toBe(1);
    expect(pages(r.records)).toEqual(['/gone.xml', '/page/gz1', '/page/gz2']);
    expect(r.records.find((x) => x.url.endsWith('/gone.xml'))).toMatchObject({ ok: false, status: 404, source: 'sitemap', error: { code: 'HTTP_STATUS' } });
  });

  it('--since keeps entries modified at or after the instant, and those without lastmod', async () => {
    const r = await inProcess({ options: { sitemap: [`${origin}/sitemap.xml`], since: '2026-11-01', robots: false }, inputs: [] });
    expect(pages(r.records)).toEqual(['/page/b', '/page/c']);
  });

  it('comes after the input lines, deduped against them: a URL in both is fetched once, as input', async () => {
    const r = await inProcess({ options: { sitemap: [`${origin}/sitemap.xml`], robots: false }, stdin: `${origin}/page/a\n${origin}/page/z\n` });
    expect(pages(r.records)).toEqual(['/page/a', '/page/b', '/page/c', '/page/z']);
    expect(r.records.find((x) => x.url.endsWith('/page/a'))?.source).toBe('input');
    expect(r.records.find((x) => x.url.endsWith('/page/b'))?.source).toBe('sitemap');
  });

  it('--sitemaps-from-robots reads the Sitemap lines of each input host\'s robots.txt', async () => {
    const r = await inProcess({ options: { sitemapsFromRobots: true }, stdin: `${origin}/page/seed\n` });
    expect(pages(r.records)).toEqual(['/page/a', '/page/b', '/page/c', '/page/seed']);
  });

  it('seeds a crawl: entries are depth 0, their links depth 1', async () => {
    const r = await inProcess({ options: { sitemap: [`${origin}/sitemap.xml`], follow: true, depth: '1', robots: false }, inputs: [] });
    expect(r.records.find((x) => x.url.endsWith('/page/linked'))).toMatchObject({ depth: 1, source: 'link' });
    expect(r.records.filter((x) => x.source === 'sitemap')).toHaveLength(3);
  });

  it('adds the depth, parent and source columns to CSV', async () => {
    const r = await inProcess({ options: { sitemap: [`${origin}/sitemap.xml`], format: 'csv', robots: false }, inputs: [] });
    const { header, rows } = csvObjects(r.stdout);
    expect(header).toEqual(expect.arrayContaining(['depth', 'parent', 'source']));
    expect(rows.every((x) => x.source === 'sitemap')).toBe(true);
  });

  it('refuses a --sitemap that is not an http(s) URL and a --since that is not ISO 8601, before any request', () => {
    expect(() => configOf({ options: { sitemap: ['sitemap.xml'] } })).toThrow('--sitemap must be an absolute http(s) URL, got "sitemap.xml"');
    expect(() => configOf({ options: { since: 'last week' } })).toThrow('--since must be an ISO 8601 date or date-time');
    expect(configOf({ options: { since: '2026-11-01T08:00:00' } }).sinceMs).toBe(Date.parse('2026-11-01T08:00:00Z'));
  });
});
