/**
 * A session in-process, one test per outcome: what it writes, what it logs, the
 * Outcome it returns and the exit status that gives. The spawning suites
 * (test/e2e, test/faults) keep the real binary's contract: argv, real signals
 * and pipes, the process's exit code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { outputLockPath } from '../../src/session/run-locks.js';
import { configOf, inProcess, startInProcess } from '../helpers/session.js';
import { byUrl, useServer, useTmpDir } from '../helpers/setup.js';

describe('a session that runs to the end', () => {
  const server = useServer();

  it('every URL ok: records on stdout, a summary on stderr, exit 0', async () => {
    const urls = [server().url('/index.html'), server().url('/articles/first.html')];
    const r = await inProcess({ stdin: urls.join('\n') });
    expect(r.outcome).toMatchObject({ kind: 'ran', summary: { total: 2, ok: 2, failed: 0 }, interrupted: null, brokenPipe: false, outputFailed: null });
    expect(r.exitCode).toBe(0);
    expect([...byUrl(r.records).keys()].sort()).toEqual(urls.sort());
    expect(r.logs.filter((l) => l.msg === 'summary')).toHaveLength(1);
    expect(r.logs).toHaveLength(r.stderrLines.length);
  });

  it('some URL failed: the failures counted by error code, exit 1', async () => {
    const r = await inProcess({
      options: { retries: '0' },
      stdin: [server().url('/index.html'), server().url('/status/500'), 'not-a-url', server().url('/private/secret.html')].join('\n'),
    });
    expect(r.outcome).toMatchObject({ kind: 'ran', summary: { total: 4, ok: 1, failed: 3, errors: { HTTP_STATUS: 1, INVALID_URL: 1, ROBOTS_DISALLOWED: 1 } } });
    expect(r.exitCode).toBe(1);
    expect(r.records).toHaveLength(4);
  });

  it.each([
    ['a line that is not a URL', ['/index.html', 'not-a-url']],
    ['a URL robots.txt disallows', ['/private/secret.html']],
  ])('%s counts as a failure: exit 1', async (_what, paths) => {
    const r = await inProcess({ stdin: paths.map((p) => (p.startsWith('/') ? server().url(p) : p)).join('\n') });
    expect(r.exitCode).toBe(1);
  });

  it('an empty list: no records, exit 0', async () => {
    const r = await inProcess({ stdin: '\n# nothing\n' });
    expect(r.outcome).toMatchObject({ kind: 'ran', summary: { total: 0, failed: 0 } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('sends every request through an injected dispatcher', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('http://127.0.0.1:9').intercept({ path: '/mocked' }).reply(200, '<title>From the mock</title>', { headers: { 'content-type': 'text/html' } });
    try {
      const r = await inProcess({ options: { robots: false, retries: '0' }, stdin: 'http://127.0.0.1:9/mocked\n', dispatcher: agent });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.records[0]).toMatchObject({ ok: true, status: 200, title: 'From the mock' });
      agent.assertNoPendingInterceptors();
    } finally {
      await agent.close();
    }
  });

  it('a terminal on stderr gets the summary table instead of JSON lines', async () => {
    const r = await inProcess({ stdin: server().url('/index.html'), tty: { columns: 60 } });
    expect(r.exitCode).toBe(0);
    expect(r.logs).toEqual([]);
    expect(r.stderr).toContain('scrape: summary\n  URLs ');
    expect(r.records).toHaveLength(1);
  });
  it('records on the terminal the live line is on start on a line of their own', async () => {
    // Spaced out so the live line is painted (every 100 ms) between records.
    const urls = Array.from({ length: 6 }, (_, i) => server().url(`/slow?ms=${60 * (i + 1)}&term=${i}`));
    const r = await inProcess({ options: { robots: false }, stdin: urls.join('\n'), terminal: { columns: 80 } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('done, 0 failed'); // the live line was shown
    // What a person sees on each line: the text after its last carriage return, erase sequences dropped.
    const seen = r.stderr.split('\n').map((line) => line.slice(line.lastIndexOf('\r') + 1).replaceAll('\x1b[2K', ''));
    const records = seen.filter((line) => line.includes('"url"'));
    expect(records).toHaveLength(6);
    for (const line of records) expect(line.startsWith('{"url"'), line).toBe(true);
  });
});

describe('--compare', () => {
  const server = useServer();
  const urls = (): string[] => Array.from({ length: 4 }, (_, i) => server().url(`/slow?ms=50&compare=${i}`));

  it('runs the sequential baseline after the run, writes no record for it, and reports both walls', async () => {
    const r = await inProcess({ options: { compare: true, concurrency: '4', robots: false }, stdin: [...urls(), urls()[0], 'not-a-url'].join('\n') });
    expect(r.exitCode).toBe(1); // the line that is not a URL
    expect(r.records).toHaveLength(5);
    if (r.outcome.kind !== 'ran') throw new Error(r.outcome.kind);
    expect(r.outcome.baseline).toMatchObject({ total: 4, failed: 0 });
    expect(r.outcome.baseline!.wallMs).toBeGreaterThanOrEqual(4 * 50 - 20);
    expect(r.logs.filter((l) => l.msg === 'compare')).toEqual([
      expect.objectContaining({ concurrentWallMs: r.outcome.summary.wallMs, sequentialWallMs: r.outcome.baseline!.wallMs }),
    ]);
    expect(server().hits(urls()[0]!.slice(server().origin.length))).toBe(2); // once per pass
  });

  it('skips the baseline when a signal stopped the run', async () => {
    const live = startInProcess({ options: { compare: true, concurrency: '1', robots: false }, stdin: urls().join('\n') });
    await live.waitForStdout((out) => out.includes('\n'));
    live.signal('SIGINT');
    const r = await live.done;
    expect(r.outcome).toMatchObject({ kind: 'ran', interrupted: 'SIGINT', baseline: null });
    expect(r.exitCode).toBe(130);
    expect(r.logs.filter((l) => l.msg === 'compare')).toEqual([]);
  });
});

describe('a lock held by another run', () => {
  const server = useServer({ each: true });
  const tmp = useTmpDir();

  it('is refused: one line on stderr naming the holder and the file to delete, nothing fetched or written, exit 3', async () => {
    const out = join(tmp(), 'held.jsonl');
    // The test runner's parent: a live process on this host that is not us.
    const holder = JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' });
    writeFileSync(outputLockPath(out), holder);
    const r = await inProcess({ options: { output: out }, stdin: server().url('/index.html') });
    expect(r.outcome).toEqual({ kind: 'lock-refused', message: expect.stringContaining(`another scrape run (pid ${process.ppid} on ${hostname()}`) });
    expect(r.exitCode).toBe(3);
    expect(r.stderrLines).toEqual([`scrape: another scrape run (pid ${process.ppid} on ${hostname()}, started 2026-01-01T00:00:00.000Z) is using --output "${out}"; if none is running, delete "${out}.lock"`]);
    expect(r.stdout).toBe('');
    expect(server().requests).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(outputLockPath(out), 'utf8')).toBe(holder);
  });

  it('is taken over when its run no longer exists, and removed at the end', async () => {
    const out = join(tmp(), 'stale.jsonl');
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(outputLockPath(out), JSON.stringify({ pid: dead, host: hostname(), startedAt: new Date().toISOString() }));
    const r = await inProcess({ options: { output: out }, stdin: server().url('/index.html') });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(server().url('/index.html'));
    expect(existsSync(outputLockPath(out))).toBe(false);
  });
});

describe('a file the run needs that cannot be opened', () => {
  const server = useServer();
  const tmp = useTmpDir();

  /** A --cache-dir inside a plain file: it passes the config's check (it does not exist yet) and cannot be created. */
  const uncreatable = (): string => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, '');
    return join(file, 'cache');
  };

  it('is a usage error found before anything is fetched: one line on stderr, exit 2', async () => {
    const cacheDir = uncreatable();
    const r = await inProcess({ options: { cacheDir }, stdin: server().url('/index.html') });
    expect(r.outcome).toEqual({ kind: 'usage-error', message: `cannot open --cache-dir "${cacheDir}": ENOTDIR` });
    expect(r.exitCode).toBe(2);
    expect(r.stderrLines).toEqual([`scrape: cannot open --cache-dir "${cacheDir}": ENOTDIR`]);
    expect(r.stdout).toBe('');
    expect(server().requests).toHaveLength(0);
  });

  it('releases the locks it took before', async () => {
    const out = join(tmp(), 'out.jsonl');
    const r = await inProcess({ options: { output: out, cacheDir: uncreatable() }, stdin: server().url('/index.html') });
    expect(r.exitCode).toBe(2);
    expect(existsSync(outputLockPath(out))).toBe(false);
  });
});

