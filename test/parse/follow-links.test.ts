/** The links a crawl follows, from the parse stage: the same on the streaming path and the DOM path; nofollow in its three forms. */
import { describe, expect, it } from 'vitest';
import { extract, extractWithDom } from '../../src/parse/extract-dom.js';
import { robotsTagSaysNofollow } from '../../src/parse/robots-directives.js';

const PAGE = `<!doctype html><html><head><title>T</title><base href="/base/"></head><body>
<nav><a href="nav.html">nav</a><a href="/top#x">top</a></nav>
<a class="next" href="next.html">next</a>
<a href="ad.html" rel="sponsored NOFOLLOW">ad</a>
<area href="map.html"><a>no href</a><a href="mailto:a@b.test">mail</a>
<a href="nav.html">again</a><link href="style.css">
</body></html>`;
const base = 'http://x.test/dir/page.html';
const opts = (selector: string, obeyNofollow = true) => ({ selectors: [], links: false, follow: { selector, obeyNofollow } });

describe('follow links', () => {
  it.each([
    ['a[href], area[href]', true, ['http://x.test/base/nav.html', 'http://x.test/top', 'http://x.test/base/next.html', 'http://x.test/base/map.html']],
    ['a[href], area[href]', false, ['http://x.test/base/nav.html', 'http://x.test/top', 'http://x.test/base/next.html', 'http://x.test/base/ad.html', 'http://x.test/base/map.html']],
    ['a.next', true, ['http://x.test/base/next.html']],
    ['nav a', true, ['http://x.test/base/nav.html', 'http://x.test/top']],
  ])('%s (obey nofollow: %s): absolute, deduped, fragment-free, the same on both paths', (selector, obey, want) => {
    expect(extract(PAGE, base, opts(selector, obey)).follow).toEqual(want);
    expect(extractWithDom(PAGE, base, opts(selector, obey)).follow).toEqual(want);
  });

  it('a page whose meta robots says nofollow (or none) gives none, unless told to ignore it', () => {
    for (const content of ['noindex, nofollow', 'NONE', 'nofollow']) {
      const page = `<html><head><meta name="Robots" content="${content}"></head><body><a href="/a">a</a></body></html>`;
      expect(extract(page, base, opts('a[href]')).follow).toEqual([]);
      expect(extractWithDom(page, base, opts('a[href]')).follow).toEqual([]);
      expect(extract(page, base, opts('a[href]', false)).follow).toEqual(['http://x.test/a']);
    }
    const other = '<html><head><meta name="googlebot" content="nofollow"><meta name="robots" content="noindex"></head><body><a href="/a">a</a></body></html>';
    expect(extract(other, base, opts('a[href]')).follow).toEqual(['http://x.test/a']);
  });

  it('without --follow the result has no follow field', () => {
    expect(extract(PAGE, base, { selectors: [], links: true })).not.toHaveProperty('follow');
  });
});

describe('robotsTagSaysNofollow', () => {
  it.each([
    ['nofollow', true],
    ['noindex, nofollow', true],
    ['none', true],
    ['noindex', false],
    ['scrape: nofollow', true],
    ['SCRAPE: noindex, nofollow', true],
    ['googlebot: nofollow', false],
    ['unavailable_after: 25 Jun 2030 15:00:00 PST', false],
    [['googlebot: nofollow', 'noarchive'], false],
    [['googlebot: noindex', 'nofollow'], true],
  ] as [string | string[], boolean][])('%o → %s', (value, want) => {
    expect(robotsTagSaysNofollow(value, 'scrape')).toBe(want);
  });
});
