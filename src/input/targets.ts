import type { InvalidTarget, Target, UrlTarget } from '../schedule/target.js';
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
  return {
    kind: 'url',
    url: href,
    key: finishedKey(href),
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
