/**
 * Retry-After as milliseconds to wait: delta-seconds or an HTTP-date. Null when
 * absent or unparseable (then back-off applies). Read here, as data on the
 * attempt's failure; what to do with it is the scheduler's (schedule/retry-policy.ts).
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
