import { describe, expect, it } from 'vitest';
import { parseSelectors } from '../../src/config/selectors.js';
import { extractWithDom } from '../../src/parse/extract-dom.js';
import type { DomPath } from '../../src/parse/extract.js';
import { inlineParser } from '../../src/parse/inline.js';
import type { PageJob } from '../../src/parse/page.js';

const job = (html: string, url = 'http://127.0.0.1/p'): PageJob => ({ body: new TextEncoder().encode(html), contentType: 'text/html', url });
/** An <a> across a <p>: the tree check sends it to the DOM path. */
const MISNESTED = '<title>M</title><a href="/1">one<p>two</a>three</p>';
const PLAIN = '<title>P</title><a href="/1">one</a>';

/** A DOM path loader that counts its loads and resolves (or fails) when the test says so. */
function heldLoader() {
  let loads = 0;
  let settle!: (dom: DomPath | Error) => void;
  const loaded = new Promise<DomPath>((resolve, reject) => {
    settle = (d) => (d instanceof Error ? reject(d) : resolve(d));
  });
  return {
    load: () => {
      loads++;
      return loaded;
    },
    settle: (d: DomPath | Error) => settle(d),
    get loads() {
      return loads;
    },
  };
}

describe('inlineParser and the DOM path', () => {
  const opts = { selectors: parseSelectors(['a[]=a']), links: false };

  it('pages that stream never load the DOM path', async () => {
    const loader = heldLoader();
    const parser = inlineParser(opts, loader.load);
    expect((await parser.parse(job(PLAIN))).extracted?.data).toEqual({ a: ['one'] });
    expect(loader.loads).toBe(0);
  });

  it('loads it once for the pages that need it; they wait for it while pages that stream go on', async () => {
    const loader = heldLoader();
    const parser = inlineParser(opts, loader.load);
    const waiting = [parser.parse(job(MISNESTED)), parser.parse(job(MISNESTED, 'http://127.0.0.1/q'))];
    expect((await parser.parse(job(PLAIN))).extracted?.data).toEqual({ a: ['one'] });
    expect(loader.loads).toBe(1);
    loader.settle(extractWithDom);
    for (const r of await Promise.all(waiting)) expect(r).toEqual({ extracted: { title: 'M', data: { a: ['one', 'two'] }, links: null }, error: null });
    expect((await parser.parse(job(MISNESTED))).extracted?.data).toEqual({ a: ['one', 'two'] });
    expect(loader.loads).toBe(1);
  });

  it('loads it at once when no page can stream (a selector only a DOM answers)', () => {
    const loader = heldLoader();
    inlineParser({ selectors: parseSelectors(['a[]=p > a']), links: false }, loader.load);
    expect(loader.loads).toBe(1);
  });

  it('a DOM path that fails to load fails the pages that need it, not the others', async () => {
    const loader = heldLoader();
    const parser = inlineParser(opts, loader.load);
    const failing = parser.parse(job(MISNESTED));
    await new Promise((resolve) => setImmediate(resolve));
    expect(loader.loads).toBe(1);
    loader.settle(new Error('cannot find package parse5'));
    await expect(failing).rejects.toThrow('cannot find package parse5');
    expect((await parser.parse(job(PLAIN))).error).toBeNull();
  });

  it('a page that throws on the DOM path is a PARSE error in its record', async () => {
    const parser = inlineParser(opts, async () => () => {
      throw new Error('boom');
    });
    expect(await parser.parse(job(MISNESTED))).toEqual({ extracted: null, error: { code: 'PARSE', message: 'boom' } });
  });
});
