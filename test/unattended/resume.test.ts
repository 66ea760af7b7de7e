/**
 * Issue 5, cron-proof output: --resume after a SIGKILL of the real binary, and
 * overlapping real runs on one output or cache (exit 3). Torn last lines, a
 * first --resume run and stale locks are tested in-process in test/session/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/run.js';
import { useTmpDir, writeList } from '../helpers/setup.js';
import { scriptServer, slowPages } from './script-server.js';

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n');
const urlsIn = (file: string): string[] =>
  lines(file)
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { url: string }).url);

describe('--resume', () => {
  const tmp = useTmpDir();

  it('completes a run killed with SIGKILL: every URL exactly once, none finished fetched twice', async () => {
    const s = await scriptServer(slowPages(30));
    const urls = Array.from({ length: 60 }, (_, i) => s.url(`/p${i}`));
    const list = writeList(tmp(), urls);
    const out = join(tmp(), 'out.jsonl');
    const args = ['--resume', '-o', out, '-c', '2', list];

    const cli = startCli(args);
    cli.child.stdin.end();
    // Records go to FILE as they finish: wait for some, then kill without warning.
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (existsSync(out) && lines(out).length > 10) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - started > 10_000) {
          clearInterval(poll);
          reject(new Error('no records appeared'));
        }
      }, 10);
    });
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    const before = urlsIn(out);
    expect(before.length).toBeGreaterThan(5);
    expect(before.length).toBeLessThan(60);

    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const after = urlsIn(out);
    expect(after).toHaveLength(60);
    expect(new Set(after).size).toBe(60);
    expect(new Set(after)).toEqual(new Set(urls));
    expect(after.slice(0, before.length)).toEqual(before); // appended, not rewritten
    for (const url of before) expect(s.hitsOf(new URL(url).pathname), url).toHaveLength(1);
    expect(r.logs.find((l) => l.msg === 'summary')).toMatchObject({ total: 60 - before.length });
  });

  it('is a usage error with --format json or csv, or without -o', async () => {
    const out = join(tmp(), 'x.csv');
    for (const args of [['--resume', '-o', out, '-f', 'csv'], ['--resume', '-o', out, '-f', 'json'], ['--resume']]) {
      const r = await runCli(args, { stdin: '' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--resume');
    }
  });
});

describe('overlapping runs', () => {
  const tmp = useTmpDir();

  it('a second run on the same -o FILE exits 3 and leaves the first run to finish intact', async () => {
    const s = await scriptServer(slowPages(100));
    const out = join(tmp(), 'shared.jsonl');
    const list = writeList(tmp(), Array.from({ length: 20 }, (_, i) => s.url(`/p${i}`)));
    const first = startCli(['-o', out, '-c', '1', list]);
    first.child.stdin.end();
    const lock = `${out}.lock`;
    for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(lock)).toBe(true);

    const second = await runCli(['-o', out, list]);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/another scrape run \(pid \d+/);
    expect(second.stderr).toContain(out);

    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    expect(urlsIn(out)).toHaveLength(20);
    expect(existsSync(lock)).toBe(false);
  });

  it('a second run on the same --cache-dir exits 3, whatever its output', async () => {
    const s = await scriptServer(slowPages(100));
    const cache = join(tmp(), 'cache');
    // 20 pages, one at a time, 100 ms each: the first run outlives the second's start-up even on a busy machine.
    const list = writeList(tmp(), Array.from({ length: 20 }, (_, i) => s.url(`/p${i}`)));
    const first = startCli(['--cache-dir', cache, '-c', '1', list]);
    first.child.stdin.end();
    await first.waitForStdout((o) => o.includes('\n'));
    const second = await runCli(['--cache-dir', cache, list]);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('--cache-dir');
    expect(second.stdout).toBe('');
    expect((await first.done).code).toBe(0);
  });

  it('does not take over a lock held from another host (exit 3, names the file to delete)', async () => {
    const out = join(tmp(), 'remote.jsonl');
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: 1, host: 'some-other-host', startedAt: new Date().toISOString() }));
    const r = await runCli(['-o', out], { stdin: '' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`delete "${out}.lock"`);
  });
});
