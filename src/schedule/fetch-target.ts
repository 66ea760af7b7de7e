import { attempt, type AttemptDeps, type AttemptResult, type AttemptSettings, type FinalResponse, type ResponseMeta } from '../fetch/attempt.js';
import type { Clock } from '../platform/clock.js';
import type { RecordError, Timing } from '../record/record.js';
import type { Enter, HostGate } from './host-gate.js';
import { afterFailure, type RetrySettings } from './retry-policy.js';
import type { HostHealth } from './host-health.js';
import type { Robots } from './robots.js';
import type { UrlTarget } from './target.js';

/**
 * What became of a URL: fetched, failed (a record either way), or stopped by
 * the run before it finished (no record). `attempted` says whether a request
 * had been made: a URL stopped before its first attempt was not started, one
 * abandoned in flight was (the run counts those).
 */
export type TargetOutcome =
  | { readonly kind: 'fetched'; readonly response: FinalResponse; readonly timing: Timing; readonly attempts: number }
  | {
      readonly kind: 'failed';
      readonly error: RecordError;
      readonly status: number | null;
      readonly finalUrl: string | null;
      readonly contentType: string | null;
      readonly timing: Timing;
      readonly attempts: number;
      /** What the failed attempt knew of its responses (absent when none was made). */
      readonly meta?: Partial<ResponseMeta>;
    }
  | { readonly kind: 'stopped'; readonly attempted: boolean };

export interface TargetFetchSettings extends AttemptSettings, RetrySettings {}

export interface TargetFetchDeps {
  gate: HostGate<AttemptResult>;
  /** null with --no-robots. */
  robots: Robots | null;
  /** The global pool, for robots.txt fetches. */
  enter: Enter;
  /** The attempt's world (dispatcher, clocks, the redirect hops' robots check). */
  attemptDeps: AttemptDeps;
  /** `now` for the record's start time, `monotonic` for its duration. */
  clock: Clock;
  /** Back-off waits: resolves true after `ms`, false once the signal aborts (platform/sleep.ts). */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
  random: () => number;
  /** A URL's first attempt does not start once this aborts (stop dispatching). */
  stopDispatch: AbortSignal;
  /** Aborts requests in flight and the waits of retries (grace period over). */
  abortInflight: AbortSignal;
  /**
   * --max-time: aborted at the run's deadline. From then on no attempt starts,
   * and a URL that had no record yet gets DEADLINE: not yet started, waiting
   * for its turn or a retry, or (once the grace period aborts requests in
   * flight) cut off mid-request. Absent without --max-time.
   */
  deadline?: AbortSignal;
  /** --host-errors; null when off. */
  health?: HostHealth | null;
  /**
   * --follow: a redirect hop's URL is requested only when this claims it
   * (true: new to the crawl) for `owner`, the target whose redirect it is.
   * A URL's retries may request its own hops again.
   */
  claimHop?: (url: string, owner: UrlTarget) => boolean;
}

/** The attempt's deps with `knownHop`: hops claimed by this URL's earlier attempts stay its own to request again. */
function withHopsOnce(base: AttemptDeps, claim: (url: string) => boolean): AttemptDeps {
  const mine = new Set<string>();
  return {
    ...base,
    knownHop: (hop) => {
      if (mine.has(hop.url)) return false;
      if (!claim(hop.url)) return true;
      mine.add(hop.url);
      return false;
    },
  };
}

/** Fetches one URL: headers are the URL's own additions (conditional-request validators). */
export type TargetFetcher = (target: UrlTarget, headers?: Readonly<Record<string, string>>) => Promise<TargetOutcome>;

const NOT_STARTED: TargetOutcome = Object.freeze({ kind: 'stopped', attempted: false });
const ABANDONED: TargetOutcome = Object.freeze({ kind: 'stopped', attempted: true });
/** What `once` answers when the deadline passed, or the host was given up on, while the attempt waited for its turn: it does not start. */
const NOT_AT_TURN: AttemptResult = Object.freeze({ kind: 'stopped' });

/** A failure with no request behind it (robots.txt refused, host skipped, deadline before the start). */
function notRequested(error: RecordError, startMs: number, waitMs = 0): TargetOutcome {
  const timing: Timing = { startMs, ttfbMs: null, totalMs: 0, waitMs };
  return { kind: 'failed', error, status: null, finalUrl: null, contentType: null, timing, attempts: 0 };
}

const DEADLINE_BEFORE: RecordError = Object.freeze({ code: 'DEADLINE', message: 'not requested: --max-time reached before its turn' });

/**
 * The per-URL loop: robots.txt asked once, then attempts through the host gate,
 * each a whole fetch (fetch/attempt.ts) read back as data, retried by the
 * retry policy. The record's timing starts with the first attempt, not with
 * the wait for a turn, and spans retries and their waits.
 */
