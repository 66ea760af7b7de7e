/** Issue #3: redirects are bounded, resolved, limited to http(s), and shed credentials across origins. */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { page, useFaultServer } from './fault-server.js';
import { expectFailure, scrape } from './scrape.js';

function redirect(location: string, status = 302) {
  return (_req: unknown, res: ServerResponse): void => {
    res.writeHead(status, { location, 'content-type': 'text/html', 'content-length': 24 });
    res.end('<p>moved, see Location</p>'.slice(0, 24));
  };
}

const okPage = (_req: unknown, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(page('Landed'));
};

describe('redirects', () => {
  // A second server on another port is another origin.
  const other = useFaultServer({ '/landing': okPage });
  const server = useFaultServer({
    '/loop': redirect('/loop'),
    '/ping': redirect('/pong'),
    '/pong': redirect('/ping'),
    '/chain': (_req, res, url) => {
      const n = Number(url.searchParams.get('n'));
      redirect(n <= 1 ? '/landing' : `/chain?n=${n - 1}`, 301)(_req, res);
    },
    '/landing': okPage,
    '/dir/relative': redirect('../landing?from=relative'),
    '/scheme-relative': (req, res) => redirect(`//${req.headers.host}/landing?from=scheme`)(req, res),
    '/to-javascript': redirect('javascript:alert(1)'),
    '/to-file': redirect('file:///etc/passwd'),
    '/to-ftp': redirect('ftp://127.0.0.1/x'),
    '/to-data': redirect('data:text/html,<title>x</title>'),
    '/to-garbage': redirect('http://[not-an-ip/'),
    '/cross-origin': (_req, res) => redirect(other().url('/landing'))(_req, res),
    '/same-origin': redirect('/landing?same=1'),
    '/307-to-landing': redirect('/landing?via=307', 307),
  });

  it('a redirect loop is TOO_MANY_REDIRECTS', async () => {
    const urls = [server().url('/loop'), server().url('/ping')];
    const r = await scrape(urls, ['--max-redirects', '5']);
    for (const url of urls) {
      const rec = r.rec(url);
      expectFailure(rec, 'TOO_MANY_REDIRECTS');
      expect(rec.status).toBe(302);
    }
    // Exactly 1 + 5 requests for each: it stops at the limit.
    expect(server().hits('/loop')).toBe(6);
  });

  it('a chain one longer than --max-redirects is TOO_MANY_REDIRECTS; one within it lands', async () => {
    const long = server().url('/chain?n=4');
    const fits = server().url('/chain?n=3');
    const r = await scrape([long, fits], ['--max-redirects', '3']);
    expectFailure(r.rec(long), 'TOO_MANY_REDIRECTS');
    expect(r.rec(fits).ok).toBe(true);
    expect(r.rec(fits).finalUrl).toBe(server().url('/landing'));
  });

  it('--max-redirects 0 follows none', async () => {
    const url = server().url('/same-origin?zero');
    expectFailure((await scrape([url], ['--max-redirects', '0'])).rec(url), 'TOO_MANY_REDIRECTS');
  });

  it('resolves relative and scheme-relative Locations against the current URL', async () => {
    const rel = server().url('/dir/relative');
    const scheme = server().url('/scheme-relative');
    const r = await scrape([rel, scheme]);
    expect(r.rec(rel).finalUrl).toBe(server().url('/landing?from=relative'));
    expect(r.rec(rel).title).toBe('Landed');
    expect(r.rec(scheme).finalUrl).toBe(server().url('/landing?from=scheme'));
  });

  it.each(['/to-javascript', '/to-file', '/to-ftp', '/to-data', '/to-garbage'])('%s is BAD_REDIRECT, and nothing is followed', async (path) => {
    const url = server().url(path);
    const rec = (await scrape([url])).rec(url);
    expectFailure(rec, 'BAD_REDIRECT');
    expect(rec.status).toBe(302);
  });

  it('drops Authorization and Cookie when a redirect changes origin', async () => {
    const url = server().url('/cross-origin');
    const before = other().requests.length;
    const r = await scrape([url], ['-H', 'Authorization: Bearer s3cret-token', '-H', 'Cookie: session=s3cret-cookie', '-H', 'X-Trace: kept']);
    expect(r.rec(url).ok).toBe(true);
    expect(r.rec(url).finalUrl).toBe(other().url('/landing'));
    const first = server().requests.find((q) => q.pathname === '/cross-origin')!;
    expect(first.headers.authorization).toBe('Bearer s3cret-token');
    expect(first.headers.cookie).toBe('session=s3cret-cookie');
    const landed = other().requests.slice(before);
    expect(landed).toHaveLength(1);
    expect(landed[0]!.headers.authorization).toBeUndefined();
    expect(landed[0]!.headers.cookie).toBeUndefined();
    expect(landed[0]!.headers['x-trace']).toBe('kept');
  });

  it('keeps Authorization and Cookie on a same-origin redirect', async () => {
    const url = server().url('/same-origin');
    await scrape([url], ['-H', 'Authorization: Bearer same', '-H', 'Cookie: c=1']);
    const landed = server().requests.filter((q) => q.url === '/landing?same=1').at(-1)!;
    expect(landed.headers.authorization).toBe('Bearer same');
    expect(landed.headers.cookie).toBe('c=1');
  });
});
