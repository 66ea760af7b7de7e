import type { RecordError } from '../record/record.js';
import type { Extracted } from '../record/extraction.js';
import { decodeHtml, isHtml } from './decode.js';
import { type DomPath, extractStreaming, type ExtractOptions } from './extract.js';

/** What the parse stage needs of a fetched page; plain data, so it can cross to a worker thread. */
export interface PageJob {
  body: Uint8Array;
  contentType: string | null;
  /** The final URL: relative links resolve against it. */
  url: string;
}

export type PageResult = { extracted: Extracted | null; error: RecordError | null };

/** A page only the DOM path can answer, decoded, handed back while that path is not loaded (inline.ts loads it, then calls parseWithDom). */
export interface NeedsDom {
  needsDom: string;
}

/**
 * Only the first 5 MiB of a page are parsed. The DOM costs ~20 bytes per byte
 * of HTML and a 10 MiB page takes most of a second to parse, on the main thread
 * when workers are off; titles and nearly all content come well before this.
 * The record's `bytes` still counts the whole body.
 */
export const MAX_PARSE_BYTES = 5 * 1024 * 1024;

/** A parser failure is a PARSE error in the record, not a crash. */
function failureAsData<T>(work: () => T): T | PageResult {
  try {
    return work();
  } catch (err) {
    return { extracted: null, error: { code: 'PARSE', message: err instanceof Error ? err.message : String(err) } };
  }
}

/**
 * Bytes → extracted fields, or null for non-HTML (JSON, text, images get no
 * parse at all). Without the DOM path (`dom` null), a page that needs it comes
 * back decoded as NeedsDom.
 */
export function parsePage(job: PageJob, opts: ExtractOptions, dom: DomPath): PageResult;
export function parsePage(job: PageJob, opts: ExtractOptions, dom: DomPath | null): PageResult | NeedsDom;
export function parsePage(job: PageJob, opts: ExtractOptions, dom: DomPath | null): PageResult | NeedsDom {
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, Math.min(job.body.byteLength, MAX_PARSE_BYTES));
  if (!isHtml(job.contentType, body)) return { extracted: null, error: null };
  return failureAsData((): PageResult | NeedsDom => {
    const html = decodeHtml(body, job.contentType);
    const streamed = extractStreaming(html, job.url, opts);
    if (streamed !== null) return { extracted: streamed, error: null };
    return dom === null ? { needsDom: html } : { extracted: dom(html, job.url, opts), error: null };
  });
}

/** The rest of parsePage for a page that came back as NeedsDom, once the DOM path is loaded. */
export function parseWithDom(html: string, url: string, opts: ExtractOptions, dom: DomPath): PageResult {
  return failureAsData(() => ({ extracted: dom(html, url, opts), error: null }));
}
