import type { ErrorCode, RecordError } from '../record/record.js';

/**
 * A per-URL failure raised inside the fetch layer and turned into record data at
 * its boundary. `status` carries the HTTP status when one arrived (HTTP_STATUS,
 * or a TOO_LARGE body on a 200).
 */
export class FetchFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number | null = null,
    /** What was known of the response when it failed, so the record can still say it. */
    readonly response: { finalUrl: string | null; contentType: string | null; ttfbMs?: number } = { finalUrl: null, contentType: null },
    /** Server-requested wait (Retry-After) before trying again, in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  toRecordError(): RecordError {
    return { code: this.code, message: this.message };
  }
}
