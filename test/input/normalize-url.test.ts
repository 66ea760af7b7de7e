import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../src/input/normalize-url.js';

describe('normalizeUrl', () => {
  it('lower-cases the scheme and the host but not the path or query', () => {
    expect(normalizeUrl('HTTP://WWW.Example.COM/Some/Path?Q=Value')).toBe('http://www.example.com/Some/Path?Q=Value');
  });

  it('drops the default port of the scheme', () => {
    expect(normalizeUrl('http://example.com:80/a')).toBe('http://example.com/a');
    expect(normalizeUrl('https://example.com:443/a')).toBe('https://example.com/a');
  });

  it('keeps a port that is not the default of the scheme', () => {
    expect(normalizeUrl('http://example.com:8080/a')).toBe('http://example.com:8080/a');
    expect(normalizeUrl('https://example.com:80/a')).toBe('https://example.com:80/a');
    expect(normalizeUrl('http://127.0.0.1:41234/x')).toBe('http://127.0.0.1:41234/x');
  });

  it('drops the fragment, empty or not', () => {
    expect(normalizeUrl('http://example.com/a?x=1#section-2')).toBe('http://example.com/a?x=1');
    expect(normalizeUrl('http://example.com/a#')).toBe('http://example.com/a');
  });

  it('maps URLs that differ only in scheme case, host case, default port and fragment to one string', () => {
    const variants = [
      'http://example.com/page',
      'HTTP://EXAMPLE.COM/page',
      'http://example.com:80/page',
      'http://Example.com/page#top',
    ];
    expect(new Set(variants.map(normalizeUrl))).toEqual(new Set(['http://example.com/page']));
  });

  it('keeps URLs that differ in path case or query apart', () => {
    expect(normalizeUrl('http://example.com/Page')).not.toBe(normalizeUrl('http://example.com/page'));
    expect(normalizeUrl('http://example.com/p?a=1')).not.toBe(normalizeUrl('http://example.com/p?a=2'));
  });

  it('gives an origin-only URL its root path', () => {
    expect(normalizeUrl('https://example.com')).toBe('https://example.com/');
  });

  it('converts an internationalised host name to punycode', () => {
    expect(normalizeUrl('http://bücher.example/')).toBe('http://xn--bcher-kva.example/');
  });

  it.each([
    ['an empty line', ''],
    ['a bare host name', 'example.com/page'],
    ['a host and port without scheme', '127.0.0.1:8080/page'],
    ['a relative path', '/articles/first.html'],
    ['an ftp URL', 'ftp://example.com/file.txt'],
    ['a mailto URL', 'mailto:editor@example.com'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['a scheme with no host', 'http://'],
    ['a URL with a space in the host', 'http://exa mple.com/'],
    ['a URL with a tab inside', 'http://example.com/a\tb'],
    ['an unterminated IPv6 host', 'http://[::1/'],
    ['free text', 'not a url at all'],
  ])('rejects %s', (_what, line) => {
    expect(normalizeUrl(line)).toBeNull();
  });
});
