import type { ErrorCode } from '../record/record.js';

/** Failures worth another attempt: the server or the network may do better next time. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['CONNECTION', 'TIMEOUT', 'PROTOCOL']);

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function isRetryableCode(code: ErrorCode, status: number | null): boolean {
  if (code === 'HTTP_STATUS') return status !== null && isRetryableStatus(status);
  return RETRYABLE_CODES.has(code);
}

const BASE_DELAY_MS = 250;
const MAX_BACKOFF_MS = 10_000;

/** Exponential back-off with full jitter (AWS architecture blog): spreads retries of a burst evenly. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After as milliseconds to wait: delta-seconds or an HTTP-date. Null when
 * absent or unparseable (then back-off applies).
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return null;
  const t = v.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  // Date.parse also reads "-5" or "1.5" as dates; an HTTP-date names its month.
  const date = /[a-z]{3}/i.test(t) ? Date.parse(t) : NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
