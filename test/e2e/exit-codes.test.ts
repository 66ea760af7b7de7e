/**
 * Exit codes of the real binary, usage errors, --help and --version. Which
 * outcome gives which code is table-tested in test/session/exit-status.test.ts,
 * and each outcome is reached in-process in test/session/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion, runCli } from '../helpers/run.js';
import { expectUsageError, useServer, useTmpDir, writeList } from '../helpers/setup.js';

describe('exit status of a run', () => {
  const server = useServer();

  it('is 0 when every URL is ok', async () => {
    const r = await runCli([], { stdin: [server().url('/index.html'), server().url('/articles/first.html')].join('\n') });
    expect(r.code).toBe(0);
  });

  it('is 1 when one URL fails', async () => {
    const r = await runCli(['--retries', '0'], { stdin: [server().url('/index.html'), server().url('/status/500')].join('\n') });
    expect(r.code).toBe(1);
    expect(r.records).toHaveLength(2);
  });
});

describe('usage errors: exit 2, one line on stderr, nothing on stdout, nothing fetched', () => {
  const server = useServer({ each: true });
  const tmp = useTmpDir();

  /** Run with a valid list of the server's pages on stdin and in a file, plus the bad arguments. */
  async function usage(args: (list: string) => readonly string[]) {
    const s = server();
    const urls = [s.url('/index.html'), s.url('/articles/first.html')];
    const list = writeList(tmp(), urls);
    const r = await runCli(args(list), { stdin: urls.join('\n') });
    expectUsageError(r, s);
    return r;
  }

  it.each([
    ['an unknown option', ['--bogus']],
    ['-c 0', ['-c', '0']],
    ['-c abc', ['-c', 'abc']],
    ['--concurrency 2.5', ['--concurrency', '2.5']],
    ['--per-host 0', ['--per-host', '0']],
    ['--timeout -5', ['--timeout', '-5']],
    ['--timeout=-5', ['--timeout=-5']],
    ['--retries -1', ['--retries=-1']],
    ['--max-bytes 5X', ['--max-bytes', '5X']],
    ['--max-redirects lots', ['--max-redirects', 'lots']],
    ['an unknown --format', ['--format', 'xml']],
    ['an unknown --log-level', ['--log-level', 'loud']],
    ['a malformed selector', ['-s', 'x=a[href']],
    // Parsed fine, refused by css-select: checked once cheerio loads, still before any request.
    ['a pseudo-element selector', ['-s', 'x=p::before']],
    ['an unknown pseudo-class', ['-s', 'ok=h1', '-s', 'x=a:frobnicate']],
    ['a selector without a name', ['--select', 'h1']],
    ['a header without a colon', ['-H', 'X-Broken']],
    ['an option missing its value', ['-c']],
  ])('%s', async (_what, bad) => {
    await usage((list) => [list, ...bad]);
  });

  it('a missing input file, even after a good one', async () => {
    await usage((list) => [list, join(tmp(), 'no-such-list.txt')]);
  });

  it('an input that is a directory', async () => {
    await usage((list) => [list, tmp()]);
  });

  it('--output in a missing folder', async () => {
    await usage((list) => [list, '-o', join(tmp(), 'no-such-folder', 'out.jsonl')]);
  });

  it('--output that is a directory', async () => {
    const dir = join(tmp(), 'a-folder');
    mkdirSync(dir, { recursive: true });
    await usage((list) => [list, '--output', dir]);
  });

  it('names the problem in the message', async () => {
    const r = await usage((list) => [list, '-c', 'abc']);
    expect(r.stderr).toMatch(/concurrency|-c/);
    expect(r.stderr).toContain('abc');
  });
});

describe('--help and --version', () => {
  it('--help exits 0 and lists every option', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const opt of [
      '--concurrency', '-c', '--per-host', '--timeout', '--retries', '--max-bytes', '--max-redirects', '--header', '-H',
      '--user-agent', '--select', '-s', '--links', '--output', '-o', '--format', '-f', '--no-robots', '--compare',
      '--quiet', '--log-level', 'demo',
    ]) {
      expect(r.stdout, opt).toContain(opt);
    }
  });

  it('--version prints the package.json version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(packageVersion());
  });
});