describe('an output that cannot be written', () => {
  const server = useServer({ each: true });

  it('stops fetching and says so in one line: exit 4', async () => {
    // What a write to a full disk or /dev/full raises.
    const full = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      },
    });
    const urls = Array.from({ length: 200 }, (_, i) => server().url(`/slow?ms=5&i=${i}`));
    const r = await inProcess({ options: { concurrency: '2', robots: false }, stdin: urls.join('\n'), stdout: full });
    expect(r.outcome).toMatchObject({ kind: 'ran', outputFailed: { message: 'cannot write output: ENOSPC: no space left on device, write' } });
    expect(r.exitCode).toBe(4);
    expect(r.stderrLines.filter((l) => !l.startsWith('{'))).toEqual(['scrape: cannot write output: ENOSPC: no space left on device, write']);
    expect(r.logs.filter((l) => l.msg === 'summary')).toEqual([]);
    expect(server().requests.length).toBeLessThan(20);
  });
});

describe('a --summary-file that cannot be written', () => {
  const server = useServer();
  const tmp = useTmpDir();

  it('says so in one line after the records and the summary log: exit 4', async () => {
    const dir = join(tmp(), 'gone');
    mkdirSync(dir);
    const config = configOf({ options: { summaryFile: join(dir, 'summary.json') } });
    rmSync(dir, { recursive: true }); // after the config checked it: the folder went away mid-run
    const r = await inProcess({ config, stdin: server().url('/index.html') });
    expect(r.outcome).toMatchObject({ kind: 'ran', summaryFileFailed: { message: 'cannot write --summary-file: ENOENT' } });
    expect(r.exitCode).toBe(4);
    expect(r.records).toHaveLength(1);
    expect(r.logs.map((l) => l.msg)).toEqual(['fetched', 'summary']);
    expect(r.stderrLines.at(-1)).toBe('scrape: cannot write --summary-file: ENOENT');
  });
});

