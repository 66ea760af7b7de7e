import type { RequestTarget } from '../fetch/attempt.js';
import type { Found } from '../record/build.js';

/**
 * What a crawl's links are held to (--scope), taken once per seed from the
 * seed's final URL (so a seed that redirects http → https or to www. crawls
 * where it landed) and shared by every URL found from it.
 */
export interface SeedScope {
  /** host[:port] of the seed's final URL. */
  readonly host: string;
  /** Its registrable domain (Public Suffix List), or the host itself when it has none (an IP, localhost). */
  readonly domain: string;
  /** The final URL up to the last `/` of its path: `https://x/docs/a.html` → `https://x/docs/`. */
  readonly prefix: string;
}

/** A URL found by a crawl (--follow): where it was found, and the scope of its seed. */
export interface Discovery extends Found {
  readonly seed: SeedScope;
}

/**
 * A URL to fetch, parsed once by the input stage (input/targets.ts). Every later
 * stage reads these fields instead of parsing the URL again: the --shard filter
 * and the per-host window key (`host`), --resume and dedupe (`key`), robots.txt
 * (`origin`), the host gate (`host`) and the request (`origin`, `path`).
 *
 * No copy of the input line: nothing reads it once the URL is parsed, and
 * holding it would keep readline's whole chunk of input alive (a line is a
 * slice of it) for every parked target.
 */
export interface UrlTarget extends RequestTarget {
  readonly kind: 'url';
  /** Dedupe and --resume key: a digest of `url` (record/finished-key.ts). */
  readonly key: string;
  /**
   * Only for a URL with a password: the dedupe key, a digest of the URL with
   * its password, so two lines that differ only in the password stay two URLs
   * (`key`, from the masked `url`, is what --resume matches).
   */
  readonly dedupeKey?: string;
  /** host[:port], lower-case: the per-host key of the window and the gate, and the --shard key. */
  readonly host: string;
  /**
   * --follow: set on URLs found on pages (absent on input lines, which are
   * seeds: depth 0, no parent). One small object per discovered URL; the
   * parent is the parent target's own `url` string, shared, not copied.
   */
  readonly found?: Discovery;
  /** An entry of a sitemap (--sitemap), not an input line: a seed whose record says `source: "sitemap"`. */
  readonly fromSitemap?: true;
}

/** An input line that is not an absolute http(s) URL: it can only become an INVALID_URL record. */
export interface InvalidTarget {
  readonly kind: 'invalid';
  readonly raw: string;
  /** Dedupe and --resume key: a digest of `raw`, as the record's `url` is the raw line (password masked). */
  readonly key: string;
}

/** One unit of work. */
export type Target = UrlTarget | InvalidTarget;
