import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig, DEFAULTS } from '../../src/config/resolve.js';
import { LOG_LEVELS } from '../../src/log/levels.js';
import type { RawOptions } from '../../src/config/options.js';
import { UsageError } from '../../src/config/usage-error.js';
import { packageVersion } from '../helpers/run.js';

const version = packageVersion();

let dir: string;
let list: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scrape-config-'));
  list = join(dir, 'urls.txt');
  writeFileSync(list, 'http://a.example/\n');
  mkdirSync(join(dir, 'folder'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = (raw: RawOptions, inputs: string[] = []) => buildConfig(inputs, raw);

describe('buildConfig defaults', () => {
  const config = buildConfig([], {});

  it('uses the documented numeric defaults', () => {
    expect(config).toMatchObject({
      concurrency: 16,
      perHost: 8,
      timeoutMs: 30_000,
      retries: 2,
      maxBytes: 10 * 1024 * 1024,
      maxRedirects: 10,
    });
  });

  it('writes JSON Lines to stdout, obeys robots.txt and logs at info by default', () => {
    expect(config).toMatchObject({ format: 'jsonl', output: null, robots: true, links: false, compare: false, quiet: false, logLevel: 'info' });
    expect(config.selectors).toEqual([]);
  });

  it('sends the default User-Agent with the package version', () => {
    expect(config.headers).toEqual({ 'user-agent': `scrape/${version} (+https://github.com/scrape-cli/scrape)` });
  });

  it('agrees with DEFAULTS', () => {
    expect(config.concurrency).toBe(DEFAULTS.concurrency);
    expect(config.maxBytes).toBe(DEFAULTS.maxBytes);
  });

  it('lets requests in flight finish for 2 s after a first signal', () => {
    expect(config.graceMs).toBe(2_000);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('buildConfig numbers', () => {
  it('parses whole numbers', () => {
    expect(build({ concurrency: '4', perHost: '2', timeout: '1500', retries: '0', maxRedirects: '0' })).toMatchObject({
      concurrency: 4,
      perHost: 2,
      timeoutMs: 1500,
      retries: 0,
      maxRedirects: 0,
    });
  });

  it.each([
    ['--concurrency 0', { concurrency: '0' }],
    ['--concurrency abc', { concurrency: 'abc' }],
    ['--concurrency 1.5', { concurrency: '1.5' }],
    ['--concurrency empty', { concurrency: '' }],
    ['--per-host 0', { perHost: '0' }],
    ['--timeout -5', { timeout: '-5' }],
    ['--timeout 0', { timeout: '0' }],
    ['--retries -1', { retries: '-1' }],
    ['--max-redirects x', { maxRedirects: 'x' }],
    ['--concurrency beyond safe integers', { concurrency: '99999999999999999999' }],
  ])('rejects %s', (_what, raw) => {
    expect(() => build(raw)).toThrow(UsageError);
  });
});

describe('buildConfig --max-bytes', () => {
  it.each([
    ['500', 500],
    ['1K', 1024],
    ['2k', 2048],
    ['5M', 5 * 1024 ** 2],
    ['1G', 1024 ** 3],
  ])('reads %s as %i bytes', (value, bytes) => {
    expect(build({ maxBytes: value }).maxBytes).toBe(bytes);
  });

  it.each([['0'], ['5X'], ['-1'], ['M'], ['1.5M']])('rejects %s', (value) => {
    expect(() => build({ maxBytes: value })).toThrow(UsageError);
  });
});

describe('buildConfig choices', () => {
  it.each(['jsonl', 'json', 'csv'])('accepts --format %s', (format) => {
    expect(build({ format }).format).toBe(format);
  });

  it('rejects an unknown --format', () => {
    expect(() => build({ format: 'xml' })).toThrow(UsageError);
  });

  it.each([...LOG_LEVELS])('accepts --log-level %s', (level) => {
    expect(build({ logLevel: level }).logLevel).toBe(level);
  });

  it('rejects an unknown --log-level', () => {
    expect(() => build({ logLevel: 'loud' })).toThrow(UsageError);
  });

  it('turns off robots.txt for --no-robots', () => {
    expect(build({ robots: false }).robots).toBe(false);
  });
});

describe('buildConfig headers', () => {
  it('lower-cases header names and trims values', () => {
    expect(build({ header: ['X-Api-Key:  abc  ', 'Accept-Language: fr'] }).headers).toMatchObject({ 'x-api-key': 'abc', 'accept-language': 'fr' });
  });

  it('keeps colons inside a header value', () => {
    expect(build({ header: ['X-When: 12:30:00'] }).headers['x-when']).toBe('12:30:00');
  });

  it('lets --user-agent replace the default User-Agent', () => {
    expect(build({ userAgent: 'MyBot/1.0' }).headers['user-agent']).toBe('MyBot/1.0');
  });

  it.each([['no colon', 'X-Foo'], ['an empty name', ': value'], ['a space in the name', 'X Foo: 1']])('rejects a header with %s', (_what, header) => {
    expect(() => build({ header: [header] })).toThrow(UsageError);
  });

  it('rejects an empty --user-agent', () => {
    expect(() => build({ userAgent: ' ' })).toThrow(UsageError);
  });

  it('sends a -H User-Agent instead of ours, and --user-agent over both', () => {
    expect(build({ header: ['User-Agent: from-header/1'] })).toMatchObject({ userAgent: 'from-header/1', headers: { 'user-agent': 'from-header/1' } });
    const both = build({ header: ['User-Agent: from-header/1', 'X-A: 1'], userAgent: 'flag/2' });
    expect(both).toMatchObject({ userAgent: 'flag/2', headers: { 'user-agent': 'flag/2', 'x-a': '1' } });
  });

  it('keeps User-Agent the first header', () => {
    expect(Object.keys(build({ header: ['X-A: 1', 'user-agent: h/1'] }).headers)).toEqual(['user-agent', 'x-a']);
  });
});

describe('buildConfig --robots-agent', () => {
  it('is the product token of the User-Agent sent unless given (RFC 9309 2.2.1)', () => {
    expect(build({}).robotsAgent).toBe('scrape');
    expect(build({ userAgent: 'AcmeBot/1.2 (+https://acme.example/bot)' }).robotsAgent).toBe('AcmeBot');
    expect(build({ header: ['User-Agent: Foo_Bar-baz2 crawler'] }).robotsAgent).toBe('Foo_Bar-baz');
    // A User-Agent that starts with no token character: ours.
    expect(build({ userAgent: '2bot/1' }).robotsAgent).toBe('scrape');
  });

  it('takes --robots-agent over the User-Agent', () => {
    expect(build({ userAgent: 'Mozilla/5.0 (compatible; AcmeBot/1.2)', robotsAgent: 'AcmeBot' })).toMatchObject({
      robotsAgent: 'AcmeBot',
      userAgent: 'Mozilla/5.0 (compatible; AcmeBot/1.2)',
    });
  });

  it.each(['AcmeBot/1.2', 'Acme Bot', '', '*'])('rejects %j, which no User-agent line could name', (token) => {
    expect(() => build({ robotsAgent: token })).toThrow('--robots-agent must be a product token');
  });
});

describe('buildConfig selectors', () => {
  it('parses --select flags', () => {
    expect(build({ select: ['t=h1', 'p[]=.price'] }).selectors.map((s) => [s.name, s.many])).toEqual([
      ['t', false],
      ['p', true],
    ]);
  });

  it('leaves a malformed selector to checkSelectors (test/config/selectors.test.ts), which loads css-what', () => {
    expect(() => build({ select: ['x=a[href'] })).not.toThrow();
    expect(() => build({ select: ['x='] })).toThrow(UsageError);
  });
});

describe('buildConfig inputs and output', () => {
  it('accepts existing files and standard input', () => {
    expect(buildConfig([list, '-'], {}).inputs).toEqual([list, '-']);
  });

  it('rejects a missing input file', () => {
    expect(() => buildConfig([join(dir, 'missing.txt')], {})).toThrow(UsageError);
  });

  it('rejects an input that is a directory', () => {
    expect(() => buildConfig([join(dir, 'folder')], {})).toThrow(UsageError);
  });

  it('rejects standard input given twice', () => {
    expect(() => buildConfig(['-', '-'], {})).toThrow(UsageError);
  });

  it('accepts an output file in an existing folder', () => {
    expect(build({ output: join(dir, 'out.jsonl') }).output).toBe(join(dir, 'out.jsonl'));
  });

  it('rejects an output file in a missing folder', () => {
    expect(() => build({ output: join(dir, 'nope', 'out.jsonl') })).toThrow(UsageError);
  });

  it('rejects an output path that is a directory', () => {
    expect(() => build({ output: join(dir, 'folder') })).toThrow(UsageError);
  });
});
