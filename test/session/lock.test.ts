/** The lock's stale-takeover rules. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
});
