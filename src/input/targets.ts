import type { Discovery, InvalidTarget, Target, UrlTarget } from '../schedule/target.js';
import { basicAuthorization } from '../fetch/credentials.js';
import { maskPassword } from '../log/redact.js';
import { finishedKey } from '../record/finished-key.js';
import { keySet } from '../record/key-set.js';
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
  if (url === null) {
    const raw = maskPassword(trimmed);
    return { kind: 'invalid', raw, key: finishedKey(raw) } satisfies InvalidTarget;
  }
  return urlTarget(url, finishedKey(url.href));
}

/** A parsed URL → its target; a password, if any, leaves the URL for an Authorization header. */
function urlTarget(url: URL, key: string): UrlTarget {
  const href = url.href;
  const authorization = basicAuthorization(url);
  const target: UrlTarget = { kind: 'url', url: href, key, host: url.host, origin: url.origin, path: `${url.pathname}${url.search}` };
  if (authorization === null) return target;
  // The password leaves the URL here, for the Authorization header; the key
  // --resume matches is the masked URL's, the dedupe key the whole URL's.
  const masked = maskPassword(href);
  return masked === href ? { ...target, authorization } : { ...target, url: masked, key: finishedKey(masked), dedupeKey: key, authorization };
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
  return { ...urlTarget(url, url.href === href ? key : finishedKey(url.href)), found };
}

/** What two lines must share to be one URL: the whole URL's digest (the password included, for a URL that has one). */
export function dedupeKeyOf(target: Target): string {
  return (target.kind === 'url' && target.dedupeKey) || target.key;
}

/**
 * Lines → targets: trims, skips blanks and `#` comments, parses and dedupes.
 * Deduping on the URL's digest rather than the URL itself, in a table of
 * 64-bit halves (record/key-set.ts): a million distinct URLs cost 16 MiB
 * there, ~80 MB as a Set of their 16-character keys, more as URLs.
 */
export async function* toTargets(lines: AsyncIterable<string>): AsyncGenerator<Target> {
  const seen = keySet();
  for await (const line of lines) {
    const trimmed = line.trim();
    if (isIgnoredLine(trimmed)) continue;
    const target = toTarget(trimmed);
    const key = dedupeKeyOf(target);
    if (!seen.add(key)) continue;
    yield target;
  }
}
