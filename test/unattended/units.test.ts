/**
 * Issue 5, the pure parts driven directly: the host gate on a fake clock, the
 * lock's stale-takeover rules, config-file parsing and merging, shard hashing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeOptions, readConfigFile } from '../../src/config/config-file.js';
import { UsageError } from '../../src/config/usage-error.js';
import { createHostGate, type Enter, type GateTime } from '../../src/schedule/host-gate.js';
import { shardOfHost, shardTargets } from '../../src/input/shard.js';
import { parseShard } from '../../src/config/shard-option.js';
import type { Target } from '../../src/input/targets.js';
import { acquireLock, LockedError, type LockDeps } from '../../src/session/lock.js';

/** Fake time: sleeps resolve when the test advances the clock past them. */
function fakeTime(): GateTime & { advance(ms: number): Promise<void> } {
  let now = 0;
  const sleepers: { until: number; resolve: () => void }[] = [];
  const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise((resolve, reject) => {
        // Removed once the sleep ends, as a real sleep does: tests share one signal.
        const onAbort = (): void => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        sleepers.push({
          until: now + ms,
          resolve: () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        });
      });
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await flush();
        const due = sleepers.filter((s) => s.until <= end).sort((a, b) => a.until - b.until)[0];
        if (!due) break;
        now = Math.max(now, due.until);
        sleepers.splice(sleepers.indexOf(due), 1);
        due.resolve();
      }
      now = end;
      await flush();
    },
  };
}

const open: Enter = (fn) => fn();
const never = new AbortController().signal;

