import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import type { RecordError, Timing } from '../record.js';
import { attempt, type AttemptSettings } from './attempt.js';
import { classify } from './classify.js';
import { FetchFailure } from './failure.js';
import { backoffMs, isRetryableCode } from './retry.js';
import type { Robots } from './robots.js';

interface OutcomeBase {
  status: number | null;
  finalUrl: string | null;
  contentType: string | null;
  timing: Timing;
  attempts: number;
}
export type FetchOutcome = (OutcomeBase & { ok: true; body: Buffer }) | (OutcomeBase & { ok: false; error: RecordError });

export interface FetchSettings extends AttemptSettings {
  timeoutMs: number;
  retries: number;
  retryMaxWaitMs: number;
}

export interface FetcherDeps {
  dispatcher: Dispatcher;
  clock: Clock;
  robots: Robots | null;
  random?: () => number;
}

export type Fetcher = (url: string, stop: AbortSignal) => Promise<FetchOutcome>;

/** Sleep that ends early (resolving false) when the run is stopping. */
function sleep(ms: number, stop: AbortSignal): Promise<boolean> {
  if (stop.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      stop.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    stop.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The per-URL fetch: attempts with a hard total deadline each (our own timer, so
 * a trickling body cannot outlive --timeout), retries with back-off and
 * Retry-After, and every failure returned as data.
 */
export function createFetcher(settings: FetchSettings, deps: FetcherDeps): Fetcher {
  const { clock } = deps;
  const random = deps.random ?? Math.random;
  const allow = deps.robots ? deps.robots.check : undefined;
  const attemptDeps = { dispatcher: deps.dispatcher, monotonic: clock.monotonic, now: clock.now, allow };

  return async (url, stop) => {
    const startMs = clock.now();
    const t0 = clock.monotonic();
    const timing = (ttfbMs: number | null): Timing => ({ startMs, ttfbMs, totalMs: Math.round(clock.monotonic() - t0) });
    for (let attempts = 1; ; attempts++) {
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), settings.timeoutMs);
      const signal = AbortSignal.any([deadline.signal, stop]);
      let failure: FetchFailure;
      try {
        const res = await attempt(url, settings, attemptDeps, signal);
        return {
          ok: true,
          status: res.status,
          finalUrl: res.finalUrl,
          contentType: res.contentType,
          body: res.body,
          timing: timing(Math.round(res.ttfbMs)),
          attempts,
        };
      } catch (err) {
        const f = classify(err);
        if (deadline.signal.aborted && !stop.aborted) {
          failure = new FetchFailure('TIMEOUT', `no complete response within --timeout ${settings.timeoutMs} ms`, f.status, f.response);
        } else if (stop.aborted) {
          failure = new FetchFailure('ABORTED', 'stopped by a signal', f.status, f.response);
        } else {
          failure = f;
        }
      } finally {
        clearTimeout(timer);
      }
      const fail = (message = failure.message): FetchOutcome => ({
        ok: false,
        status: failure.status,
        finalUrl: failure.response.finalUrl,
        contentType: failure.response.contentType,
        error: { code: failure.code, message },
        timing: timing(null),
        attempts,
      });
      if (attempts > settings.retries || !isRetryableCode(failure.code, failure.status) || stop.aborted) return fail();
      const wait = failure.retryAfterMs ?? backoffMs(attempts, random);
      if (failure.retryAfterMs !== null && failure.retryAfterMs > settings.retryMaxWaitMs) {
        return fail(`${failure.message}; Retry-After ${Math.ceil(failure.retryAfterMs / 1000)} s exceeds the ${settings.retryMaxWaitMs / 1000} s cap`);
      }
      if (!(await sleep(wait, stop))) return fail();
    }
  };
}
