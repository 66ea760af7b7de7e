/**
 * Per-host pacing: when may the next request to a host start. Three things set
 * a host's minimum interval between request starts, and the largest wins:
 *   --rate N            1000/N ms (a token bucket one token deep: no bursts)
 *   robots Crawl-delay  the host's, from the robots.txt verdict each URL brings
 *   back-off            a 429 or 503 doubles the host's interval (from 250 ms)
 *                       and pauses it for Retry-After; each later answer that
 *                       is not a throttle shrinks the penalty by 10%
 * Waiting for a host's turn happens before a global slot is taken and a turn
 * is claimed only inside one, so a slow or throttled host never sits on global
 * slots that other hosts could use.
 */

import { sleep } from '../platform/sleep.js';

/** What the host said about our pace: a throttle (429/503) with its Retry-After, or null. */
export type Throttle = { retryAfterMs: number | null } | null;

/** Enter the global pool: runs `fn` when one of the --concurrency slots is free. */
export type Enter = <T>(fn: () => Promise<T>) => Promise<T>;

export interface GateOptions<R> {
  /** --rate: request starts per second per host; null = unpaced. */
  ratePerSec: number | null;
  /** Cap on a pause or penalty, so a "Retry-After: 86400" cannot park a host for the whole run. */
  maxPauseMs: number;
  /** The global pool an attempt runs in, once its host's turn has come. */
  enter: Enter;
  /** Reads an attempt's result (data): was it the host asking us to slow down? */
  throttleOf(result: R): Throttle;
  /** Hears when a host is held back for longer than LONG_WAIT_MS: why (`Retry-After`, `back-off`, `Crawl-delay`) and for how long. */
  onLongWait?(host: string, ms: number, why: string): void;
}

/** A host held back longer than this is worth one log line: the run looks stuck otherwise. */
export const LONG_WAIT_MS = 5_000;

/** Time, passed in so tests can drive it. `now` is monotonic ms. */
export interface GateTime {
  now(): number;
  /** Resolves true after `ms`, or false as soon as the signal aborts (platform/sleep.ts). */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
}

export interface HostGate<R> {
  /**
   * Run one attempt to `host` when its turn has come and a global slot is free.
   * `crawlDelayMs` is the host's Crawl-delay from robots.txt (0 if none).
   * Resolves null, without running `attempt`, if the signal aborts first.
   * `attempt` hears how long this call waited for the host's turn (ms).
   */
  run(host: string, crawlDelayMs: number, signal: AbortSignal, attempt: (pacedMs: number) => Promise<R>): Promise<R | null>;
  /** Current minimum interval for a host, in ms (for logs and tests). */
  intervalMs(host: string): number;
}

interface HostState {
  lastStart: number;
  /** When the penalty was last raised: throttles of requests sent before it do not raise it again. */
  penalizedAt: number;
  floorMs: number;
  penaltyMs: number;
  pausedUntil: number;
  users: number;
}

const FIRST_PENALTY_MS = 250;
/**
 * The doubling stops here. A host that answers 503 to everything is down, not
 * pacing us: with a 30 s ceiling, 10 such URLs (3 attempts each) took 482 s;
 * at 2 s they cost at most ~2 s per attempt. An explicit Retry-After still
 * pauses the host for as long as it asks, up to --retry-max-wait.
 */
const MAX_PENALTY_MS = 2_000;
/** A penalty eased below this (or below the configured interval) is dropped. */
const MIN_PENALTY_MS = 50;
const EASE = 0.9;
const SWEEP_EVERY = 1024;
/** Inside the pool: another request to the host started while this one queued. */
const NOT_YET = Symbol('not yet');
/** Inside the pool: the signal aborted while this one queued. */
const STOPPED = Symbol('stopped');

export function realGateTime(monotonic: () => number): GateTime {
  return { now: monotonic, sleep };
}

