import type { AttemptResult } from '../fetch/attempt.js';
import type { Throttle } from './host-gate.js';

/** The two answers by which a host asks us to slow down. */
const THROTTLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** An attempt's result read for the host gate: a throttle, with the Retry-After it carried, or null. */
export function throttleOf(result: AttemptResult): Throttle {
  if (result.kind !== 'failure') return null;
  const { code, status, retryAfterMs } = result.failure;
  return code === 'HTTP_STATUS' && status !== null && THROTTLE_STATUSES.has(status) ? { retryAfterMs } : null;
}
