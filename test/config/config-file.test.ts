/** --config files: parsing and merging with flags. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeOptions, readConfigFile } from '../../src/config/config-file.js';
import type { Kind } from '../../src/config/option-row.js';
import { attributeName, ROWS } from '../../src/config/options.js';
import { buildConfig } from '../../src/config/resolve.js';
import { UsageError } from '../../src/config/usage-error.js';

/** A JSON value of the right type for each kind, and the raw value it becomes (readConfigFile checks types; buildConfig checks values). */
const SAMPLE: Record<Kind, [json: unknown, raw: unknown]> = {
  number: [1, '1'],
  string: ['x', 'x'],
  path: ['/p', '/p'],
  boolean: [true, true],
  strings: [['a'], ['a']],
};

describe('config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scrape-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (body: unknown): string => {
    const f = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, JSON.stringify(body));
    return f;
  };

  it('turns JSON values into what the flags would have given', () => {
    const f = file({ concurrency: 4, maxBytes: '5M', select: ['a=b'], links: true, cacheDir: 'c', rate: 0.5 });
    expect(readConfigFile(f)).toEqual({ concurrency: '4', maxBytes: '5M', select: ['a=b'], links: true, cacheDir: join(dir, 'c'), rate: '0.5' });
  });

  it('lets flags win key by key, and ignores flags that were not given', () => {
    expect(mergeOptions({ concurrency: '4', robots: false, select: ['a=b'] }, { concurrency: '8', select: undefined })).toEqual({
      concurrency: '8',
      robots: false,
      select: ['a=b'],
    });
  });

  it('names the key and the type it got', () => {
    expect(() => readConfigFile(file({ retries: [1] }))).toThrow(UsageError);
    expect(() => readConfigFile(file({ retries: [1] }))).toThrow(/"retries" must be a number, got array/);
  });

  it.each(ROWS.filter(([, row]) => row.inFile !== false))('accepts %s as written on the command line and in camelCase', (_field, row) => {
    const attribute = attributeName(row.long);
    const [json, raw] = SAMPLE[row.kind];
    expect(readConfigFile(file({ [row.long]: json }))).toEqual({ [attribute]: row.long.startsWith('no-') ? !raw : raw });
    expect(readConfigFile(file({ [attribute]: json }))).toEqual({ [attribute]: raw });
  });

  it('reads the kebab-case names the issue asked for', () => {
    const f = file({ 'per-host': 2, 'max-bytes': '5M', 'user-agent': 'bot/1', 'deny-private': true, 'retry-max-wait': 100 });
    expect(readConfigFile(f)).toEqual({ perHost: '2', maxBytes: '5M', userAgent: 'bot/1', denyPrivate: true, retryMaxWait: '100' });
    expect(buildConfig([], { config: f })).toMatchObject({ perHost: 2, maxBytes: 5 * 1024 ** 2, userAgent: 'bot/1', denyPrivate: true, retryMaxWaitMs: 100 });
  });

  it('reads "no-robots": true as "robots": false, and the other way round', () => {
    expect(readConfigFile(file({ 'no-robots': true }))).toEqual({ robots: false });
    expect(readConfigFile(file({ 'no-robots': false }))).toEqual({ robots: true });
    expect(readConfigFile(file({ robots: false }))).toEqual({ robots: false });
    expect(buildConfig([], { config: file({ 'no-robots': true }) }).robots).toBe(false);
  });

  it('checks a kebab-case value like its flag', () => {
    expect(() => buildConfig([], { config: file({ 'per-host': 0 }) })).toThrow('--per-host must be at least 1, got "0"');
    expect(() => readConfigFile(file({ 'deny-private': 'yes' }))).toThrow(/"deny-private" must be true or false, got string "yes"/);
  });

  it('refuses one option under both spellings, naming both', () => {
    const f = file({ perHost: 2, 'per-host': 3 });
    expect(() => readConfigFile(f)).toThrow(`config file "${f}": "perHost" and "per-host" are the same option (--per-host); give it once`);
    expect(() => readConfigFile(file({ robots: false, 'no-robots': true }))).toThrow(/"robots" and "no-robots" are the same option/);
  });

  it.each([
    ['per_host', 'per-host'],
    ['concurency', 'concurrency'],
    ['maxbytes', 'maxBytes'],
    ['perhost', 'perHost'],
    ['user_agent', 'user-agent'],
    ['Quiet', 'quiet'],
  ])('suggests the closest key for %s', (typo, near) => {
    const f = file({ [typo]: 1 });
    expect(() => readConfigFile(f)).toThrow(`config file "${f}": unknown key "${typo}"; did you mean "${near}"?`);
  });

  it('suggests nothing for a key far from every option', () => {
    const f = file({ colour: 'blue' });
    expect(() => readConfigFile(f)).toThrow(`config file "${f}": unknown key "colour" (keys are the long option names, e.g. "per-host" or "perHost")`);
  });

  it('refuses --config inside a config file', () => {
    expect(() => readConfigFile(file({ config: 'other.json' }))).toThrow(/"config" cannot be set in a config file/);
  });
});

