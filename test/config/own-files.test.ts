/**
 * Nothing scrape writes may be one of its inputs: `scrape -o urls.txt urls.txt`
 * would replace the URL list with its records. Refused before any request,
 * whatever path names the file.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, linkSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/resolve.js';
import { BIN } from '../helpers/run.js';

let dir: string;
let list: string;
const LIST = 'http://127.0.0.1:1/a\n';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scrape-own-files-'));
  list = join(dir, 'urls.txt');
  writeFileSync(list, LIST);
  symlinkSync(list, join(dir, 'link.txt'));
  linkSync(list, join(dir, 'hard.txt'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an output that is an input', () => {
  it.each([
    ['the same path', () => list],
    ['another spelling of the path', () => join(dir, '.', '..', dir.split('/').at(-1)!, 'urls.txt')],
    ['a relative path', () => relative(process.cwd(), list)],
    ['a symlink to it', () => join(dir, 'link.txt')],
    ['a hard link to it', () => join(dir, 'hard.txt')],
  ])('-o as %s is a usage error naming both', (_, output) => {
    expect(() => buildConfig([list], { output: output() })).toThrow(/--output ".*" is the input file ".*urls\.txt": scrape would overwrite its own URL list/);
  });

  it('--summary-file too', () => {
    expect(() => buildConfig([list], { summaryFile: join(dir, 'link.txt') })).toThrow('--summary-file');
  });

  it('an output that does not exist yet, or another file, is fine', () => {
    expect(buildConfig([list], { output: join(dir, 'out.jsonl') }).output).toBe(join(dir, 'out.jsonl'));
    writeFileSync(join(dir, 'other.jsonl'), '');
    expect(buildConfig([list], { output: join(dir, 'other.jsonl') }).output).toBe(join(dir, 'other.jsonl'));
  });

  it('the real command exits 2 before any request and leaves the list as it was, also for stdin redirected from it', () => {
    const named = spawnSync(process.execPath, [BIN, '-o', join(dir, 'link.txt'), list], { encoding: 'utf8' });
    expect(named.status).toBe(2);
    expect(named.stderr).toContain('would overwrite its own URL list');
    const fd = openSync(list, 'r');
    try {
      // `scrape -o urls.txt < urls.txt`
      const redirected = spawnSync(process.execPath, [BIN, '-o', list], { encoding: 'utf8', stdio: [fd, 'pipe', 'pipe'] });
      expect(redirected.status).toBe(2);
      expect(redirected.stderr.trim()).toBe(`scrape: --output "${list}" is the file standard input reads: scrape would overwrite its own URL list; write somewhere else`);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(list, 'utf8')).toBe(LIST);
  });
});