export function createHostGate<R>(opts: GateOptions<R>, time: GateTime): HostGate<R> {
  const { enter, throttleOf } = opts;
  const rateMs = opts.ratePerSec === null ? 0 : 1000 / opts.ratePerSec;
  const hosts = new Map<string, HostState>();
  let runs = 0;

  const interval = (s: HostState): number => Math.max(rateMs, s.floorMs, s.penaltyMs);
  const readyAt = (s: HostState): number => Math.max(s.lastStart + interval(s), s.pausedUntil);
  const idle = (s: HostState, now: number): boolean => s.users === 0 && s.penaltyMs === 0 && readyAt(s) <= now;

  const stateOf = (host: string): HostState => {
    let s = hosts.get(host);
    if (!s) {
      s = { lastStart: -Infinity, penalizedAt: -Infinity, floorMs: 0, penaltyMs: 0, pausedUntil: -Infinity, users: 0 };
      hosts.set(host, s);
    }
    return s;
  };

  // A list of a million hosts must not keep a million states: drop the ones
  // whose pacing no longer constrains anything (Crawl-delay comes back with the
  // next URL's robots verdict, from the robots cache at no cost).
  const sweep = (): void => {
    const now = time.now();
    for (const [host, s] of hosts) if (idle(s, now)) hosts.delete(host);
  };

  const throttled = (host: string, s: HostState, sentAt: number, retryAfterMs: number | null): void => {
    // Requests already in flight at the old pace answer 429 together: that is one
    // signal, not several, so only a request sent after the last raise raises again.
    if (sentAt > s.penalizedAt) {
      s.penaltyMs = Math.min(opts.maxPauseMs, MAX_PENALTY_MS, Math.max(FIRST_PENALTY_MS, 2 * s.penaltyMs, 2 * rateMs));
      s.penalizedAt = time.now();
    }
    const pause = Math.min(opts.maxPauseMs, retryAfterMs ?? s.penaltyMs);
    const until = time.now() + pause;
    // Once per pause: the other answers of the same burst only confirm it.
    if (pause > LONG_WAIT_MS && until > s.pausedUntil + 1000) opts.onLongWait?.(host, pause, retryAfterMs === null ? 'back-off after 429/503' : 'Retry-After');
    s.pausedUntil = Math.max(s.pausedUntil, until);
  };

  const eased = (s: HostState): void => {
    if (s.penaltyMs === 0) return;
    s.penaltyMs *= EASE;
    if (s.penaltyMs <= Math.max(rateMs, s.floorMs, MIN_PENALTY_MS)) s.penaltyMs = 0;
  };

  return {
    async run(host, crawlDelayMs, signal, attempt) {
      const s = stateOf(host);
      if (crawlDelayMs > s.floorMs) {
        if (crawlDelayMs > LONG_WAIT_MS) opts.onLongWait?.(host, crawlDelayMs, 'Crawl-delay in robots.txt, between requests');
        s.floorMs = crawlDelayMs;
      }
      s.users++;
      let pacedMs = 0;
      try {
        for (;;) {
          const wait = readyAt(s) - time.now();
          if (wait > 0) {
            const from = time.now();
            const slept = await time.sleep(Math.ceil(wait), signal);
            pacedMs += time.now() - from;
            if (!slept) return null;
          }
          if (signal.aborted) return null;
          const result = await enter(async () => {
            if (signal.aborted) return STOPPED;
            const sentAt = time.now();
            // Another request to this host started while we queued: wait again, outside the pool.
            if (sentAt < readyAt(s)) return NOT_YET;
            s.lastStart = sentAt;
            const value = await attempt(pacedMs);
            const t = throttleOf(value);
            if (t) throttled(host, s, sentAt, t.retryAfterMs);
            else eased(s);
            return value;
          });
          if (result === STOPPED) return null;
          if (result !== NOT_YET) return result;
        }
      } finally {
        s.users--;
        if (idle(s, time.now())) hosts.delete(host);
        if (++runs % SWEEP_EVERY === 0) sweep();
      }
    },
    intervalMs(host) {
      const s = hosts.get(host);
      return s ? interval(s) : rateMs;
    },
  };
}
