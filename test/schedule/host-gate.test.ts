/** The host gate on a fake clock: --rate, Crawl-delay, back-off, stops. */
import { describe, expect, it } from 'vitest';
import { createHostGate, type Enter } from '../../src/schedule/host-gate.js';
import { fakeTime } from '../helpers/fake-time.js';

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
