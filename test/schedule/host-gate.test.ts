/** The host gate on a fake clock: --rate, Crawl-delay, back-off read from results, stops. */
import { describe, expect, it } from 'vitest';
import { createHostGate, type Enter, type GateOptions, type Throttle } from '../../src/schedule/host-gate.js';
import { fakeTime } from '../helpers/fake-time.js';

const open: Enter = (fn) => fn();
const never = new AbortController().signal;

/** Attempts in these tests answer 'ok' or 'throttled'; a throttle carries this Retry-After. */
type Answer = 'ok' | 'throttled';
const throttles =
  (retryAfterMs: number | null) =>
  (answer: Answer): Throttle =>
    answer === 'throttled' ? { retryAfterMs } : null;

function gateOf(opts: Partial<GateOptions<Answer>>, time = fakeTime()) {
  return { time, gate: createHostGate<Answer>({ ratePerSec: null, maxPauseMs: 30_000, enter: open, throttleOf: () => null, ...opts }, time) };
}

describe('host gate', () => {
  it('spaces request starts to one host by 1000/rate ms, and leaves other hosts alone', async () => {
    const { time, gate } = gateOf({ ratePerSec: 2 });
    const starts: [string, number][] = [];
    const go = (host: string) =>
      gate.run(host, 0, never, async () => {
        starts.push([host, time.now()]);
        return 'ok';
      });
    const all = Promise.all([go('a'), go('a'), go('a'), go('b'), go('b')]);
    await time.advance(2000);
    expect(await all).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(starts.filter(([h]) => h === 'a').map(([, t]) => t)).toEqual([0, 500, 1000]);
    expect(starts.filter(([h]) => h === 'b').map(([, t]) => t)).toEqual([0, 500]);
  });

  it('takes the largest of --rate and the Crawl-delay a URL brings from robots.txt', async () => {
    const { time, gate } = gateOf({ ratePerSec: 4 });
    const starts: number[] = [];
    const go = (crawlDelayMs: number) =>
      gate.run('h', crawlDelayMs, never, async () => {
        starts.push(time.now());
        return 'ok';
      });
    const all = Promise.all([go(800), go(800), go(800)]);
    await time.advance(2000);
    await all;
    expect(starts).toEqual([0, 800, 1600]);
    expect(gate.intervalMs('h')).toBe(800); // Crawl-delay (800 ms) beats --rate 4 (250 ms)
    expect(gate.intervalMs('other')).toBe(250);
  });

  it('reads a throttle from the result: pauses the host for Retry-After, and raises its interval once per signal', async () => {
    const { time, gate } = gateOf({ throttleOf: throttles(2000) });
    const starts: number[] = [];
    let answer: Answer = 'throttled';
    const go = () =>
      gate.run('h', 0, never, async () => {
        starts.push(time.now());
        return answer;
      });
    // Two requests in flight together both come back throttled: one signal.
    expect(await Promise.all([go(), go()])).toEqual(['throttled', 'throttled']);
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
    const { time, gate } = gateOf({ throttleOf: throttles(null) });
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const p = gate.run('h', 0, never, async () => 'throttled' as const);
      await time.advance(5000);
      await p;
      seen.push(gate.intervalMs('h'));
    }
    expect(seen).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000, 2000]);
  });

  it('caps a huge Retry-After at maxPauseMs', async () => {
    const { time, gate } = gateOf({ maxPauseMs: 1000, throttleOf: throttles(86_400_000) });
    await gate.run('h', 0, never, async () => 'throttled' as const);
    const starts: number[] = [];
    const p = gate.run('h', 0, never, async () => {
      starts.push(time.now());
      return 'ok' as const;
    });
    await time.advance(1500);
    await p;
    expect(starts).toEqual([1000]);
  });

  it('does not hold a global slot while a host waits for its turn', async () => {
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
    const { time, gate } = gateOf({ ratePerSec: 1, enter: counting });
    const runs = Array.from({ length: 5 }, () => gate.run('slow', 0, never, async () => 'ok' as const));
    await time.advance(100);
    // Four are waiting for their turn; none of them is inside the pool.
    expect(held).toBe(0);
    await time.advance(5000);
    await Promise.all(runs);
    expect(maxHeld).toBe(1);
  });

  it('resolves null without running the attempt when the signal aborts during the wait', async () => {
    const { gate } = gateOf({ ratePerSec: 1 });
    await gate.run('h', 0, never, async () => 'ok' as const);
    const stop = new AbortController();
    let ran = false;
    const p = gate.run('h', 0, stop.signal, async () => {
      ran = true;
      return 'ok' as const;
    });
    stop.abort(new Error('stop'));
    expect(await p).toBeNull();
    expect(ran).toBe(false);
  });

  it('resolves null without running the attempt when the signal aborts while it queues for a global slot', async () => {
    let release!: () => void;
    const busy = new Promise<void>((r) => (release = r));
    // A pool of one, held until the test lets go.
    const queue: (() => void)[] = [];
    let inside = false;
    const one: Enter = async (fn) => {
      if (inside) await new Promise<void>((r) => queue.push(r));
      inside = true;
      try {
        return await fn();
      } finally {
        inside = false;
        queue.shift()?.();
      }
    };
    const { gate } = gateOf({ enter: one });
    const first = gate.run('a', 0, never, async () => {
      await busy;
      return 'ok' as const;
    });
    const stop = new AbortController();
    let ran = false;
    const second = gate.run('b', 0, stop.signal, async () => {
      ran = true;
      return 'ok' as const;
    });
    await new Promise<void>((r) => setImmediate(r));
    stop.abort();
    release();
    expect(await first).toBe('ok');
    expect(await second).toBeNull();
    expect(ran).toBe(false);
  });

  it('tells each attempt how long it waited for the host\'s turn', async () => {
    const { time, gate } = gateOf({ ratePerSec: 4 });
    const paced: number[] = [];
    const go = () =>
      gate.run('h', 0, never, async (pacedMs) => {
        paced.push(pacedMs);
        return 'ok';
      });
    const all = Promise.all([go(), go(), go()]);
    await time.advance(1000);
    await all;
    expect(paced).toEqual([0, 250, 500]);
  });

  it('says once per pause when a host is held back for more than 5 s, and why', async () => {
    const waits: [string, number, string][] = [];
    const { time, gate } = gateOf({ throttleOf: throttles(6000), onLongWait: (host, ms, why) => waits.push([host, ms, why]) });
    // Three answers of one burst: one pause.
    await Promise.all([1, 2, 3].map(() => gate.run('h', 0, never, async () => 'throttled' as const)));
    expect(waits).toEqual([['h', 6000, 'Retry-After']]);
    const later = gate.run('h', 7000, never, async () => 'ok' as const);
    await time.advance(20_000);
    await later;
    expect(waits).toEqual([
      ['h', 6000, 'Retry-After'],
      ['h', 7000, 'Crawl-delay in robots.txt, between requests'],
    ]);
  });

  it('says nothing for a pause of 5 s or less', async () => {
    const waits: unknown[] = [];
    const { gate } = gateOf({ throttleOf: throttles(5000), onLongWait: (...w) => waits.push(w) });
    await gate.run('h', 5000, never, async () => 'throttled' as const);
    expect(waits).toEqual([]);
  });
});
