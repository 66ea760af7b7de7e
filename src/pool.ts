import pLimit, { type LimitFunction } from 'p-limit';
import type { HostGate } from './host-gate.js';

export interface PoolOptions {
  concurrency: number;
  perHost: number;
}

/** Runs one attempt when the host's pacing allows and a global slot is free. */
export type Slot = <T>(attempt: () => Promise<T>) => Promise<T>;

export interface LimiterDeps {
  gate: HostGate;
  /** A task's first attempt does not start once this aborts (stop dispatching). */
  stopDispatch: AbortSignal;
  /** Its retries wait until this aborts (requests in flight abandoned). */
  abortInflight: AbortSignal;
}

export type Limiter = <T>(host: string, url: string, task: (slot: Slot) => Promise<T>) => Promise<T>;

/**
 * The global in-flight limit, one limiter per host, and the host gate between
 * them. A task holds its host's slot for its whole life (retries included); each
 * attempt inside it passes the gate (--rate, Crawl-delay, back-off) and only
 * then takes a global slot, which it gives back between attempts. So requests
 * queued behind a busy, paced or throttled host never sit on global slots that
 * other hosts could use. Idle host limiters are dropped, so a list of a million
 * distinct hosts does not keep a million limiters.
 */
export function createLimiter(opts: PoolOptions, deps: LimiterDeps): Limiter & { parked(): number } {
  const global = pLimit(opts.concurrency);
  const enter = <T>(fn: () => Promise<T>): Promise<T> => global(fn);
  const hosts = new Map<string, LimitFunction>();
  // Tasks queued behind their own host's limit: they cost a closure, not a
  // connection, so the reading window does not count them (see forEachBounded).
  let parked = 0;
  const limiter: Limiter = async (host, url, task) => {
    let limit = hosts.get(host);
    if (!limit) {
      limit = pLimit(opts.perHost);
      hosts.set(host, limit);
    }
    let attempts = 0;
    const slot: Slot = (attempt) =>
      deps.gate.run(host, url, attempts++ === 0 ? deps.stopDispatch : deps.abortInflight, enter, attempt);
    parked++;
    try {
      return await limit(() => {
        parked--;
        return task(slot);
      });
    } finally {
      if (limit.activeCount === 0 && limit.pendingCount === 0) hosts.delete(host);
    }
  };
  return Object.assign(limiter, { parked: () => parked });
}

/**
 * How many tasks may wait behind their host beyond the window: enough to see
 * past a long run of one host's URLs. A parked task holds a few KB (its async
 * frames), so this is what bounds that memory: 20,000 cost ~100 MB of heap on a
 * one-host list in the W3 benchmark, 2,000 about a tenth of that.
 */
export const MAX_PARKED = 2_000;

/**
 * Run `work` over a stream of items with at most `maxPending` started and not
 * finished, not counting the `parked()` ones that only wait behind their host's
 * limit (at most MAX_PARKED of those). Reading the input pauses while the window
 * is full, so a huge list is never held in memory; and a long run of one slow or
 * throttled host's URLs parks instead of filling the window, so the URLs of
 * other hosts behind it still start.
 */
export async function forEachBounded<T>(
  items: AsyncIterable<T>,
  maxPending: number,
  stop: AbortSignal,
  work: (item: T) => Promise<void>,
  parked: () => number = () => 0,
): Promise<void> {
  let pending = 0;
  let wake: (() => void) | null = null;
  let firstError: unknown = null;
  const all = new Set<Promise<void>>();
  const it = items[Symbol.asyncIterator]();
  // Waiting for the next input line must not outlive a stop: stdin may be a
  // terminal or a pipe that never sends another line. Not Promise.race against
  // one long-lived "stopped" promise: every race leaves a reaction on it that
  // holds that line's result until the run ends (150,000 promises and every
  // target of a 100k-URL list were still reachable mid-run).
  const nextOrStop = (): Promise<IteratorResult<T>> =>
    new Promise((resolve, reject) => {
      if (stop.aborted) return resolve({ done: true, value: undefined });
      const onAbort = (): void => resolve({ done: true, value: undefined });
      stop.addEventListener('abort', onAbort, { once: true });
      it.next().then(
        (r) => {
          stop.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (err: unknown) => {
          stop.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  for (;;) {
    const next = await nextOrStop();
    if (next.done || stop.aborted) break;
    const item = next.value;
    while (pending - parked() >= maxPending || pending >= maxPending + MAX_PARKED) await new Promise<void>((r) => (wake = r));
    if (stop.aborted) break;
    pending++;
    const p: Promise<void> = work(item)
      .catch((err: unknown) => {
        firstError ??= err;
      })
      .finally(() => {
        pending--;
        all.delete(p);
        const w = wake;
        wake = null;
        w?.();
      });
    all.add(p);
    if (firstError) break;
  }
  // Close the input (file handles, readline) without waiting on a stdin that may never end.
  void it.return?.(undefined)?.catch(() => {});
  await Promise.all(all);
  if (firstError) throw firstError;
}
