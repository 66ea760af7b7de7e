import { createHash } from 'node:crypto';
import type { InvalidTarget, Target, UrlTarget } from '../schedule/target.js';
import { parseUrl } from './normalize-url.js';

export type { InvalidTarget, Target, UrlTarget } from '../schedule/target.js';

/**
 * The dedupe and --resume key: the same 96-bit digest as record/finished-key.ts
 * (SHA-1, first 12 bytes, base64), so --resume matches a target on it as is.
 * Encoded from those 12 bytes rather than sliced from the whole digest's
 * base64: V8 keeps a slice's longer parent string alive behind every key the
 * dedupe set holds.
 */
function digestKey(s: string): string {
  return createHash('sha1').update(s).digest().toString('base64', 0, 12);
}

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
  if (url === null) return { kind: 'invalid', raw: trimmed, key: digestKey(trimmed) } satisfies InvalidTarget;
  const href = url.href;
  return {
    kind: 'url',
    url: href,
    key: digestKey(href),
    host: url.host,
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
  } satisfies UrlTarget;
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
