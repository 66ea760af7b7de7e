import type { Throttle } from './host-gate.js';
import { FetchFailure } from '../fetch/failure.js';

/** The two answers by which a host asks us to slow down. */
const THROTTLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** A failed attempt read for the host gate: a throttle, with the Retry-After it carried, or null. */
export function throttleOf(err: unknown): Throttle {
  if (err instanceof FetchFailure && err.code === 'HTTP_STATUS' && err.status !== null && THROTTLE_STATUSES.has(err.status)) {
    return { retryAfterMs: err.retryAfterMs };
  }
  return null;
}
