/**
 * The streaming path, the DOM path and the HTML Standard give the same answers.
 *
 * Every streamable selector runs through both paths over every fixture and
 * over a generated corpus of the markup real sites contain (unclosed p and li,
 * tables without tbody, misnested formatting, raw-text elements, inline SVG,
 * templates, odd comments). The DOM path is parse5, the Standard's tree
 * construction; where the streaming path cannot follow it, it must hand the
 * page over (tree-check.ts), never answer differently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSelectors } from '../../src/config/selectors.js';
import { decodeHtml } from '../../src/parse/decode.js';
import { extract, extractWithDom } from '../../src/parse/extract-dom.js';
import { streamStats } from '../../src/parse/extract.js';
import { planStream } from '../../src/parse/stream-plan.js';

const SITE = fileURLToPath(new URL('../../fixtures/site/', import.meta.url));
const fixtures = readdirSync(SITE, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.html'))
  .map((e) => decodeHtml(readFileSync(join(e.parentPath, e.name)), null));

/** Every kind of compound the streaming path answers, over the elements the corpus uses. */
const SELECTORS = parseSelectors([
  ...['p', 'li', 'td', 'th', 'b', 'i', 'a', 'div', 'span', 'h1', 'h2', 'dt', 'dd', 'option', 'title', 'pre', 'textarea', 'em', 'caption', 'table', 'ul', 'button', 'form'].map(
    (t) => `${t}[]=${t}`,
  ),
  'hrefs[]=a@href',
  'cls[]=[class~=x]',
  'contentType=meta[http-equiv=content-type]@content',
  'hidden[]=input[type=hidden]@value',
  'langs[]=[lang|=en]@lang',
  'upper[]=[data-k="V" i]',
  // Text as written: the same whitespace, line breaks and all, on both paths.
  'preRaw[]=pre@textContent',
  'pRaw[]=p@textContent',
  'tdRaw[]=td@textContent',
]);

/** Pieces of markup, each common on real pages or a case where a naive tree goes wrong. */
const PIECES = [
  'text', ' ', '\n', '&amp;', '&nbsp;', 'a&nbsp;b', '<p>', '</p>', '<p class=x>', '<div>', '</div>', '<span>', '</span>',
  '<ul>', '</ul>', '<li>', '</li>', '<ol>', '<dl>', '<dt>', '<dd>', '</dl>', '<b>', '</b>', '<i>', '</i>', '<em>', '</em>',
  '<a href="/x">', '<a href=y>', '</a>', '<h1>', '</h1>', '<h2>', '</h2>', '<br>', '</br>', '<hr>', '<img src=i>',
  '<table>', '</table>', '<tr>', '</tr>', '<td>', '</td>', '<th>', '<tbody>', '</tbody>', '<caption>', '<colgroup><col>',
  '<pre>\nline\n</pre>', '<textarea>\n<b>t</b></textarea>', '<title>T<b>x</b></title>', '<script>var a="<p>";</script>',
  '<script><!--<script></script>--></script>', '<style>p{}</style>', '<xmp><b></xmp>', '<iframe><b>f</b></iframe>',
  '<noembed>&amp;</noembed>', '<svg><title>S</title><a href="/svg">s</a></svg>', '<math><mi>m</mi></math>',
  '<template><p>t</p><a href="/t">t</a></template>', '<!-- c -->', '<!-- c --!> after -->', '<!-->', '<![CDATA[x]]>',
  '<select><option>o1<option>o2</select>', '<button>', '</button>', '<form>', '</form>', '<input type=HIDDEN value=h>',
  '<meta http-equiv="Content-Type" content="text/html">', '<p lang=en-GB>', '<span data-k=v>', '<title/>', '</ x>',
  '<noscript><p>n</p></noscript>', '<body class=b>', '</body>', '<head>', '</html>', '<nobr>', '<font>', '</font>',
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpus(count: number): string[] {
  const rand = mulberry32(12);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let html = rand() < 0.5 ? '<!DOCTYPE html><title>Doc</title>' : '';
    const n = 3 + Math.floor(rand() * 14);
    for (let k = 0; k < n; k++) html += PIECES[Math.floor(rand() * PIECES.length)];
    out.push(html);
  }
  return out;
}

const both = (html: string, links: boolean) => ({
  stream: extract(html, 'http://127.0.0.1/p/q', { selectors: SELECTORS, links }),
  dom: extractWithDom(html, 'http://127.0.0.1/p/q', { selectors: SELECTORS, links }),
});

describe('streaming path = DOM path (parse5)', () => {
  it('the selectors under test stream', () => {
    expect(planStream(SELECTORS)).not.toBeNull();
  });

  it('on every fixture, all of which stream', () => {
    const before = streamStats.streamed;
    for (const html of fixtures) {
      const { stream, dom } = both(html, true);
      expect(stream).toEqual(dom);
    }
    expect(streamStats.streamed - before).toBe(fixtures.length);
  });

  it('on 4,000 generated pages of broken markup, streaming most of them', () => {
    const before = { ...streamStats };
    const pages = corpus(4000);
    for (const html of pages) {
      const { stream, dom } = both(html, true);
      expect(stream, JSON.stringify(html)).toEqual(dom);
    }
    const streamed = streamStats.streamed - before.streamed;
    const fellBack = streamStats.fellBack - before.fellBack;
    expect(streamed + fellBack).toBe(pages.length);
    // Not all of it is hard: a check that refused every page would pass the loop above.
    expect(streamed).toBeGreaterThan(pages.length * 0.1);
  });
});
