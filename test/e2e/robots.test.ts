/** robots.txt is obeyed by default, fetched once per host, and --no-robots turns it off. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { byUrl, useServer } from '../helpers/setup.js';

const ALLOWED = ['/index.html', '/articles/first.html', '/articles/second.html', '/articles/third.html', '/shop/products.html', '/messy.html', '/quotes.html', '/no-title.html'];
const SECRET = '/private/secret.html';

describe('robots.txt obeyed (default)', () => {
  const server = useServer({ each: true });

  it('gives a disallowed URL ROBOTS_DISALLOWED and never requests it', async () => {
    const s = server();
    const r = await runCli([], { stdin: [s.url(SECRET), s.url('/index.html')].join('\n') });
    const rec = byUrl(r.records).get(s.url(SECRET));
    expect(rec).toMatchObject({ ok: false, error: { code: 'ROBOTS_DISALLOWED' } });
    expect(s.hits(SECRET)).toBe(0);
    expect(byUrl(r.records).get(s.url('/index.html'))?.ok).toBe(true);
  });

  it('reports 0 attempts for a disallowed URL, since no request was made for it', async () => {
    const s = server();
    const r = await runCli([], { stdin: s.url(SECRET) });
    expect(r.records[0]?.attempts).toBe(0);
  });

  it('fetches /robots.txt once per host for many URLs in flight at once', async () => {
    const s = server();
    const r = await runCli(['-c', '8'], { stdin: [...ALLOWED, SECRET, '/private/other.html'].map(s.url).join('\n') });
    expect(r.records).toHaveLength(ALLOWED.length + 2);
    expect(s.hits('/robots.txt')).toBe(1);
  });

  it('requests /robots.txt before any page of the host', async () => {
    const s = server();
    await runCli(['-c', '4'], { stdin: ALLOWED.map(s.url).join('\n') });
    expect(s.requests[0]?.pathname).toBe('/robots.txt');
  });
});

describe('robots.txt missing', () => {
  const server = useServer({ robots: null });

  it('allows everything when /robots.txt is a 404', async () => {
    const s = server();
    const r = await runCli([], { stdin: s.url(SECRET) });
    expect(r.records[0]).toMatchObject({ ok: true, title: 'Staff only' });
  });
});

describe('--no-robots', () => {
  const server = useServer();

  it('fetches a disallowed URL and never requests /robots.txt', async () => {
    const s = server();
    const r = await runCli(['--no-robots'], { stdin: [s.url(SECRET), s.url('/index.html')].join('\n') });
    expect(byUrl(r.records).get(s.url(SECRET))).toMatchObject({ ok: true, title: 'Staff only' });
    expect(s.hits('/robots.txt')).toBe(0);
  });
});
