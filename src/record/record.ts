/**
 * The one record type every output format writes. Every field is always present
 * (scripts rely on `jq .title` never being "missing"), failures are data in `error`.
 */

export const ERROR_CODES = [
  'INVALID_URL',
  'TIMEOUT',
  'TOO_LARGE',
  'TOO_MANY_REDIRECTS',
  'BAD_REDIRECT',
  'HTTP_STATUS',
  'ROBOTS_DISALLOWED',
  'CONNECTION',
  'DNS',
  'TLS',
  'PROTOCOL',
  'DECODE',
  'BLOCKED_ADDRESS',
  'PROXY',
  'PARSE',
  'DEADLINE',
  'HOST_SKIPPED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Records that say the run gave up on a URL without trying it to the end
 * (its deadline passed, its host was given up on): `--resume` does not count
 * them as finished, so the next run fetches those URLs.
 */
export const UNFINISHED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['DEADLINE', 'HOST_SKIPPED']);

export interface RecordError {
  code: ErrorCode;
  message: string;
}

export interface Timing {
  /** Epoch milliseconds when the first attempt started. */
  startMs: number;
  /** Milliseconds from the start of the last attempt to its response headers; null if none arrived. */
  ttfbMs: number | null;
  /** Milliseconds from the first attempt's start to the record being complete (retries and waits included). */
  totalMs: number;
  /**
   * Milliseconds spent waiting before the last attempt: for the host's turn
   * (--rate, Crawl-delay, a 429/503 pause) and for retries (back-off,
   * Retry-After). The wait for the first attempt's turn comes before startMs,
   * so it is not part of totalMs.
   */
  waitMs: number;
}

export type DataValue = string | null | string[];

/** One redirect response (--chain): the URL that answered and its 3xx status. */
export interface Redirect {
  url: string;
  status: number;
}

/** Where a record's URL came from: an input line, a link on a fetched page (--follow), a sitemap's entry (--sitemap). */
export type RecordSource = 'input' | 'link' | 'sitemap';

/** Fields every record has, whatever became of its URL. */
export interface RecordFields {
  url: string;
  status: number | null;
  finalUrl: string | null;
  contentType: string | null;
  /** "1.1" or "2": the HTTP version of the final response; null when none arrived. */
  httpVersion: '1.1' | '2' | null;
  bytes: number;
  title: string | null;
  data: Record<string, DataValue>;
  links?: string[];
  /** Only with --chain: each redirect response, in order (the final response is not one). */
  redirects?: Redirect[];
  /** Only with --headers: the final response's headers, names lower-case, repeated ones as arrays, Set-Cookie values redacted. */
  headers?: Record<string, string | string[]>;
  /**
   * Only with --cache-dir (absent otherwise): false when the page answered 304
   * or its body hashes the same as last run; true when it differs or the URL is
   * new; null for a failure, which has no body to compare.
   */
  changed?: boolean | null;
  /** Only with --follow (absent otherwise): link hops from a seed; seeds are 0. */
  depth?: number;
  /** Only with --follow: the URL of the page where this one was first found; null for a seed. */
  parent?: string | null;
  /** Only with --follow: where the URL came from. */
  source?: RecordSource;
  timing: Timing;
  attempts: number;
}

/** A URL that was fetched and parsed: `error` is null. */
export interface OkRecord extends RecordFields {
  ok: true;
  error: null;
}

/** A URL that failed (bad line, network, status, robots.txt, size, parse): `error` says how. */
export interface FailedRecord extends RecordFields {
  ok: false;
  error: RecordError;
}

/** One record per input URL: `if (rec.ok)` narrows `error` to null, else to the failure. */
export type ScrapeRecord = OkRecord | FailedRecord;

/** The fields --follow adds, in their JSON (and CSV) order: after `links` and `changed`, before `timing`. */
export const CRAWL_FIELDS = ['depth', 'parent', 'source'] as const;

/** Column order for CSV, and the key order of JSON records (optional fields aside: `changed` and CRAWL_FIELDS go before `timing`). */
export const RECORD_FIELDS = [
  'url',
  'ok',
  'status',
  'finalUrl',
  'contentType',
  'httpVersion',
  'bytes',
  'title',
  'data',
  'links',
  'redirects',
  'headers',
  'timing',
  'attempts',
  'error',
] as const;
