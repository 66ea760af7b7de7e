import type { RecordError } from '../record/record.js';
import { decodeHtml, isHtml } from './decode.js';
import type { Extracted } from '../record/extraction.js';
import { extract, type ExtractOptions } from './extract.js';

/** What the parse stage needs of a fetched page; plain data, so it can cross to a worker thread. */
export interface PageJob {
  body: Uint8Array;
  contentType: string | null;
  /** The final URL: relative links resolve against it. */
  url: string;
}

export type PageResult = { extracted: Extracted | null; error: RecordError | null };

/**
 * Only the first 5 MiB of a page are parsed. The DOM costs ~20 bytes per byte
 * of HTML and a 10 MiB page takes most of a second to parse, on the main thread
 * when workers are off; titles and nearly all content come well before this.
 * The record's `bytes` still counts the whole body.
 */
export const MAX_PARSE_BYTES = 5 * 1024 * 1024;

/**
 * Bytes → extracted fields, or null for non-HTML (JSON, text, images get no
 * parse at all). A parser failure is a PARSE error in the record, not a crash.
 */
export function parsePage(job: PageJob, opts: ExtractOptions): PageResult {
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, Math.min(job.body.byteLength, MAX_PARSE_BYTES));
  if (!isHtml(job.contentType, body)) return { extracted: null, error: null };
  try {
    return { extracted: extract(decodeHtml(body, job.contentType), job.url, opts), error: null };
  } catch (err) {
    return { extracted: null, error: { code: 'PARSE', message: err instanceof Error ? err.message : String(err) } };
  }
}
