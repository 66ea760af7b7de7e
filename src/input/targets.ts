import { createHash } from 'node:crypto';
import { normalizeUrl } from './normalize-url.js';

/** One unit of work: a URL to fetch, or an input line that can only become an INVALID_URL record. */
export type Target = { kind: 'url'; url: string } | { kind: 'invalid'; raw: string };

/**
 * Dedupe on a 96-bit digest rather than the URL itself: a million distinct URLs
 * cost ~50 MB as strings but a fraction of that as 16-character keys, and a
 * collision at that size is vanishingly unlikely.
 */
function dedupeKey(url: string): string {
  return createHash('sha1').update(url).digest().toString('base64', 0, 12);
}

export function isIgnoredLine(trimmed: string): boolean {
  return trimmed === '' || trimmed.startsWith('#');
}

/** Lines → targets: trims, skips blanks and `#` comments, normalises and dedupes. */
export async function* toTargets(lines: AsyncIterable<string>): AsyncGenerator<Target> {
  const seen = new Set<string>();
  for await (const line of lines) {
    const trimmed = line.trim();
    if (isIgnoredLine(trimmed)) continue;
    const url = normalizeUrl(trimmed);
    const key = dedupeKey(url ?? `invalid:${trimmed}`);
    if (seen.has(key)) continue;
    seen.add(key);
    yield url === null ? { kind: 'invalid', raw: trimmed } : { kind: 'url', url };
  }
}
