/** Titles, character sets, --select and --links, in-process (no spawned CLI). */
import { describe, expect, it } from 'vitest';
import { useServer, useSessionRun } from '../helpers/setup.js';

describe('title', () => {
  const server = useServer();
  const rec = useSessionRun(server, ['/articles/first.html', '/messy.html', '/no-title.html', '/quotes.html']);

  it('is the text of <title>', () => {
    expect(rec('/articles/first.html').title).toBe('Morning market opens early');
  });

  it('is trimmed, with the words of a messy title intact', () => {
    const title = rec('/messy.html').title!;
    expect(title).toBe(title.trim());
    expect(title.replace(/\s+/g, ' ')).toBe('Tides and Times');
  });

  it('decodes HTML entities', () => {
    expect(rec('/quotes.html').title).toBe('Fish, Chips & "Mushy" Peas');
  });

  it('is null when the page has no <title>', () => {
    expect(rec('/no-title.html').title).toBeNull();
  });
});

describe('character sets', () => {
  const server = useServer();
  const rec = useSessionRun(
    server,
    ['/encoding/cp1252.html', '/encoding/latin1.html', '/encoding/cp1251.html', '/encoding/sjis.html', '/encoding/bom.html'],
    { select: ['h1=h1'] },
  );

  it('decodes a windows-1252 page declared by <meta charset>', () => {
    expect(rec('/encoding/cp1252.html')).toMatchObject({ ok: true, title: 'Café Crème – 5 €', data: { h1: 'Crème brûlée' } });
  });

  it('decodes an ISO-8859-1 page declared by <meta charset>', () => {
    expect(rec('/encoding/latin1.html')).toMatchObject({ title: 'Über naïve Façade', data: { h1: 'Größe: 3½ m²' } });
  });

  it('decodes a windows-1251 page declared only by the Content-Type header', () => {
    expect(rec('/encoding/cp1251.html')).toMatchObject({ title: 'Новости — Главная', data: { h1: 'Привет, мир' } });
  });

  it('decodes a Shift_JIS page declared only by the Content-Type header', () => {
    expect(rec('/encoding/sjis.html')).toMatchObject({ title: '日本語のページ', data: { h1: 'こんにちは世界' } });
  });

  it('decodes a UTF-8 page marked only by a byte order mark', () => {
    expect(rec('/encoding/bom.html')).toMatchObject({ title: 'Zürich — Straße ✓', data: { h1: 'Grüße aus Zürich' } });
  });
});

describe('--select', () => {
  const server = useServer();
  const products = '/redirect/1?to=/shop/products.html';
  const rec = useSessionRun(server, ['/messy.html', products, '/articles/third.html'], {
    select: [
      'heading=h1',
      'note=.note',
      'price=.price',
      'prices[]=.price',
      'image=img@src',
      'images[]=.product img@src',
      'alt=img@alt',
      'buy=a.buy@href',
      'missing=.does-not-exist',
      'none[]=.does-not-exist',
      'tags[]=.tag',
    ],
  });
  const shop = (p: string) => server().url(`/shop/${p}`);

  it('gives one key per --select, in the order given', () => {
    expect(Object.keys(rec('/messy.html').data)).toEqual(['heading', 'note', 'price', 'prices', 'image', 'images', 'alt', 'buy', 'missing', 'none', 'tags']);
  });

  it('NAME=CSS takes the text of the first match', () => {
    expect(rec(products).data.price).toBe('$12.00');
    expect(rec('/articles/third.html').data.heading).toBe('Lighthouse restoration finished');
  });

  it('collapses and trims whitespace in extracted text, nested elements included', () => {
    expect(rec('/messy.html').data).toMatchObject({ heading: 'Tides and Times', note: 'spaced out text' });
  });

  it('NAME=CSS is null when nothing matches', () => {
    expect(rec('/messy.html').data.missing).toBeNull();
  });

  it('NAME[]=CSS takes the text of every match', () => {
    expect(rec(products).data.prices).toEqual(['$12.00', '$8.50', '$24.99']);
    expect(rec('/articles/third.html').data.tags).toEqual(['history', 'harbor', 'restoration']);
  });

  it('NAME[]=CSS is [] when nothing matches', () => {
    expect(rec('/messy.html').data.none).toEqual([]);
    expect(rec('/messy.html').data.prices).toEqual([]);
  });

  it('NAME=CSS@ATTR takes an attribute of the first match as written', () => {
    expect(rec(products).data.alt).toBe('Tote bag');
  });

  it('NAME=CSS@src resolves the URL against the final URL, not the requested one', () => {
    expect(rec(products).data.image).toBe(shop('images/tote-bag.png'));
  });

  it('NAME=CSS@href resolves the URL against the final URL', () => {
    expect(rec(products).data.buy).toBe(shop('checkout?item=tote'));
  });

  it('NAME[]=CSS@src resolves every match: relative, root-relative and ../', () => {
    expect(rec(products).data.images).toEqual([shop('images/tote-bag.png'), server().url('/images/mug.png'), server().url('/images/poster.png')]);
  });

  it('NAME=CSS@ATTR is null when nothing matches', () => {
    expect(rec('/messy.html').data.image).toBeNull();
  });
});

describe('--links', () => {
  const server = useServer();
  const rec = useSessionRun(server, ['/index.html', '/redirect/2?to=/articles/first.html', '/no-title.html'], { links: true });

  it('adds links between data and timing', () => {
    const keys = Object.keys(rec('/index.html'));
    expect(keys.indexOf('links')).toBe(keys.indexOf('data') + 1);
  });

  it('lists only absolute http(s) URLs', () => {
    const links = rec('/index.html').links!;
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(new URL(l).protocol).toMatch(/^https?:$/);
  });

  it('resolves relative, root-relative and ./ links against the page URL', () => {
    expect(rec('/index.html').links).toEqual(
      expect.arrayContaining(['/articles/first.html', '/articles/second.html', '/articles/third.html'].map(server().url)),
    );
  });

  it('decodes entities in links', () => {
    expect(rec('/index.html').links).toContain(server().url('/shop/products.html?sort=price&page=1'));
  });

  it('keeps absolute links to other sites', () => {
    expect(rec('/index.html').links).toContain('https://example.org/about');
  });

  it('leaves out mailto: and javascript: links', () => {
    expect(rec('/index.html').links!.filter((l) => /mailto|javascript|print\(\)/i.test(l))).toEqual([]);
  });

  it('resolves relative links against the final URL after redirects', () => {
    const links = rec('/redirect/2?to=/articles/first.html').links!;
    expect(links).toEqual(expect.arrayContaining([server().url('/articles/second.html'), server().url('/shop/products.html')]));
    expect(links.filter((l) => l.includes('/redirect/'))).toEqual([]);
  });

  it('is [] for a page without links', () => {
    expect(rec('/no-title.html').links).toEqual([]);
  });
});
