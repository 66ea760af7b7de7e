import type { Extracted, SelectorSpec } from './extraction.js';
import type { RecordError, Redirect, ScrapeRecord, Timing, RecordSource } from './record.js';

/** Where a URL of a crawl was found (--follow): the record's `depth`, `parent` and `source`. */
export interface Found {
  readonly depth: number;
  readonly parent: string | null;
  readonly source: RecordSource;
}

/** An input line: depth 0, no parent. */
export const FROM_INPUT: Found = Object.freeze({ depth: 0, parent: null, source: 'input' });
/** A sitemap's entry (--sitemap), or a sitemap that could not be read: a seed like an input line. */
export const FROM_SITEMAP: Found = Object.freeze({ depth: 0, parent: null, source: 'sitemap' });

/** `data` for a record with nothing extracted: every selector's key is still there. */
export function emptyData(selectors: readonly SelectorSpec[]): ScrapeRecord['data'] {
  const data: ScrapeRecord['data'] = {};
  for (const s of selectors) data[s.name] = s.many ? [] : null;
  return data;
}

/** What a record says of the request, whatever became of it. */
export interface RequestFacts {
  status: number | null;
  finalUrl: string | null;
  contentType: string | null;
  /** The final response's HTTP version; null (or absent) when none arrived. */
  httpVersion?: '1.1' | '2' | null;
  /** Decoded body bytes (0 when there was no body). */
  bytes: number;
  timing: Timing;
  attempts: number;
  /** --headers: the final response's headers as records show them; null (or absent) when none arrived. */
  headers?: Record<string, string | string[]> | null;
  /** --chain: the redirect responses, in order. */
  redirects?: readonly Redirect[];
}

export interface RecordShape {
  selectors: readonly SelectorSpec[];
  links: boolean;
  /** Set (--cache-dir): every record carries `changed`. */
  cacheDir?: string | null;
  /** --headers: every record carries `headers` ({} when no response arrived). */
  responseHeaders?: boolean;
  /** --chain: every record carries `redirects`. */
  chain?: boolean;
  /** Set (--follow, --sitemap): every record carries `depth`, `parent` and `source`. */
  follow?: boolean;
}

/** Every record goes through here, so every field is present and in the same order. */
export function buildRecord(
  url: string,
  outcome: RequestFacts,
  extracted: Extracted | null,
  error: RecordError | null,
  shape: RecordShape,
  changed: boolean | null = null,
  found: Found = FROM_INPUT,
): ScrapeRecord {
  // One literal in the records' key order; `ok` and `error` agree by construction,
  // which the compiler cannot follow through `error === null`.
  return {
    url,
    ok: error === null,
    status: outcome.status,
    finalUrl: outcome.finalUrl,
    contentType: outcome.contentType,
    httpVersion: outcome.httpVersion ?? null,
    bytes: outcome.bytes,
    title: extracted?.title ?? null,
    data: extracted?.data ?? emptyData(shape.selectors),
    ...(shape.links ? { links: extracted?.links ?? [] } : {}),
    ...(shape.chain ? { redirects: outcome.redirects ? [...outcome.redirects] : [] } : {}),
    ...(shape.responseHeaders ? { headers: outcome.headers ?? {} } : {}),
    ...(shape.cacheDir != null ? { changed: error === null ? changed : null } : {}),
    ...(shape.follow === true ? { depth: found.depth, parent: found.parent, source: found.source } : {}),
    timing: outcome.timing,
    attempts: outcome.attempts,
    error,
  } as ScrapeRecord;
}

/** A line that is not an absolute http(s) URL: no request is made. */
export function invalidRecord(raw: string, now: number, shape: RecordShape): ScrapeRecord {
  const timing: Timing = { startMs: now, ttfbMs: null, totalMs: 0, waitMs: 0 };
  return buildRecord(
    raw,
    { status: null, finalUrl: null, contentType: null, bytes: 0, timing, attempts: 0 },
    null,
    { code: 'INVALID_URL', message: 'not an absolute http(s) URL' },
    shape,
  );
}
