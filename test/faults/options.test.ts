/**
 * Issue #3: bad options are exit 2 with one line on stderr, before any request
 * (test/e2e/exit-codes.test.ts covers the common ones; these are the rest).
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { useTmpDir } from '../helpers/setup.js';
import { page, useFaultServer } from './fault-server.js';

describe('bad options', () => {
  const server = useFaultServer({
    '/ok': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page('Fine'));
    },
  });
  const tmp = useTmpDir();

  async function expectUsage(args: (dir: string) => readonly string[], message?: RegExp): Promise<void> {
    const r = await runCli(['--no-robots', ...args(tmp())], { stdin: server().url('/ok') });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderrLines, r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/^scrape: /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    if (message) expect(r.stderr).toMatch(message);
    expect(server().requests).toHaveLength(0);
  }

  it.each([
    ['--max-bytes 0', ['--max-bytes', '0']],
    ['--max-bytes -1', ['--max-bytes=-1']],
    ['--max-bytes 1.5M', ['--max-bytes', '1.5M']],
    ['--max-bytes beyond 2^53', ['--max-bytes', '99999999999G']],
    ['--timeout 0', ['--timeout', '0']],
    ['--timeout 1e3', ['--timeout', '1e3']],
    ['--timeout ""', ['--timeout', '']],
    ['--retries abc', ['--retries', 'abc']],
    ['--retries 1.5', ['--retries', '1.5']],
    ['--max-redirects -1', ['--max-redirects=-1']],
    ['--per-host -3', ['--per-host=-3']],
    ['--per-host 1x', ['--per-host', '1x']],
    ['-c beyond 2^53', ['-c', '99999999999999999999']],
    ['-c 0x10', ['-c', '0x10']],
    ['--retry-max-wait -1', ['--retry-max-wait=-1']],
    ['--retry-max-wait soon', ['--retry-max-wait', 'soon']],
    ['--format ""', ['--format', '']],
    ['--format jsonl,csv', ['-f', 'jsonl,csv']],
    ['--log-level ""', ['--log-level', '']],
    ['a header value with CRLF (header injection)', ['-H', 'X-A: a\r\nInjected: b']],
    ['a header with no name', ['-H', ': value']],
    ['a header name with a space', ['-H', 'Bad Name: value']],
    ['a --user-agent with a line break', ['--user-agent', 'a\nb']],
    ['a flag given a value it does not take', ['--deny-private=yes']],
  ])('%s', async (_what, bad) => {
    await expectUsage(() => bad);
  });

  it('an input path through a regular file (ENOTDIR)', async () => {
    await expectUsage((dir) => {
      writeFileSync(join(dir, 'plain.txt'), 'x');
      return [join(dir, 'plain.txt', 'list.txt')];
    }, /ENOTDIR/);
  });

  it('an input that is a dangling symlink', async () => {
    await expectUsage((dir) => {
      symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.txt'));
      return [join(dir, 'dangling.txt')];
    }, /ENOENT/);
  });

  it('an --output whose folder is a regular file', async () => {
    await expectUsage((dir) => {
      writeFileSync(join(dir, 'file-not-folder'), 'x');
      return ['-o', join(dir, 'file-not-folder', 'out.jsonl')];
    }, /not a folder/);
  });

  it('an empty --output', async () => {
    await expectUsage(() => ['-o', '']);
  });
});
