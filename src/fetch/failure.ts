import type { ErrorCode, Redirect } from '../record/record.js';
import type { HttpVersion } from './http-version.js';

/** A response's headers as undici hands them: names lower-case, repeated ones as arrays. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * Why an attempt failed, with what was known of the response: the data an
 * attempt hands back at fetch/'s boundary (attempt.ts). Nothing above fetch/
 * reads an exception to learn this.
 */
export interface AttemptFailure {
  readonly code: ErrorCode;
  readonly message: string;
  /** The HTTP status when one arrived (HTTP_STATUS, or a TOO_LARGE body on a 200). */
  readonly status: number | null;
  readonly finalUrl: string | null;
  readonly contentType: string | null;
  readonly ttfbMs: number | null;
  /** Retry-After of an error status, in ms; null when absent or unparseable. */
  readonly retryAfterMs: number | null;
  /** The last response's HTTP version and headers (null, or absent, when none arrived), and the redirects before it. */
  readonly httpVersion?: HttpVersion | null;
  readonly headers?: ResponseHeaders | null;
  readonly redirects?: readonly Redirect[];
}

/**
 * A per-URL failure raised inside the fetch layer (body decoding, classify) and
 * turned into an AttemptFailure at its boundary. `status` carries the HTTP
 * status when one arrived.
 */
export class FetchFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number | null = null,
    /** What was known of the response when it failed, so the record can still say it. */
    readonly response: { finalUrl: string | null; contentType: string | null; ttfbMs?: number } = { finalUrl: null, contentType: null },
  ) {
    super(message);
  }

  toData(): AttemptFailure {
    const { finalUrl, contentType, ttfbMs } = this.response;
    return { code: this.code, message: this.message, status: this.status, finalUrl, contentType, ttfbMs: ttfbMs ?? null, retryAfterMs: null };
  }
}

/** The body decodes to more than --max-bytes. */
export const tooLarge = (maxBytes: number): FetchFailure => new FetchFailure('TOO_LARGE', `body exceeds --max-bytes ${maxBytes} (decoded)`);
