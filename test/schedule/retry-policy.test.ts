/** The retry policy: which failures are tried again, after how long, and when it gives up. */
import { describe, expect, it } from 'vitest';
import type { AttemptFailure } from '../../src/fetch/failure.js';
import type { ErrorCode } from '../../src/record/record.js';
import { afterFailure, isRetryable } from '../../src/schedule/retry-policy.js';

const failure = (code: ErrorCode, status: number | null = null, retryAfterMs: number | null = null): AttemptFailure => ({
  code,
  message: status === null ? code : `HTTP ${status}`,
  status,
  finalUrl: null,
  contentType: null,
  ttfbMs: null,
  retryAfterMs,
});
const settings = { retries: 2, retryMaxWaitMs: 30_000 };
const half = (): number => 0.5;

describe('retry policy', () => {
  it.each([
    ['CONNECTION', null, true],
    ['TIMEOUT', null, true],
    ['PROTOCOL', null, true],
    ['HTTP_STATUS', 429, true],
    ['HTTP_STATUS', 500, true],
    ['HTTP_STATUS', 503, true],
    ['HTTP_STATUS', 404, false],
    ['HTTP_STATUS', 403, false],
    ['DNS', null, false],
    ['TLS', null, false],
    ['TOO_LARGE', 200, false],
    ['DECODE', 200, false],
    ['BAD_REDIRECT', 302, false],
    ['BLOCKED_ADDRESS', null, false],
    ['ROBOTS_DISALLOWED', null, false],
  ] as const)('%s %s retryable: %s', (code, status, expected) => {
    expect(isRetryable(failure(code, status))).toBe(expected);
  });

  it('retries after exponential back-off with jitter until --retries is spent, then gives up with the failure message', () => {
    expect(afterFailure(failure('TIMEOUT'), 1, settings, half)).toEqual({ retry: true, waitMs: 125 });
    expect(afterFailure(failure('TIMEOUT'), 2, settings, half)).toEqual({ retry: true, waitMs: 250 });
    expect(afterFailure(failure('TIMEOUT'), 3, settings, half)).toEqual({ retry: false, message: 'TIMEOUT' });
    expect(afterFailure(failure('TIMEOUT'), 1, { ...settings, retries: 0 }, half)).toEqual({ retry: false, message: 'TIMEOUT' });
  });

  it('waits the Retry-After the failure carries instead of back-off', () => {
    expect(afterFailure(failure('HTTP_STATUS', 503, 2000), 1, settings, half)).toEqual({ retry: true, waitMs: 2000 });
    expect(afterFailure(failure('HTTP_STATUS', 429, 0), 2, settings, half)).toEqual({ retry: true, waitMs: 0 });
  });

  it('gives up at once on a Retry-After beyond --retry-max-wait, naming both', () => {
    expect(afterFailure(failure('HTTP_STATUS', 503, 120_000), 1, settings, half)).toEqual({
      retry: false,
      message: 'HTTP 503; Retry-After 120 s exceeds the 30 s cap',
    });
    expect(afterFailure(failure('HTTP_STATUS', 429, 1000), 1, { ...settings, retryMaxWaitMs: 500 }, half)).toEqual({
      retry: false,
      message: 'HTTP 429; Retry-After 1 s exceeds the 0.5 s cap',
    });
  });

  it('ignores a Retry-After on a failure that is not retried', () => {
    expect(afterFailure(failure('HTTP_STATUS', 404, 120_000), 1, settings, half)).toEqual({ retry: false, message: 'HTTP 404' });
  });
});
