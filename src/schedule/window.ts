/**
 * Where the window takes its items, one at a time and only when it has room,
 * so a huge list is never read ahead. schedule/frontier.ts is the scheduler's.
 */
export interface Source<T> {
  /** The next item, or null once there are no more. */
  next(): Promise<T | null>;
  /** Called once the window stops reading (at the end, or early on a stop or failure): let go of files and streams. */
  close(): void;
}

/**
 * An async iterable as a Source: its items in order, read only when asked for.
 * `onEnd` hears how many there were once it has ended (not when reading was
 * cut short by close()).
 */
export function sourceOf<T>(items: AsyncIterable<T>, onEnd?: (total: number) => void): Source<T> {
  const it = items[Symbol.asyncIterator]();
  let total = 0;
  const step = (r: IteratorResult<T>): T | null => {
    if (r.done) {
      onEnd?.(total);
      return null;
    }
    total++;
    return r.value;
  };
  return {
    next: () => it.next().then(step),
    // Without waiting on a stdin that may never end.
    close() {
      void it.return?.(undefined)?.catch(() => {});
    },
  };
}

/**
 * How many items may wait behind their own key (host) beyond the window: enough
 * to see past a long run of one host's URLs. A parked item is only the item (a
 * target of a few hundred bytes), never a started task.
 */
export const MAX_PARKED = 2_000;
/** Items parked in a row before the reader lets I/O (connects, responses) run. */
const PARK_BATCH = 32;

export interface BoundedOptions<T> {
  /** Items started and not finished, at most. */
  maxPending: number;
  /** Once aborted, no item starts: not the next input line, not a parked one. */
  stop: AbortSignal;
  /** The item's key (its host), or null for items no key limit applies to. */
  keyOf?: (item: T) => string | null;
  /** Items of one key admitted at a time, until each calls its `release` (or ends). */
  perKey?: number;
}

/** `work` for one item: its admission's `release`, and the key keyOf gave it. */
export type BoundedWork<T> = (item: T, release: () => void, key: string | null) => Promise<void>;

/**
 * Run `work` over a stream of items with at most `maxPending` started and not
 * finished, and at most `perKey` admitted per key. Reading the input pauses
 * while the window is full, so a huge list is never held in memory. An item
 * whose key is at its limit parks (up to MAX_PARKED of them) and starts, in
 * order, when that key frees up, so a long run of one slow or throttled host's
 * URLs does not hold back the other hosts' URLs behind it.
 *
 * Parked items are stored as they are, not as started tasks: a task waiting
 * behind a p-limit queue outlives many young-generation GCs, gets promoted, and
 * then keeps whatever it last touched (a response, a page) alive until the next
 * full GC. Made plain items, W1's peak RSS went from 219 to 165 MB.
 *
 * `work` gets a `release` to give its key's admission back early (after the
 * fetch, before parsing); it is released at the latest when `work` settles.
 */
export async function forEachBounded<T>(
  items: Source<T>,
  opts: BoundedOptions<T>,
  work: BoundedWork<T>,
): Promise<void> {
  const { maxPending, stop } = opts;
  const keyOf = opts.keyOf ?? (() => null);
  const perKey = opts.perKey ?? Infinity;
  let pending = 0;
  let parked = 0;
  let wake: (() => void) | null = null;
  // A flag, not a test of the error: a work function may reject with undefined.
  let failed = false;
  let firstError: unknown;
  const all = new Set<Promise<void>>();
  const admitted = new Map<string, number>();
  const waiting = new Map<string, T[]>();
  // Keys with parked items and a free admission, in the order they freed up.
  const ready: string[] = [];

  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const start = (item: T, key: string | null): void => {
    pending++;
    if (key !== null) admitted.set(key, (admitted.get(key) ?? 0) + 1);
    let released = key === null;
    const release = (): void => {
      if (released) return;
      released = true;
      const left = admitted.get(key!)! - 1;
      if (left === 0) admitted.delete(key!);
      else admitted.set(key!, left);
      if (waiting.has(key!)) ready.push(key!);
      pump();
      // The reader may be holding an item of this key that can start now.
      notify();
    };
    const p: Promise<void> = work(item, release, key)
      .catch((err: unknown) => {
        if (!failed) {
          failed = true;
          firstError = err;
        }
      })
      .finally(() => {
        pending--;
        all.delete(p);
        release();
        pump();
        notify();
      });
    all.add(p);
  };
  // Start parked items whose key has room, while the window does.
  const pump = (): void => {
    while (pending < maxPending && ready.length > 0 && !stop.aborted && !failed) {
      const key = ready.shift()!;
      const queue = waiting.get(key);
      if (!queue || (admitted.get(key) ?? 0) >= perKey) continue;
      const item = queue.shift()!;
      parked--;
      if (queue.length === 0) waiting.delete(key);
      else if ((admitted.get(key) ?? 0) + 1 < perKey) ready.push(key);
      start(item, key);
      notify();
    }
  };

  // Waiting for the next input line must not outlive a stop: stdin may be a
  // terminal or a pipe that never sends another line. Not Promise.race against
  // one long-lived "stopped" promise: every race leaves a reaction on it that
  // holds that line's result until the run ends (150,000 promises and every
  // target of a 100k-URL list were still reachable mid-run).
  const nextOrStop = (): Promise<T | null> =>
    new Promise((resolve, reject) => {
      if (stop.aborted) return resolve(null);
      const onAbort = (): void => resolve(null);
      stop.addEventListener('abort', onAbort, { once: true });
      items.next().then(
        (item) => {
          stop.removeEventListener('abort', onAbort);
          resolve(item);
        },
        (err: unknown) => {
          stop.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  const onStop = (): void => notify();
  stop.addEventListener('abort', onStop, { once: true });
  let inputError: { err: unknown } | null = null;
  let parkedSinceYield = 0;
  try {
    reading: for (;;) {
      const item = await nextOrStop();
      if (item === null || stop.aborted) break;
      const key = keyOf(item);
      for (;;) {
        if (stop.aborted || failed) break reading;
        // Parked items go before new ones: after this, room in the window means none can start.
        pump();
        const full = key !== null && (admitted.get(key) ?? 0) >= perKey;
        if (!full && pending < maxPending) {
          start(item, key);
          break;
        }
        if (full && parked < MAX_PARKED) {
          let queue = waiting.get(key);
          if (!queue) {
            queue = [];
            waiting.set(key, queue);
          }
          queue.push(item);
          parked++;
          // Reading ahead to park items must not hold the event loop: lines a
          // file already buffered come without a pause, and a one-host list used
          // to park ~1,000 URLs (11 ms) before the first requests could connect.
          if (++parkedSinceYield >= PARK_BATCH) {
            parkedSinceYield = 0;
            await new Promise<void>((r) => setImmediate(r));
          }
          break;
        }
        await new Promise<void>((r) => (wake = r));
      }
    }
  } catch (err) {
    // The input failed (unreadable file, a bug in keyOf): nothing new starts,
    // and what already started still finishes, as after a work failure.
    inputError = { err };
    failed = true;
  } finally {
    stop.removeEventListener('abort', onStop);
    // Close the input (file handles, readline) without waiting on a stdin that may never end.
    items.close();
  }
  // Parked items still start as their hosts free up, unless the run stopped.
  while (all.size > 0) await Promise.all([...all]);
  if (inputError) throw inputError.err;
  if (failed) throw firstError;
}
