import { describe, expect, it } from 'vitest';
import { isIgnoredLine, toTargets, type Target } from '../../src/input/targets.js';

async function* from(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

async function collect(lines: readonly string[]): Promise<Target[]> {
  const out: Target[] = [];
  for await (const t of toTargets(from(lines))) out.push(t);
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
    expect(first.value).toEqual({ kind: 'url', url: 'http://a.example/' });
    release();
    expect((await it.next()).value).toEqual({ kind: 'url', url: 'http://b.example/' });
    expect((await it.next()).done).toBe(true);
  });
});

describe('isIgnoredLine', () => {
  it('ignores empty lines and comments and nothing else', () => {
    expect(isIgnoredLine('')).toBe(true);
    expect(isIgnoredLine('# x')).toBe(true);
    expect(isIgnoredLine('http://a.example/#x')).toBe(false);
  });
});
