import { createHash } from 'node:crypto';
import type { Extracted, SelectorSpec } from '../record/extraction.js';
import type { CachedPage, PageCache } from './page-cache.js';

/** What a 304 replays: the fields the last full fetch extracted. */
export interface Replay {
  contentType: string | null;
  extracted: Extracted | null;
}

/**
 * Incremental runs (--cache-dir): conditional requests out, `changed` back.
 * A page is "changed" when its body's hash differs from the last full fetch's
 * (a URL never seen before counts as changed); a 304 is unchanged by definition.
 */
export interface ChangeTracker {
  /** If-None-Match / If-Modified-Since for `url`, or undefined when we have nothing usable. */
  conditionalHeaders(url: string): Record<string, string> | undefined;
  /** After a 304: the stored fields, or null if the row vanished. */
  replay(url: string): Replay | null;
  /** After a full fetch: store it and say whether the body differs from last time. */
  remember(url: string, page: FetchedPage): boolean;
}

export interface FetchedPage {
  /** bodyHash() of the body, taken before parsing (a worker thread may take the buffer). */
  hash: string;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  extracted: Extracted | null;
}

export interface ExtractionShape {
  selectors: readonly SelectorSpec[];
  links: boolean;
}

/**
 * The extraction settings, as a key. A stored page is replayed on 304 only when
 * it was extracted with the same selectors and --links; otherwise we do not send
 * the validators at all, so the page comes back whole and is extracted afresh.
 */
export function shapeKey(shape: ExtractionShape): string {
  return JSON.stringify({ s: shape.selectors.map((s) => [s.name, s.css, s.attr, s.many]), l: shape.links });
}

export function bodyHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function createChangeTracker(cache: PageCache, shape: ExtractionShape, now: () => number): ChangeTracker {
  const key = shapeKey(shape);
  return {
    conditionalHeaders(url) {
      const page = cache.get(url);
      if (!page || page.shape !== key) return undefined;
      const headers: Record<string, string> = {};
      if (page.etag !== null) headers['if-none-match'] = page.etag;
      if (page.lastModified !== null) headers['if-modified-since'] = page.lastModified;
      return Object.keys(headers).length > 0 ? headers : undefined;
    },
    replay(url) {
      const page = cache.get(url);
      if (!page) return null;
      const extracted = page.data === null ? null : { title: page.title, data: page.data, links: page.links };
      return { contentType: page.contentType, extracted };
    },
    remember(url, fetched) {
      const { hash } = fetched;
      const before = cache.get(url);
      const stored: CachedPage = {
        etag: fetched.etag,
        lastModified: fetched.lastModified,
        bodyHash: hash,
        shape: key,
        contentType: fetched.contentType,
        title: fetched.extracted?.title ?? null,
        data: fetched.extracted?.data ?? null,
        links: fetched.extracted?.links ?? null,
        fetchedAt: now(),
      };
      cache.put(url, stored);
      return before === null || before.bodyHash !== hash;
    },
  };
}
