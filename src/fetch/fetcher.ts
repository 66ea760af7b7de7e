import type { Dispatcher } from 'undici';
import type { Clock } from '../platform/clock.js';
import type { RecordError, Timing } from '../record/record.js';
import { attempt, type AttemptSettings } from './attempt.js';
import { classify } from './classify.js';
import { FetchFailure } from './failure.js';
import { backoffMs, isRetryableCode } from './retry.js';
import { sleep } from '../platform/sleep.js';

interface OutcomeBase {
  status: number | null;
  finalUrl: string | null;
  contentType: string | null;
  timing: Timing;
  attempts: number;
}
/** `etag`/`lastModified`: the response's validators, for the next run's conditional request (--cache-dir). */
export type FetchOutcome =
  | (OutcomeBase & { ok: true; body: Buffer; etag?: string | null; lastModified?: string | null })
  | (OutcomeBase & { ok: false; error: RecordError });

export interface FetchSettings extends AttemptSettings {
  timeoutMs: number;
  retries: number;
  retryMaxWaitMs: number;
}

export interface FetcherDeps {
  dispatcher: Dispatcher;
  clock: Clock;
  /** A failure when policy (robots.txt) forbids fetching a URL, checked before each hop. */
  allow?: (url: string, signal: AbortSignal) => Promise<FetchFailure | null>;
  random?: () => number;
}

/** Per-URL additions to a fetch, from the stages around it. */
export interface FetchHooks {
  /** Extra request headers for this URL only: the validators of a conditional request. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Wraps each attempt: waits for the host's turn and a global slot (pool.ts).
   * A rejection before calling the attempt means it never started.
   */
  slot?: <T>(attempt: () => Promise<T>) => Promise<T>;
}

export type Fetcher = (url: string, stop: AbortSignal, hooks?: FetchHooks) => Promise<FetchOutcome>;

/**
 * The per-URL fetch: attempts with a hard total deadline each (our own timer, so
 * a trickling body cannot outlive --timeout), retries with back-off and
 * Retry-After, and every failure returned as data.
 */
export function createFetcher(settings: FetchSettings, deps: FetcherDeps): Fetcher {
  const { clock } = deps;
  const random = deps.random ?? Math.random;
  const attemptDeps = { dispatcher: deps.dispatcher, monotonic: clock.monotonic, now: clock.now, allow: deps.allow };

  return async (url, stop, hooks = {}) => {
    const attemptSettings = hooks.headers ? { ...settings, headers: { ...settings.headers, ...hooks.headers } } : settings;
    const slot = hooks.slot ?? (<T>(fn: () => Promise<T>): Promise<T> => fn());
    // Timing starts with the first attempt, not with the wait for a turn.
    let startMs: number | null = null;
    let t0 = 0;
    const timing = (ttfbMs: number | null): Timing =>
      startMs === null ? { startMs: clock.now(), ttfbMs, totalMs: 0 } : { startMs, ttfbMs, totalMs: Math.round(clock.monotonic() - t0) };
    for (let attempts = 1; ; attempts++) {
      const deadline = new AbortController();
      const onStop = (): void => deadline.abort();
      let timer: NodeJS.Timeout | undefined;
      let started = false;
      let failure: FetchFailure;
      try {
        const res = await slot(() => {
          started = true;
          if (startMs === null) {
            startMs = clock.now();
            t0 = clock.monotonic();
          }
          timer = setTimeout(() => deadline.abort(), settings.timeoutMs);
          // One signal per attempt that a stop also aborts: AbortSignal.any() costs
          // more per request on Node 20 (it showed in the W1 profile).
          if (stop.aborted) deadline.abort();
          else stop.addEventListener('abort', onStop, { once: true });
          return attempt(url, attemptSettings, attemptDeps, deadline.signal);
        });
        return {
          ok: true,
          status: res.status,
          finalUrl: res.finalUrl,
          contentType: res.contentType,
          body: res.body,
          timing: timing(Math.round(res.ttfbMs)),
          attempts,
          etag: res.etag,
          lastModified: res.lastModified,
        };
      } catch (err) {
        const f = classify(err);
        if (!started) {
          // The run stopped while this attempt waited for its turn: it made no request.
          failure = new FetchFailure('ABORTED', 'stopped before the request started');
        } else if (deadline.signal.aborted && !stop.aborted) {
          failure = new FetchFailure('TIMEOUT', `no complete response within --timeout ${settings.timeoutMs} ms`, f.status, f.response);
        } else if (stop.aborted) {
          failure = new FetchFailure('ABORTED', 'stopped by a signal', f.status, f.response);
        } else {
          failure = f;
        }
      } finally {
        clearTimeout(timer);
        stop.removeEventListener('abort', onStop);
      }
      const fail = (message = failure.message): FetchOutcome => ({
        ok: false,
        status: failure.status,
        finalUrl: failure.response.finalUrl,
        contentType: failure.response.contentType,
        error: { code: failure.code, message },
        timing: timing(failure.response.ttfbMs ?? null),
        // `attempts` counts requests made: robots.txt refusing the URL made none.
        attempts: started && failure.code !== 'ROBOTS_DISALLOWED' ? attempts : attempts - 1,
      });
      if (!started) return fail();
      if (attempts > settings.retries || !isRetryableCode(failure.code, failure.status) || stop.aborted) return fail();
      const wait = failure.retryAfterMs ?? backoffMs(attempts, random);
      if (failure.retryAfterMs !== null && failure.retryAfterMs > settings.retryMaxWaitMs) {
        return fail(`${failure.message}; Retry-After ${Math.ceil(failure.retryAfterMs / 1000)} s exceeds the ${settings.retryMaxWaitMs / 1000} s cap`);
      }
      if (!(await sleep(wait, stop))) return fail();
    }
  };
}
