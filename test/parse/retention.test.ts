/**
 * What extraction returns must not keep the page's text alive. V8 substrings of
 * 13+ characters point into their parent string, so a title or href handed out
 * as-is pins the whole decoded page for as long as the record lives.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { decodeHtml } from '../../src/parse/decode.js';
import { extract } from '../../src/parse/extract-dom.js';
import type { Extracted } from '../../src/record/extraction.js';
import { parseSelectors } from '../../src/config/selectors.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PAGES = 24;
// ~400 K characters with text outside Latin-1, so V8 stores it two bytes a character: ~0.8 MB a page.
const filler = `<p>Prix unitaire — ${'naïve café ☕ '.repeat(40)}</p>\n`.repeat(700);

function page(i: number): Buffer {
  const links = Array.from({ length: 50 }, (_, k) => `<a href="/catalogue/section-${i}/item-number-${k}.html">item ${k}</a>`).join('\n');
  return Buffer.from(
    `<!doctype html><html><head><meta charset="utf-8"><title>A title long enough to be sliced, page ${i}</title></head>` +
      `<body><h1>Heading of page number ${i}</h1><span class="price" data-sku="sku-000000000-${i}">€ 1,234.56 each</span>` +
      `${links}${filler}</body></html>`,
  );
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function retainedBy(selectors: string[]): { bytes: number; kept: Extracted[] } {
  const opts = { selectors: parseSelectors(selectors), links: true };
  const bodies = Array.from({ length: PAGES }, (_, i) => page(i));
  const before = heapAfterGc();
  const kept: Extracted[] = [];
  // Each page is decoded to its own string, used, and dropped; only the results stay.
  for (let i = 0; i < PAGES; i++) kept.push(extract(decodeHtml(bodies[i]!, 'text/html; charset=utf-8'), `http://127.0.0.1/p/${i}`, opts));
  return { bytes: heapAfterGc() - before, kept };
}

describe('extracted strings do not pin page text', () => {
  const pageChars = decodeHtml(page(0), 'text/html').length;

  it.each([
    ['the streaming path', ['h1=h1', 'price=.price', 'sku=.price@data-sku', 'skus[]=[data-sku]@data-sku']],
    ['the DOM path', ['h1=body > h1', 'price=body > span.price', 'sku=body > .price@data-sku']],
  ])('%s keeps well under one page per record', (_name, selectors) => {
    const { bytes, kept } = retainedBy(selectors);
    // The results are real: a title, a heading, a price, an attribute, 50 absolute links each.
    expect(kept).toHaveLength(PAGES);
    expect(kept[3]!.title).toBe('A title long enough to be sliced, page 3');
    expect(kept[3]!.data.h1).toBe('Heading of page number 3');
    expect(kept[3]!.data.price).toBe('€ 1,234.56 each');
    expect(kept[3]!.data.sku).toBe('sku-000000000-3');
    expect(kept[3]!.links).toHaveLength(50);
    expect(kept[3]!.links![7]).toBe('http://127.0.0.1/catalogue/section-3/item-number-7.html');
    // Pinned, 24 pages would hold 24 × ~0.8 MB ≈ 19 MB; the results themselves are a few KB each.
    expect(pageChars).toBeGreaterThan(350_000);
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  });
});
