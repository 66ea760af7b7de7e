/** The lock's stale-takeover rules. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, LockedError, type LockDeps } from '../../src/session/lock.js';

describe('lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scrape-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const deps = (pid: number, alive: number[] = []): LockDeps => ({
    pid,
    host: 'here',
    now: Date.now,
    probe: (p) => {
      if (!alive.includes(p)) throw Object.assign(new Error('no such process'), { code: 'ESRCH' });
    },
  });

  it('refuses while the holder lives, takes over once it is gone, and releases only its own lock', () => {
    const path = join(dir, 'a.lock');
    const first = acquireLock(path, 'x', deps(100));
    expect(() => acquireLock(path, 'x', deps(200, [100]))).toThrow(LockedError);
    const second = acquireLock(path, 'x', deps(200, [])); // 100 died
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: 200 });
    first.release(); // not its lock any more: must not remove it
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: 200 });
    second.release();
    expect(() => readFileSync(path)).toThrow();
  });

  it('treats a lock with our own pid as stale (a restarted container reuses pid 1)', () => {
    const path = join(dir, 'b.lock');
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'here', startedAt: 'then' }));
    acquireLock(path, 'x', deps(1, [1])).release();
  });

  it('treats a fresh unreadable lock as held (a run between creating and writing it)', () => {
    const path = join(dir, 'c.lock');
    writeFileSync(path, '');
    expect(() => acquireLock(path, 'x', deps(5))).toThrow(LockedError);
    const old = { ...deps(5), now: () => Date.now() + 60_000 };
    acquireLock(path, 'x', old).release();
  });

  it('takes over the lock of a run killed with SIGKILL that is still a zombie (not yet reaped)', async (ctx) => {
    // `sh` starts a child, prints its pid, and becomes `sleep 5`, which never reaps it: killed, the child stays a zombie.
    const sh = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => sh.stdout.once('data', (d) => resolve(String(d).trim()))));
      process.kill(pid, 'SIGKILL');
      // Wait until the kernel says it is a zombie (Linux; where there is no /proc, there is nothing to test).
      const state = (): string | null => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch {
          return null;
        }
      };
      for (let i = 0; i < 100 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
      if (state() !== 'Z') ctx.skip('no /proc/PID/stat zombie state here (Linux only)');
      const path = join(dir, 'zombie.lock');
      writeFileSync(path, JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString() }));
      const lock = acquireLock(path, 'x');
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
      lock.release();
    } finally {
      sh.kill('SIGKILL');
    }
  });
});
