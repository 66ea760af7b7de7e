/**
 * `NAME=CSS@textContent`: the text as the document holds it, line breaks and
 * runs of spaces kept (the DOM's textContent), where the default strips and
 * collapses ASCII whitespace. Both extraction paths, the same answers.
 */
import { describe, expect, it } from 'vitest';
import { parseSelector, parseSelectors } from '../../src/config/selectors.js';
import { extract, extractWithDom } from '../../src/parse/extract-dom.js';

const PAGE = `<!DOCTYPE html><title>Code</title>
<div class="listing"><pre>
def f(x):
    return x  # two  spaces
</pre></div>
<p>  one\u00a0two
   three </p>`;

describe('@textContent', () => {
  it('is parsed as a way to read text, not an attribute (any case)', () => {
    expect(parseSelector('code=pre@textContent')).toEqual({ name: 'code', css: 'pre', attr: null, many: false, keepWhitespace: true });
    expect(parseSelector('code[]=pre@TEXTCONTENT')).toMatchObject({ attr: null, many: true, keepWhitespace: true });
    expect(parseSelector('code=pre')).not.toHaveProperty('keepWhitespace');
  });

  it.each([
    ['streaming', 'code=pre@textContent', extract],
    ['DOM', 'code=div > pre@textContent', extractWithDom],
  ])('keeps the line breaks and spaces of a <pre> on the %s path (less the newline right after <pre>, which the parser drops)', (_, spec, run) => {
    const selectors = parseSelectors([spec, 'para=p', 'paraRaw=p@textContent']);
    const { data } = run(PAGE, 'http://x.test/', { selectors, links: false });
    expect(data.code).toBe('def f(x):\n    return x  # two  spaces\n');
    expect(data.para).toBe('one\u00a0two three');
    expect(data.paraRaw).toBe('  one\u00a0two\n   three ');
  });

  it('gives every match as written for NAME[]', () => {
    const selectors = parseSelectors(['lines[]=pre@textContent']);
    const html = '<pre>a  b</pre><pre>\n\nc\n</pre>';
    expect(extract(html, 'http://x.test/', { selectors, links: false }).data.lines).toEqual(['a  b', '\nc\n']);
    expect(extractWithDom(html, 'http://x.test/', { selectors, links: false }).data.lines).toEqual(['a  b', '\nc\n']);
  });
});