describe('a reader that goes away', () => {
  const server = useServer();

  it('stops requesting and ends quietly, with no summary: exit 0', async () => {
    const urls = Array.from({ length: 30 }, (_, i) => server().url(`/slow?ms=100&pipe=${i}`));
    const live = startInProcess({ options: { concurrency: '2', robots: false }, stdin: urls.join('\n') });
    await live.waitForStdout((out) => out.includes('\n'));
    live.closeStdout();
    const closedAt = Date.now();
    const r = await live.done;
    expect(r.outcome).toMatchObject({ kind: 'ran', brokenPipe: true, outputFailed: null });
    expect(r.exitCode).toBe(0);
    expect(r.logs.filter((l) => l.msg === 'summary')).toEqual([]);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    const seen = server().requests.length;
    expect(seen).toBeLessThan(30);
    await new Promise((res) => setTimeout(res, 200));
    expect(server().requests.length).toBe(seen);
    expect(server().requests.filter((q) => q.at > closedAt + 300)).toEqual([]);
  });
});

describe('a destination folder', () => {
  const server = useServer();
  const tmp = useTmpDir();

  it('holds only the output once the run is over: no lock, no temp file', async () => {
    const dir = join(tmp(), 'clean');
    mkdirSync(dir);
    const r = await inProcess({ options: { output: join(dir, 'out.jsonl') }, stdin: server().url('/index.html') });
    expect(r.exitCode).toBe(0);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });
});