export function createTargetFetcher(settings: TargetFetchSettings, deps: TargetFetchDeps): TargetFetcher {
  const { gate, robots, clock, stopDispatch, abortInflight, deadline } = deps;
  const health = deps.health ?? null;
  // One combined signal per run, not per URL: the first attempt's turn ends at a stop or the deadline, a retry's wait too.
  const turnEnds = deadline ? AbortSignal.any([stopDispatch, deadline]) : stopDispatch;
  const retryEnds = deadline ? AbortSignal.any([abortInflight, deadline]) : abortInflight;
  const pastDeadline = (): boolean => deadline?.aborted === true;

  return async (target, headers) => {
    if (pastDeadline()) return notRequested(DEADLINE_BEFORE, clock.now());
    const skipped = health?.skipped(target.host);
    if (skipped) return notRequested(skipped, clock.now());
    let crawlDelayMs = 0;
    if (robots) {
      const verdict = await robots.verdict(target, deps.enter);
      // Stopped while robots.txt loaded: the URL was not started.
      if (stopDispatch.aborted) return NOT_STARTED;
      if (pastDeadline()) return notRequested(DEADLINE_BEFORE, clock.now());
      // No request was made for it.
      if (!verdict.allowed) return notRequested(verdict.error, clock.now());
      crawlDelayMs = verdict.crawlDelayMs;
    }
    const attemptSettings = headers ? { ...settings, headers: { ...settings.headers, ...headers } } : settings;
    const attemptDeps = deps.claimHop ? withHopsOnce(deps.attemptDeps, (url) => deps.claimHop!(url, target)) : deps.attemptDeps;
    let attempts = 0;
    let startMs = 0;
    let t0 = 0;
    /** Waits before the last attempt: its host's turns, and retry back-off (see Timing.waitMs). */
    let waitMs = 0;
    /** Set when the host was given up on (--host-errors) while this URL waited for its turn. */
    let skippedAtTurn: RecordError | null = null;
    const once = (pacedMs = 0): Promise<AttemptResult> => {
      // The turn came after the deadline: it does not start.
      if (pastDeadline()) return Promise.resolve(NOT_AT_TURN);
      waitMs += pacedMs;
      // The host was given up on while this URL waited behind the failures that did it: it is not requested either.
      if (attempts === 0 && health) {
        skippedAtTurn = health.skipped(target.host);
        if (skippedAtTurn) return Promise.resolve(NOT_AT_TURN);
      }
      if (attempts++ === 0) {
        startMs = clock.now();
        t0 = clock.monotonic();
      }
      return attempt(target, attemptSettings, attemptDeps, abortInflight);
    };
    const timing = (ttfbMs: number | null): Timing => ({ startMs, ttfbMs, totalMs: Math.round(clock.monotonic() - t0), waitMs: Math.round(waitMs) });
    /** Cut off by --max-time: waiting for its turn or a retry, or in flight when the grace period ran out. */
    const deadlineReached = (): TargetOutcome => {
      if (attempts === 0) return notRequested(DEADLINE_BEFORE, clock.now(), Math.round(waitMs));
      return {
        kind: 'failed',
        error: { code: 'DEADLINE', message: `--max-time reached after ${attempts} attempt${attempts === 1 ? '' : 's'}` },
        status: null,
        finalUrl: null,
        contentType: null,
        timing: timing(null),
        attempts,
      };
    };

    for (;;) {
      // The first attempt waits for its turn until the run stops dispatching (or its deadline); a retry, until requests in flight are abandoned.
      const result = await gate.run(target.host, crawlDelayMs, attempts === 0 ? turnEnds : retryEnds, once);
      if (skippedAtTurn) return notRequested(skippedAtTurn, clock.now(), Math.round(waitMs));
      if (result === null || result.kind === 'stopped') {
        if (pastDeadline()) return deadlineReached();
        return result === null && attempts === 0 ? NOT_STARTED : ABANDONED;
      }
      if (result.kind === 'response') {
        health?.observe(target.host, null);
        return { kind: 'fetched', response: result.response, timing: timing(Math.round(result.response.ttfbMs)), attempts };
      }
      const { failure } = result;
      // A host that sent response headers is up, whatever went wrong after (a body too slow, too big).
      health?.observe(target.host, failure.ttfbMs === null && failure.status === null ? failure.code : null);
      const failed = (message: string): TargetOutcome => ({
        kind: 'failed',
        error: { code: failure.code, message },
        status: failure.status,
        finalUrl: failure.finalUrl,
        contentType: failure.contentType,
        timing: timing(failure.ttfbMs),
        // A redirect hop refused by robots.txt counts no attempt, as the URL itself refused does.
        attempts: failure.code === 'ROBOTS_DISALLOWED' ? attempts - 1 : attempts,
        meta: failure,
      });
      if (abortInflight.aborted) return failed(failure.message);
      const next = afterFailure(failure, attempts, settings, deps.random);
      if (!next.retry) return failed(next.message);
      const slept = clock.monotonic();
      const waited = await deps.sleep(next.waitMs, retryEnds);
      waitMs += clock.monotonic() - slept;
      if (!waited) return pastDeadline() ? deadlineReached() : failed(failure.message);
    }
  };
}
