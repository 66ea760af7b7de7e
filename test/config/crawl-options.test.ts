/** Issue 15: the crawl's options are checked before any request (exit 2 for a usage error). */
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RawOptions } from '../../src/config/options.js';
import { buildConfig } from '../../src/config/resolve.js';
import { checkSelectors } from '../../src/config/selectors.js';
import { UsageError } from '../../src/config/usage-error.js';

const build = (raw: RawOptions) => buildConfig([], raw);

describe('crawl options', () => {
  it('have their defaults: depth 3, scope host, the a/area link selector, no filters, no page cap', () => {
    const c = build({ follow: true });
    expect(c).toMatchObject({ follow: true, depth: 3, scope: 'host', linkSelector: 'a[href], area[href]', maxPages: null, ignoreNofollow: false });
    expect(c.include).toEqual([]);
    expect(c.exclude).toEqual([]);
  });

  it('compile --include and --exclude as JavaScript regular expressions', () => {
    const c = build({ follow: true, include: ['^https://x\\.test/docs/'], exclude: ['\\.pdf$', '[?&]page='] });
    expect(c.include[0]!.test('https://x.test/docs/a')).toBe(true);
    expect(c.include[0]!.test('https://x.test/blog/')).toBe(false);
    expect(c.exclude[0]!.test('https://x.test/a.pdf')).toBe(true);
  });

  it.each([
    [{ follow: true, include: ['(unclosed'] }, /--include "\(unclosed" is not a valid JavaScript regular expression/],
    [{ follow: true, exclude: ['a', '*b'] }, /--exclude "\*b"/],
    [{ follow: true, scope: 'site' }, /--scope must be one of host, domain, prefix, any/],
    [{ follow: true, depth: '-1' }, /--depth must be a whole number/],
    [{ follow: true, maxPages: '0' }, /--max-pages must be at least 1/],
    [{ follow: true, linkSelector: '  ' }, /--link-selector needs a CSS selector/],
    [{ depth: '2' }, /--depth works only with --follow/],
    [{ exclude: ['x'] }, /--exclude works only with --follow/],
    [{ follow: true, compare: true }, /--compare does not work with --follow/],
  ] as [RawOptions, RegExp][])('refuses %o', (raw, message) => {
    expect(() => build(raw)).toThrow(UsageError);
    expect(() => build(raw)).toThrow(message);
  });

  it.each(['a[', 'a::before', 'a:nope'])('--link-selector %s is refused before any request', async (css) => {
    await expect(checkSelectors([], css)).rejects.toThrow(/invalid --link-selector/);
  });

  it('an invalid regex is exit 2 before any request', async () => {
    let err = '';
    const stderr = new Writable({
      write(chunk, _enc, cb) {
        err += String(chunk);
        cb();
      },
    });
    // 192.0.2.1 (TEST-NET-1) is never contacted: the options fail first.
    const io = { stdin: Readable.from(['http://192.0.2.1/\n']), stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr, onSignal: () => () => {}, exitNow: () => {} };
    expect(await main(['--follow', '--include', '[', '-'], io)).toBe(2);
    expect(err).toMatch(/--include "\[" is not a valid JavaScript regular expression/);
  });
});
