import type { Discovery, InvalidTarget, Target, UrlTarget } from '../schedule/target.js';
import { finishedKey } from '../record/finished-key.js';
import { parseUrl } from './normalize-url.js';

export type { InvalidTarget, Target, UrlTarget } from '../schedule/target.js';

export function isIgnoredLine(trimmed: string): boolean {
  return trimmed === '' || trimmed.startsWith('#');
}

/**
 * A trimmed line → its Target: the one place a URL is parsed. The key is the
 * digest of what the record's `url` will be (the normalised URL, or
 * the raw line), so dedupe and --resume share one digest per line. A normalised
 * URL never equals a line that is not one (normalising is idempotent), so the
 * two kinds cannot collide.
 */
export function toTarget(trimmed: string): Target {
  const url = parseUrl(trimmed);
  if (url === null) return { kind: 'invalid', raw: trimmed, key: finishedKey(trimmed) } satisfies InvalidTarget;
  const href = url.href;
  return urlTarget(url, href, finishedKey(href));
}

/** Two literals rather than a spread: an input line's target stays the plain shape it always was. */
function urlTarget(url: URL, href: string, key: string, found?: Discovery): UrlTarget {
  const path = `${url.pathname}${url.search}`;
  if (found === undefined) return { kind: 'url', url: href, key, host: url.host, origin: url.origin, path } satisfies UrlTarget;
  return { kind: 'url', url: href, key, host: url.host, origin: url.origin, path, found } satisfies UrlTarget;
}

/**
 * A link a crawl found (--follow), parsed as an input line is, so it dedupes
 * against them; `key` is its digest, computed already for the seen check.
 * Null when it is not an http(s) URL we would fetch.
 */
export function linkTarget(href: string, key: string, found: Discovery): UrlTarget | null {
  const url = parseUrl(href);
  if (url === null) return null;
  // The parse stage's links are normalised already (`new URL().href`, no fragment): the key is of the same string.
  return url.href === href ? urlTarget(url, href, key, found) : urlTarget(url, url.href, finishedKey(url.href), found);
}

/**
 * Lines → targets: trims, skips blanks and `#` comments, parses and dedupes.
 * Deduping on a 96-bit digest rather than the URL itself: a million distinct
 * URLs cost ~50 MB as strings but a fraction of that as 16-character keys, and
 * a collision at that size is vanishingly unlikely.
 */
export async function* toTargets(lines: AsyncIterable<string>): AsyncGenerator<Target> {
  const seen = new Set<string>();
  for await (const line of lines) {
    const trimmed = line.trim();
    if (isIgnoredLine(trimmed)) continue;
    const target = toTarget(trimmed);
    if (seen.has(target.key)) continue;
    seen.add(target.key);
    yield target;
  }
}
