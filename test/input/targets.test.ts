import { describe, expect, it } from 'vitest';
import { finishedKey } from '../../src/record/finished-key.js';
import { isIgnoredLine, toTarget, toTargets, type Target } from '../../src/input/targets.js';

async function* from(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

/** What a target is, in short: its URL, or the raw line it could not become one from. */
type Brief = { kind: 'url'; url: string } | { kind: 'invalid'; raw: string };
const brief = (t: Target): Brief => (t.kind === 'url' ? { kind: 'url', url: t.url } : { kind: 'invalid', raw: t.raw });

async function collect(lines: readonly string[]): Promise<Brief[]> {
  const out: Brief[] = [];
  for await (const t of toTargets(from(lines))) out.push(brief(t));
  return out;
}

describe('toTargets', () => {
  it('skips blank and whitespace-only lines', async () => {
    expect(await collect(['', '   ', '\t', 'http://a.example/'])).toEqual([{ kind: 'url', url: 'http://a.example/' }]);
  });

  it('skips lines whose first non-blank character is #, indented or not', async () => {
    expect(await collect(['# a comment', '   # indented', '\t#tabbed', 'http://a.example/'])).toEqual([
      { kind: 'url', url: 'http://a.example/' },
    ]);
  });

  it('keeps a line with a # that is not its first non-blank character', async () => {
    expect(await collect(['http://a.example/page#frag'])).toEqual([{ kind: 'url', url: 'http://a.example/page' }]);
  });

  it('trims whitespace around a URL', async () => {
    expect(await collect(['  \thttp://a.example/x \t '])).toEqual([{ kind: 'url', url: 'http://a.example/x' }]);
  });

  it('yields each URL once after normalisation, in first-seen order', async () => {
    const targets = await collect([
      'http://b.example/2',
      'http://a.example/1',
      'HTTP://B.EXAMPLE:80/2#again',
      'http://a.example/1',
      'http://c.example/3',
    ]);
    expect(targets).toEqual([
      { kind: 'url', url: 'http://b.example/2' },
      { kind: 'url', url: 'http://a.example/1' },
      { kind: 'url', url: 'http://c.example/3' },
    ]);
  });

  it('turns a line that is not an absolute http(s) URL into an invalid target with the trimmed raw line', async () => {
    expect(await collect(['  example.com/page  ', 'ftp://x.example/f'])).toEqual([
      { kind: 'invalid', raw: 'example.com/page' },
      { kind: 'invalid', raw: 'ftp://x.example/f' },
    ]);
  });

  it('keeps going after an invalid line', async () => {
    expect(await collect(['nope', 'http://a.example/'])).toEqual([
      { kind: 'invalid', raw: 'nope' },
      { kind: 'url', url: 'http://a.example/' },
    ]);
  });

  it('yields a repeated invalid line once', async () => {
    expect(await collect(['nope', '  nope', 'nope  '])).toEqual([{ kind: 'invalid', raw: 'nope' }]);
  });

  it('yields the first target before the input has ended', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slow(): AsyncGenerator<string> {
      yield 'http://a.example/';
      await gate; // the second line only comes after the first target was seen
      yield 'http://b.example/';
    }
    const it = toTargets(slow());
    const first = await it.next();
    expect(brief(first.value!)).toEqual({ kind: 'url', url: 'http://a.example/' });
    release();
    expect(brief((await it.next()).value!)).toEqual({ kind: 'url', url: 'http://b.example/' });
    expect((await it.next()).done).toBe(true);
  });
});

describe('toTarget', () => {
  it('parses a URL once into the parts later stages use: host with port, origin, path with query', () => {
    expect(toTarget('HTTP://News.Example.NET:8080/a/b?x=1&y=2#frag')).toEqual({
      kind: 'url',
      url: 'http://news.example.net:8080/a/b?x=1&y=2',
      key: finishedKey('http://news.example.net:8080/a/b?x=1&y=2'),
      host: 'news.example.net:8080',
      origin: 'http://news.example.net:8080',
      path: '/a/b?x=1&y=2',
    });
  });

  it('drops a default port from the host, and writes an IDN host in punycode', () => {
    const t = toTarget('https://bücher.example:443/');
    expect(t).toMatchObject({ kind: 'url', url: 'https://xn--bcher-kva.example/', host: 'xn--bcher-kva.example', origin: 'https://xn--bcher-kva.example', path: '/' });
  });

  it("keys a URL and an invalid line by the --resume digest of what their record's url will be", () => {
    expect(toTarget('http://a.example').key).toBe(finishedKey('http://a.example/'));
    expect(toTarget('not a url')).toEqual({ kind: 'invalid', raw: 'not a url', key: finishedKey('not a url') });
  });
});

describe('isIgnoredLine', () => {
  it('ignores empty lines and comments and nothing else', () => {
    expect(isIgnoredLine('')).toBe(true);
    expect(isIgnoredLine('# x')).toBe(true);
    expect(isIgnoredLine('http://a.example/#x')).toBe(false);
  });
});
