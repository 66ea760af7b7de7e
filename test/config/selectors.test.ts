import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/config/usage-error.js';
import { checkSelectors, parseSelector, parseSelectors } from '../../src/config/selectors.js';

describe('parseSelector', () => {
  it('parses NAME=CSS as the text of the first match', () => {
    expect(parseSelector('heading=h1')).toEqual({ name: 'heading', css: 'h1', attr: null, many: false });
  });

  it('parses NAME=CSS@ATTR as an attribute of the first match', () => {
    expect(parseSelector('image=.product img@src')).toEqual({ name: 'image', css: '.product img', attr: 'src', many: false });
  });

  it('parses NAME[]=CSS as the text of every match', () => {
    expect(parseSelector('prices[]=.price')).toEqual({ name: 'prices', css: '.price', attr: null, many: true });
  });

  it('parses NAME[]=CSS@ATTR as an attribute of every match', () => {
    expect(parseSelector('links[]=a.story@href')).toEqual({ name: 'links', css: 'a.story', attr: 'href', many: true });
  });

  it('keeps an = inside the CSS', () => {
    expect(parseSelector('next=a[rel="next"]@href')).toEqual({ name: 'next', css: 'a[rel="next"]', attr: 'href', many: false });
  });

  it('keeps an @ inside the CSS that is not a trailing attribute name', () => {
    expect(parseSelector('mail=a[href^="mailto:editor@"]')).toMatchObject({ css: 'a[href^="mailto:editor@"]', attr: null });
  });

  it('accepts data- and namespaced attribute names', () => {
    expect(parseSelector('sku=li@data-sku').attr).toBe('data-sku');
    expect(parseSelector('x=use@xlink:href').attr).toBe('xlink:href');
  });

  it('trims whitespace around the CSS', () => {
    expect(parseSelector('h= h1 ').css).toBe('h1');
  });

  it.each([
    ['no =', 'heading'],
    ['no name', '=h1'],
    ['a name starting with a digit', '1st=h1'],
    ['no CSS', 'heading='],
    ['only an attribute', 'heading=@href'],
  ])('rejects %s with a UsageError', (_what, flag) => {
    expect(() => parseSelector(flag)).toThrow(UsageError);
  });

  it('names the flag in the error message', () => {
    expect(() => parseSelector('1st=h1')).toThrow(/"1st=h1"/);
  });

  it('leaves the CSS to checkSelectors, which loads css-what', () => {
    expect(parseSelector('x=a[href')).toMatchObject({ name: 'x', css: 'a[href' });
  });
});

describe('parseSelectors', () => {
  it('parses every flag in order', () => {
    expect(parseSelectors(['a=h1', 'b[]=p']).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('returns no selectors for no flags', () => {
    expect(parseSelectors([])).toEqual([]);
  });

  it('rejects a name given twice', () => {
    expect(() => parseSelectors(['t=h1', 't=h2'])).toThrow(UsageError);
  });
});

describe('checkSelectors', () => {
  it.each([
    ['an unterminated attribute selector', 'x=a[href'],
    ['an unmatched parenthesis', 'x=li:nth-child('],
    ['an unterminated one, for every match, whitespace kept', 'x[]=a[@textContent'],
  ])('rejects %s with a UsageError naming the flag', async (_what, flag) => {
    await expect(checkSelectors(parseSelectors(['ok=h1', flag]))).rejects.toThrow(UsageError);
    await expect(checkSelectors(parseSelectors([flag]))).rejects.toThrow(`invalid --select "${flag}": malformed CSS selector`);
  });

  // css-what parses these; css-select, which extraction uses, refuses them.
  it.each([
    ['a pseudo-element', 'x=p::before'],
    ['an unknown pseudo-class', 'x=a:frobnicate'],
    ['a bad nth formula', 'x=li:nth-child(foo)'],
  ])('rejects %s with a UsageError naming the flag', async (_what, flag) => {
    const specs = parseSelectors([flag]);
    await expect(checkSelectors(specs)).rejects.toThrow(UsageError);
    await expect(checkSelectors(specs)).rejects.toThrow(/invalid --select "x=.*unsupported CSS selector/);
  });

  it('accepts what cheerio supports, streamable or not', async () => {
    await expect(
      checkSelectors(parseSelectors(['a=h1', 'b[]=.price@data-x', 'c=ul > li:first-child', 'd=li:contains("x")', 'e=tr:eq(2) td', 'f=a:not([rel])'])),
    ).resolves.toBeUndefined();
  });
});
