/** --config files: parsing and merging with flags. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeOptions, readConfigFile } from '../../src/config/config-file.js';
import { UsageError } from '../../src/config/usage-error.js';

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
});
