/** The streaming extractor must give exactly what the DOM path gives, on real pages. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeHtml } from '../../src/parse/decode.js';
import { extract, extractWithDom } from '../../src/parse/extract-dom.js';
import { compileStreamable, planStream } from '../../src/parse/stream-plan.js';
import { parseSelectors } from '../../src/config/selectors.js';

const SITE = fileURLToPath(new URL('../../fixtures/site/', import.meta.url));
const pages = readdirSync(SITE, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.html'))
  .map((e) => join(e.parentPath, e.name));

// Every kind of compound the stream path answers, plus edge cases of matching.
const STREAMABLE = [
  'h1=h1',
  'title2=TITLE',
  'price=.price',
  'prices[]=.price',
  'img=img@src',
  'imgs[]=img@src',
  'hrefs[]=a@href',
  'ids[]=[id]@id',
  'para[]=p',
  'metaDesc=meta[name=description]@content',
  'metaDescI=meta[NAME="DESCRIPTION" i]@content',
  'startsHttp[]=a[href^="http"]@href',
  'endsHtml[]=a[href$=".html"]@href',
  'hasDot[]=a[href*="."]@href',
  'lang=[lang|=en]@lang',
  'notBlank[]=a[target!="_blank"]@href',
  'group[]=h1, h2, .price',
  'classWord[]=[class~=price]',
  'li[]=li',
  'span[]=span',
];
// Combinators and pseudo-classes; elements tree construction may imply (html,
// head, body, tbody, tr, colgroup) and `*` alone, whose first match is html.
const DOM_ONLY = ['nested[]=article p', 'child=ul > li', 'nth=li:nth-child(2)', 'has=p:has(a)', 'first=*', 'rows[]=tr', 'body=body', 'tbody[]=tbody'];

describe('streaming extraction equals the DOM path', () => {
  const specs = parseSelectors(STREAMABLE);
  it('takes the streaming path for these selectors (else this suite would compare the DOM path with itself)', () => {
    expect(planStream(specs)).not.toBeNull();
    expect(planStream(parseSelectors([...STREAMABLE, 'td=td']))).not.toBeNull();
  });
  for (const file of pages) {
    it(`on ${file.slice(SITE.length)}`, () => {
      const html = decodeHtml(readFileSync(file), null);
      const url = `http://127.0.0.1:8080/${file.slice(SITE.length)}`;
      for (const links of [false, true]) {
        expect(extract(html, url, { selectors: specs, links })).toEqual(extractWithDom(html, url, { selectors: specs, links }));
      }
    });
  }

  it('on broken markup: unclosed tags, stray end tags, implied closes, <base>, scripts', () => {
    const html =
      '<html><head><base href="/sub/"><title> a <b>x</b>  b </title><script>var t="<h1>no</h1>"</script></head>' +
      '<body><h1>One<p>para <span class=price>1 €</span></h1></p></br><div><p>x<p>y</div>' +
      '<a href="rel.html#frag">r</a><a href="javascript:x">j</a><img src="i.png"><table><td>cell<li>unclosed';
    const specs2 = parseSelectors([...STREAMABLE, 'td=td']);
    for (const links of [false, true]) {
      expect(extract(html, 'http://h/p/q', { selectors: specs2, links })).toEqual(
        extractWithDom(html, 'http://h/p/q', { selectors: specs2, links }),
      );
    }
  });
});

describe('compileStreamable', () => {
  it('accepts single compounds and lists of them', () => {
    for (const s of STREAMABLE) expect(compileStreamable(parseSelectors([s])[0]!.css), s).not.toBeNull();
  });
  it('leaves combinators and pseudo-classes to the DOM path', () => {
    for (const s of DOM_ONLY) expect(compileStreamable(parseSelectors([s])[0]!.css), s).toBeNull();
  });
  it('still extracts through the DOM path when one selector needs it', () => {
    const html = '<ul><li>a</li><li>b</li></ul><article><p>deep</p></article>';
    const specs = parseSelectors([...DOM_ONLY, 'h=li']);
    expect(extract(html, 'http://h/', { selectors: specs, links: false }).data).toEqual({
      nested: ['deep'],
      child: 'a',
      nth: 'b',
      has: null,
      first: 'abdeep',
      rows: [],
      body: 'abdeep',
      tbody: [],
      h: 'a',
    });
  });
});
