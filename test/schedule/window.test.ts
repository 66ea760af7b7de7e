import { describe, expect, it } from 'vitest';
import { forEachBounded, MAX_PARKED, sourceOf, type Source } from '../../src/schedule/window.js';

/** One call of `work`, settled from the test. */
interface Call<T> {
  item: T;
  release: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
  settled: boolean;
}

/**
 * Controllable work: every call is recorded and stays running until the test
 * resolves (or rejects) it. Tracks how many calls are running at once, overall
 * and per key, and the peaks of both.
 */
function controlledWork<T>(keyOf: (item: T) => string | null = () => null) {
  const calls: Call<T>[] = [];
  const runningByKey = new Map<string, number>();
  const stats = { running: 0, maxRunning: 0, maxRunningPerKey: 0 };
  // Items whose work should resolve as soon as it starts.
  let autoResolve = false;

  const work = (item: T, release: () => void): Promise<void> =>
    new Promise<void>((res, rej) => {
      const key = keyOf(item);
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      if (key !== null) {
        const n = (runningByKey.get(key) ?? 0) + 1;
        runningByKey.set(key, n);
        stats.maxRunningPerKey = Math.max(stats.maxRunningPerKey, n);
      }
      const finish = (): boolean => {
        if (call.settled) return false;
        call.settled = true;
        stats.running--;
        if (key !== null) runningByKey.set(key, runningByKey.get(key)! - 1);
        return true;
      };
      const call: Call<T> = {
        item,
        release,
        settled: false,
        resolve: () => {
          if (finish()) res();
        },
        reject: (err) => {
          if (finish()) rej(err);
        },
      };
      calls.push(call);
      if (autoResolve) call.resolve();
    });

  return {
    work,
    calls,
    stats,
    /** Items of the calls so far, in the order they started. */
    started: (): T[] => calls.map((c) => c.item),
    running: (): Call<T>[] => calls.filter((c) => !c.settled),
    setAutoResolve: (on: boolean): void => {
      autoResolve = on;
    },
  };
}

/** A Source over `list` (an async generator) that counts how many items it has yielded. */
function countedSource<T>(list: readonly T[]) {
  const state = { yielded: 0, done: false };
  async function* gen(): AsyncGenerator<T> {
    for (const x of list) {
      state.yielded++;
      yield x;
    }
    state.done = true;
  }
  return { items: sourceOf(gen()), state };
}

/** Let every pending promise chain and I/O callback run. */
async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Observe a promise's outcome without awaiting it (and without unhandled rejections). */
function track(p: Promise<void>) {
  const state: { settled: boolean; resolved: boolean; error: unknown } = { settled: false, resolved: false, error: undefined };
  p.then(
    () => {
      state.settled = true;
      state.resolved = true;
    },
    (err: unknown) => {
      state.settled = true;
      state.error = err;
    },
  );
  return state;
}

/** Items like 'a0', 'a1', 'b0': the key is the letters before the index. */
const hostOf = (item: string): string => item.replace(/\d+$/, '');