describe('host gate', () => {
  it('spaces request starts to one host by 1000/rate ms, and leaves other hosts alone', async () => {
    const time = fakeTime();
    const gate = createHostGate({ ratePerSec: 2, maxPauseMs: 30_000 }, time);
    const starts: [string, number][] = [];
    const go = (host: string): Promise<void> => gate.run(host, `http://${host}/`, never, open, async () => void starts.push([host, time.now()]));
    const all = Promise.all([go('a'), go('a'), go('a'), go('b'), go('b')]);
    await time.advance(2000);
    await all;
    expect(starts.filter(([h]) => h === 'a').map(([, t]) => t)).toEqual([0, 500, 1000]);
    expect(starts.filter(([h]) => h === 'b').map(([, t]) => t)).toEqual([0, 500]);
  });

  it('takes the largest of --rate and Crawl-delay, and exempts disallowed URLs from pacing', async () => {
    const time = fakeTime();
    const policy = async (url: string) => ({ minIntervalMs: 800, exempt: url.endsWith('/private') });
    const gate = createHostGate({ ratePerSec: 4, maxPauseMs: 30_000, policy }, time);
    const starts: [string, number][] = [];
    const go = (path: string): Promise<void> => gate.run('h', `http://h${path}`, never, open, async () => void starts.push([path, time.now()]));
    const all = Promise.all([go('/1'), go('/private'), go('/2')]);
    await time.advance(1000);
    await all;
    expect(starts).toEqual([
      ['/1', 0],
      ['/private', 0],
      ['/2', 800],
    ]);
    expect(gate.intervalMs('h')).toBe(800); // Crawl-delay (800 ms) beats --rate 4 (250 ms)
  });

  it('pauses a host for Retry-After after a throttle, and raises its interval once per signal', async () => {
    const time = fakeTime();
    const throttleOf = (err: unknown) => (err === 'throttled' ? { retryAfterMs: 2000 } : null);
    const gate = createHostGate({ ratePerSec: null, maxPauseMs: 30_000, throttleOf }, time);
    const starts: number[] = [];
    let answer: 'throttled' | 'ok' = 'throttled';
    const go = (): Promise<void> =>
      gate.run('h', 'http://h/', never, open, async () => {
        starts.push(time.now());
        if (answer === 'throttled') throw 'throttled';
      });
    // Two requests in flight together both come back throttled: one signal.
    await Promise.allSettled([go(), go()]);
    expect(starts).toEqual([0, 0]);
    expect(gate.intervalMs('h')).toBe(250);
    answer = 'ok';
    const later = go();
    await time.advance(2500);
    await later;
    expect(starts[2]).toBe(2000); // waited out Retry-After
    expect(gate.intervalMs('h')).toBeLessThan(250); // eased by a good answer
  });

  it('doubles the back-off of a host that keeps throttling without Retry-After, up to 2 s', async () => {
    const time = fakeTime();
    const gate = createHostGate({ ratePerSec: null, maxPauseMs: 30_000, throttleOf: () => ({ retryAfterMs: null }) }, time);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const p = gate.run('h', 'http://h/', never, open, async () => Promise.reject(new Error('503'))).catch(() => {});
      await time.advance(5000);
      await p;
      seen.push(gate.intervalMs('h'));
    }
    expect(seen).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000, 2000]);
  });

  it('caps a huge Retry-After at maxPauseMs', async () => {
    const time = fakeTime();
    const gate = createHostGate({ ratePerSec: null, maxPauseMs: 1000, throttleOf: () => ({ retryAfterMs: 86_400_000 }) }, time);
    await gate.run('h', 'http://h/', never, open, async () => Promise.reject(new Error('429'))).catch(() => {});
    const starts: number[] = [];
    const p = gate.run('h', 'http://h/', never, open, async () => void starts.push(time.now()));
    await time.advance(1500);
    await p;
    expect(starts).toEqual([1000]);
  });

  it('does not hold a global slot while a host waits for its turn', async () => {
    const time = fakeTime();
    const gate = createHostGate({ ratePerSec: 1, maxPauseMs: 30_000 }, time);
    let held = 0;
    let maxHeld = 0;
    const counting: Enter = async (fn) => {
      held++;
      maxHeld = Math.max(maxHeld, held);
      try {
        return await fn();
      } finally {
        held--;
      }
    };
    const runs = Array.from({ length: 5 }, () => gate.run('slow', 'http://slow/', never, counting, async () => {}));
    await time.advance(100);
    // Four are waiting for their turn; none of them is inside the pool.
    expect(held).toBe(0);
    await time.advance(5000);
    await Promise.all(runs);
    expect(maxHeld).toBe(1);
  });

  it('rejects without running the attempt when the signal aborts during the wait', async () => {
    const time = fakeTime();
    const gate = createHostGate({ ratePerSec: 1, maxPauseMs: 30_000 }, time);
    await gate.run('h', 'http://h/', never, open, async () => {});
    const stop = new AbortController();
    let ran = false;
    const p = gate.run('h', 'http://h/', stop.signal, open, async () => {
      ran = true;
    });
    stop.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(ran).toBe(false);
  });
});

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

describe('shard', () => {
  it('parses I/N, 1-based', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(undefined)).toBeNull();
    expect(() => parseShard('0/4')).toThrow(UsageError);
  });

  it('is stable: first 4 bytes of SHA-1 of the host, mod N, plus 1', () => {
    // Pinned values: changing the hash would move every host to another shard.
    expect([2, 3, 4].map((n) => shardOfHost('example.com', n))).toEqual([1, 1, 3]);
    expect([2, 3, 4].map((n) => shardOfHost('example.org', n))).toEqual([2, 1, 2]);
    expect([2, 3, 4].map((n) => shardOfHost('news.example.net:8080', n))).toEqual([2, 2, 4]);
  });

  it('filters targets, sending lines that are not URLs to shard 1', async () => {
    async function* targets(): AsyncGenerator<Target> {
      yield { kind: 'url', url: 'http://example.com/a' };
      yield { kind: 'url', url: 'http://example.org/b' };
      yield { kind: 'invalid', raw: 'junk' };
    }
    const collect = async (i: number): Promise<Target[]> => {
      const out: Target[] = [];
      for await (const t of shardTargets(targets(), { index: i, count: 2 })) out.push(t);
      return out;
    };
    expect(await collect(1)).toEqual([{ kind: 'url', url: 'http://example.com/a' }, { kind: 'invalid', raw: 'junk' }]);
    expect(await collect(2)).toEqual([{ kind: 'url', url: 'http://example.org/b' }]);
  });
});
