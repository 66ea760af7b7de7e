import type { AttemptFailure } from '../fetch/failure.js';
import type { ErrorCode } from '../record/record.js';

/** Failures worth another attempt: the server or the network may do better next time. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['CONNECTION', 'TIMEOUT', 'PROTOCOL']);

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function isRetryable(failure: Pick<AttemptFailure, 'code' | 'status'>): boolean {
  if (failure.code === 'HTTP_STATUS') return failure.status !== null && isRetryableStatus(failure.status);
  // The proxy refused, dropped or could not be reached (null), or answered 5xx
  // (502, 503, 504: its upstream failed): transient like CONNECTION. A 407 or
  // another 4xx is its policy or our credentials, the same next time.
  if (failure.code === 'PROXY') return failure.status === null || failure.status >= 500;
  return RETRYABLE_CODES.has(failure.code);
}

const BASE_DELAY_MS = 250;
const MAX_BACKOFF_MS = 10_000;

/** Exponential back-off with full jitter (AWS architecture blog): spreads retries of a burst evenly. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export interface RetrySettings {
  /** --retries: attempts after the first. */
  retries: number;
  /** --retry-max-wait: the longest Retry-After worth waiting for, in ms. */
  retryMaxWaitMs: number;
}

/** After a failed attempt: try again after `waitMs`, or give up with this message for the record. */
export type RetryDecision = { readonly retry: true; readonly waitMs: number } | { readonly retry: false; readonly message: string };

/**
 * The retry policy, read from the failure's data: transient failures and 429 /
 * 5xx answers are tried again up to --retries times, after the server's
 * Retry-After when it sent one, else after exponential back-off with jitter. A
 * Retry-After beyond --retry-max-wait fails at once: waiting that long would
 * stall the run, and the record says why.
 */
export function afterFailure(failure: AttemptFailure, attempts: number, settings: RetrySettings, random: () => number): RetryDecision {
  if (attempts > settings.retries || !isRetryable(failure)) return { retry: false, message: failure.message };
  const { retryAfterMs } = failure;
  if (retryAfterMs !== null && retryAfterMs > settings.retryMaxWaitMs) {
    return {
      retry: false,
      message: `${failure.message}; Retry-After ${Math.ceil(retryAfterMs / 1000)} s exceeds the ${settings.retryMaxWaitMs / 1000} s cap`,
    };
  }
  return { retry: true, waitMs: retryAfterMs ?? backoffMs(attempts, random) };
}