describe('forEachBounded', () => {
  it('never has more than maxPending items started and unfinished, and pauses reading while the window is full (null keys)', async () => {
    const list = Array.from({ length: 12 }, (_, i) => i);
    const src = countedSource(list);
    const w = controlledWork<number>();
    // perKey 1 must not apply: a null key has no per-key limit.
    const run = track(forEachBounded(src.items, { maxPending: 3, stop: new AbortController().signal, keyOf: () => null, perKey: 1 }, w.work));

    await flush();
    expect(w.started()).toEqual([0, 1, 2]);
    // The fourth item may be read and held, but no further.
    expect(src.state.yielded).toBeLessThanOrEqual(4);

    // Finish them in a shuffled order; each finish lets exactly one more start.
    while (w.running().length > 0) {
      const running = w.running();
      const pick = running[running.length > 1 ? 1 : 0]!;
      pick.resolve();
      await flush();
      expect(w.stats.running).toBeLessThanOrEqual(3);
      expect(src.state.yielded).toBeLessThanOrEqual(w.calls.length + 1);
      expect(run.settled).toBe(w.running().length === 0);
    }

    expect(w.stats.maxRunning).toBe(3);
    expect(w.started().sort((a, b) => a - b)).toEqual(list);
    expect(run.resolved).toBe(true);
  });

  it('admits at most perKey items of one key at a time, and runs them all in input order', async () => {
    const list = Array.from({ length: 7 }, (_, i) => `a${i}`);
    const w = controlledWork<string>(hostOf);
    const run = track(
      forEachBounded(countedSource(list).items, { maxPending: 10, stop: new AbortController().signal, keyOf: hostOf, perKey: 2 }, w.work),
    );

    await flush();
    expect(w.started()).toEqual(['a0', 'a1']);

    // Always finish the most recently started one, so order of finishing differs from input order.
    while (w.running().length > 0) {
      w.running().at(-1)!.resolve();
      await flush();
      expect(w.stats.running).toBeLessThanOrEqual(2);
    }

    expect(w.stats.maxRunningPerKey).toBe(2);
    expect(w.started()).toEqual(list);
    expect(run.resolved).toBe(true);
  });

  it('does not let a key at its limit hold back the other keys behind it', async () => {
    const list = ['a0', 'a1', 'a2', 'a3', 'a4', 'b0'];
    const w = controlledWork<string>(hostOf);
    const run = track(
      forEachBounded(countedSource(list).items, { maxPending: 10, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work),
    );

    await flush();
    expect(w.started()).toEqual(['a0', 'b0']);
    expect(w.calls[0]!.settled).toBe(false);

    while (w.running().length > 0) {
      for (const c of w.running()) c.resolve();
      await flush();
    }
    expect(w.started()).toEqual(['a0', 'b0', 'a1', 'a2', 'a3', 'a4']);
    expect(w.stats.maxRunningPerKey).toBe(1);
    expect(run.resolved).toBe(true);
  });

  it('starts the next parked item of a key on early release, while the released item still counts against maxPending', async () => {
    const list = ['a0', 'a1', 'a2'];
    const w = controlledWork<string>(hostOf);
    const run = track(
      forEachBounded(countedSource(list).items, { maxPending: 2, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work),
    );

    await flush();
    expect(w.started()).toEqual(['a0']);

    // a0 gives its admission back but keeps running: a1 may start.
    w.calls[0]!.release();
    await flush();
    expect(w.started()).toEqual(['a0', 'a1']);
    expect(w.calls[0]!.settled).toBe(false);

    // Key 'a' is free again, but a0 and a1 are both still running: the window (2) is full.
    w.calls[1]!.release();
    await flush();
    expect(w.started()).toEqual(['a0', 'a1']);

    // a0 finishes: the window has room and key 'a' is free, so a2 starts.
    w.calls[0]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'a1', 'a2']);

    w.calls[1]!.resolve();
    w.calls[2]!.resolve();
    await flush();
    expect(run.resolved).toBe(true);
  });

  it('counts one admission per item however often release is called, and on settle after release', async () => {
    const list = ['a0', 'a1', 'a2', 'a3'];
    const w = controlledWork<string>(hostOf);
    const run = track(
      forEachBounded(countedSource(list).items, { maxPending: 10, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work),
    );

    await flush();
    w.calls[0]!.release();
    await flush();
    expect(w.started()).toEqual(['a0', 'a1']);

    // a0 releasing again, or settling, must not free a1's admission.
    w.calls[0]!.release();
    await flush();
    expect(w.started()).toEqual(['a0', 'a1']);
    w.calls[0]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'a1']);

    // a1 settles without an explicit release: its admission ends then.
    w.calls[1]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'a1', 'a2']);

    w.setAutoResolve(true);
    w.calls[2]!.resolve();
    await flush();
    expect(w.started()).toEqual(list);
    expect(run.resolved).toBe(true);
  });

  it('starts a freed key\'s parked item only when the window has room, in the order keys freed up', async () => {
    // a0 and b0 fill the window (2); a1 and b1 park behind their keys.
    const list = ['a0', 'b0', 'a1', 'b1'];
    const w = controlledWork<string>(hostOf);
    const run = track(
      forEachBounded(countedSource(list).items, { maxPending: 2, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work),
    );

    await flush();
    expect(w.started()).toEqual(['a0', 'b0']);

    // Key 'a' frees up first, but the window is full.
    w.calls[0]!.release();
    await flush();
    expect(w.started()).toEqual(['a0', 'b0']);

    // b0 finishes: one slot, and 'a' freed up before 'b'.
    w.calls[1]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'b0', 'a1']);

    w.calls[0]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'b0', 'a1', 'b1']);

    w.calls[2]!.resolve();
    w.calls[3]!.resolve();
    await flush();
    expect(run.resolved).toBe(true);
  });

  it('parks at most MAX_PARKED items: reading pauses while one key is blocked, and everything completes once it is not', async () => {
    expect(MAX_PARKED).toBeGreaterThan(0);
    const total = MAX_PARKED + 500;
    const list = Array.from({ length: total }, (_, i) => `a${i}`);
    const src = countedSource(list);
    const w = controlledWork<string>(hostOf);
    const run = track(forEachBounded(src.items, { maxPending: 10, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work));

    // The reader lets I/O run after every few parked items, so parking MAX_PARKED takes many turns.
    await flush(200);
    expect(w.started()).toEqual(['a0']);
    // a0 running, MAX_PARKED parked, one more read and held waiting: nothing beyond (bar a little slack).
    expect(src.state.yielded).toBeGreaterThanOrEqual(MAX_PARKED + 1);
    expect(src.state.yielded).toBeLessThanOrEqual(MAX_PARKED + 4);
    await flush(200);
    expect(src.state.yielded).toBeLessThanOrEqual(MAX_PARKED + 4);

    w.setAutoResolve(true);
    w.calls[0]!.resolve();
    const deadline = Date.now() + 5_000;
    while (!run.settled && Date.now() < deadline) await flush(1);

    expect(run.resolved).toBe(true);
    expect(src.state.done).toBe(true);
    expect(w.started()).toEqual(list);
    expect(w.stats.maxRunningPerKey).toBe(1);
  });

  it('starts nothing once stop aborts, neither parked items nor new input, and resolves when the running items finish', async () => {
    // a0, b0, c0 fill the window (3); a1, a2 park; d0 is read and waits for the window.
    const list = ['a0', 'a1', 'a2', 'b0', 'c0', 'd0', 'e0', 'f0'];
    const src = countedSource(list);
    const w = controlledWork<string>(hostOf);
    const ac = new AbortController();
    const run = track(forEachBounded(src.items, { maxPending: 3, stop: ac.signal, keyOf: hostOf, perKey: 1 }, w.work));

    await flush();
    expect(w.started()).toEqual(['a0', 'b0', 'c0']);
    const readBeforeStop = src.state.yielded;
    expect(readBeforeStop).toBeLessThan(list.length);

    ac.abort();
    await flush();
    expect(run.settled).toBe(false);

    // Key 'a' frees up while the window has room (after b0): a1 must still not start.
    w.calls[0]!.release();
    w.calls[1]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'b0', 'c0']);
    expect(run.settled).toBe(false);

    w.calls[0]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'b0', 'c0']);
    expect(run.settled).toBe(false);

    w.calls[2]!.resolve();
    await flush();
    expect(run.resolved).toBe(true);
    expect(w.started()).toEqual(['a0', 'b0', 'c0']);
    expect(src.state.yielded).toBe(readBeforeStop);
  });

  it('rejects with the error from work, after the started work settles, and starts nothing more', async () => {
    const list = ['a0', 'a1', 'b0', 'c0', 'd0', 'e0'];
    const w = controlledWork<string>(hostOf);
    const run = track(
      forEachBounded(countedSource(list).items, { maxPending: 2, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work),
    );

    await flush();
    expect(w.started()).toEqual(['a0', 'b0']);

    const boom = new Error('boom');
    w.calls[1]!.reject(boom);
    await flush();
    // b0's slot is free but nothing new starts; a0 still runs, so no verdict yet.
    expect(w.started()).toEqual(['a0', 'b0']);
    expect(run.settled).toBe(false);

    // a0 finishing frees key 'a' too: the parked a1 must not start either.
    w.calls[0]!.resolve();
    await flush();
    expect(w.started()).toEqual(['a0', 'b0']);
    expect(run.settled).toBe(true);
    expect(run.resolved).toBe(false);
    expect(run.error).toBe(boom);
  });

  it('resolves after stop even while the input is waiting forever for its next item', async () => {
    async function* hanging(): AsyncGenerator<string> {
      yield 'a0';
      await new Promise<never>(() => {});
    }
    const w = controlledWork<string>(hostOf);
    const ac = new AbortController();
    const run = track(forEachBounded(sourceOf(hanging()), { maxPending: 5, stop: ac.signal, keyOf: hostOf, perKey: 1 }, w.work));

    await flush();
    expect(w.started()).toEqual(['a0']);
    // Input exhausted? No: it hangs, so even with a0 finished the run goes on.
    w.calls[0]!.resolve();
    await flush();
    expect(run.settled).toBe(false);

    ac.abort();
    await flush();
    expect(run.resolved).toBe(true);
    expect(w.started()).toEqual(['a0']);
  });

  it('resolves after stop with the input hanging, once the item still running finishes', async () => {
    async function* hanging(): AsyncGenerator<number> {
      yield 1;
      await new Promise<never>(() => {});
    }
    const w = controlledWork<number>();
    const ac = new AbortController();
    const run = track(forEachBounded(sourceOf(hanging()), { maxPending: 5, stop: ac.signal }, w.work));

    await flush();
    expect(w.started()).toEqual([1]);
    ac.abort();
    await flush();
    expect(run.settled).toBe(false);

    w.calls[0]!.resolve();
    await flush();
    expect(run.resolved).toBe(true);
  });

  it('resolves at once with empty input and when stop is already aborted', async () => {
    const w = controlledWork<number>();
    await forEachBounded(countedSource<number>([]).items, { maxPending: 2, stop: new AbortController().signal }, w.work);
    expect(w.calls).toHaveLength(0);

    const src = countedSource([1, 2, 3]);
    await forEachBounded(src.items, { maxPending: 2, stop: AbortSignal.abort() }, w.work);
    expect(w.calls).toHaveLength(0);
    expect(src.state.yielded).toBe(0);
  });

  it('an input that fails stops new starts but still waits for the work already started', async () => {
    const w = controlledWork(hostOf);
    async function* failing(): AsyncGenerator<string> {
      yield 'a0';
      throw new Error('input broke');
    }
    const out = track(forEachBounded(sourceOf(failing()), { maxPending: 4, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work));
    await flush();
    expect(w.started()).toEqual(['a0']);
    expect(out.settled).toBe(false);
    w.calls[0]!.resolve();
    await flush();
    expect(out.settled).toBe(true);
    expect((out.error as Error).message).toBe('input broke');
  });

  it('a work that rejects with undefined still fails the run', async () => {
    const w = controlledWork<string>();
    const src = countedSource(['x0', 'x1', 'x2']);
    const out = track(forEachBounded(src.items, { maxPending: 1, stop: new AbortController().signal }, w.work));
    await flush();
    w.calls[0]!.reject(undefined);
    await flush();
    expect(out.settled).toBe(true);
    expect(out.resolved).toBe(false);
    expect(w.started()).toEqual(['x0']);
  });

  it('an early release lets a held item of that key start at once, even with the parking lot full', async () => {
    const w = controlledWork(hostOf);
    // x0 runs; MAX_PARKED items of key p park behind p0; then x1 is read and held (lot full).
    const list = ['x0', 'p0', ...Array.from({ length: MAX_PARKED }, (_, i) => `p${i + 1}`), 'x1'];
    const src = countedSource(list);
    const out = track(forEachBounded(src.items, { maxPending: 10, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work));
    await flush(200);
    expect(w.started()).toEqual(['x0', 'p0']);
    expect(src.state.yielded).toBe(list.length);
    w.calls[0]!.release();
    await flush();
    expect(w.started()).toEqual(['x0', 'p0', 'x1']);
    w.setAutoResolve(true);
    for (const c of w.running()) c.resolve();
    await flush(50);
    expect(out.resolved).toBe(true);
    expect(w.calls).toHaveLength(list.length);
  });

  it('lets I/O run while it parks a long run of one key (a timer fires before the lot fills)', async () => {
    const list = Array.from({ length: MAX_PARKED + 1 }, (_, i) => `a${i}`);
    const src = countedSource(list);
    const w = controlledWork<string>(hostOf);
    let parkedWhenTimerRan = -1;
    setTimeout(() => (parkedWhenTimerRan = src.state.yielded), 0);
    const out = track(forEachBounded(src.items, { maxPending: 10, stop: new AbortController().signal, keyOf: hostOf, perKey: 1 }, w.work));
    await flush(200);
    expect(src.state.yielded).toBe(list.length);
    expect(parkedWhenTimerRan).toBeGreaterThan(0);
    expect(parkedWhenTimerRan).toBeLessThan(list.length / 2);
    w.setAutoResolve(true);
    w.calls[0]!.resolve();
    const deadline = Date.now() + 5_000;
    while (!out.settled && Date.now() < deadline) await flush(1);
    expect(out.resolved).toBe(true);
  });

  it('hands each work call the key keyOf gave its item', async () => {
    const seen: [string, string | null][] = [];
    const src = countedSource(['a0', 'b0', 'a1', '-']);
    const keyOf = (item: string): string | null => (item === '-' ? null : hostOf(item));
    await forEachBounded(src.items, { maxPending: 4, stop: new AbortController().signal, keyOf, perKey: 1 }, async (item, _release, key) => {
      seen.push([item, key]);
    });
    expect(seen.sort()).toEqual([['-', null], ['a0', 'a'], ['a1', 'a'], ['b0', 'b']]);
  });
});

describe('sourceOf', () => {
  it('reads an item only when asked, and says how many there were once the input ends', async () => {
    const read: number[] = [];
    async function* gen(): AsyncGenerator<number> {
      for (const n of [1, 2]) {
        read.push(n);
        yield n;
      }
    }
    let total: number | null = null;
    const src = sourceOf(gen(), (n) => (total = n));
    expect(read).toEqual([]);
    expect(await src.next()).toBe(1);
    expect(read).toEqual([1]);
    expect(await src.next()).toBe(2);
    expect(total).toBeNull();
    expect(await src.next()).toBeNull();
    expect(total).toBe(2);
  });

  it('close() ends the iterator early (its finally runs), and then no end is reported', async () => {
    let closed = false;
    async function* gen(): AsyncGenerator<number> {
      try {
        yield 1;
        yield 2;
      } finally {
        closed = true;
      }
    }
    let total: number | null = null;
    const src = sourceOf(gen(), (n) => (total = n));
    expect(await src.next()).toBe(1);
    src.close();
    await flush();
    expect(closed).toBe(true);
    expect(total).toBeNull();
  });
});

describe('forEachBounded and its source', () => {
  it('closes the source when a stop ends reading, even while the source is waiting for its next item', async () => {
    let closed = 0;
    const items = ['a0', 'b0'];
    const source: Source<string> = {
      next: () => (items.length > 0 ? Promise.resolve(items.shift()!) : new Promise<never>(() => {})),
      close: () => void closed++,
    };
    const ac = new AbortController();
    const w = controlledWork<string>(hostOf);
    w.setAutoResolve(true);
    const run = track(forEachBounded(source, { maxPending: 4, stop: ac.signal, keyOf: hostOf, perKey: 1 }, w.work));
    await flush();
    expect(w.started()).toEqual(['a0', 'b0']);
    expect(closed).toBe(0);
    ac.abort();
    await flush();
    expect(run.resolved).toBe(true);
    expect(closed).toBe(1);
  });

  it('closes the source once it has ended too (a no-op for a finished iterator)', async () => {
    let closed = 0;
    const items = ['a0'];
    const source: Source<string> = { next: async () => items.shift() ?? null, close: () => void closed++ };
    await forEachBounded(source, { maxPending: 4, stop: new AbortController().signal }, async () => {});
    expect(closed).toBe(1);
  });
});
