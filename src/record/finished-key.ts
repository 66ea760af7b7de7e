import { createHash } from 'node:crypto';

/**
 * The key a record's `url` and a target are matched on, for dedupe and
 * --resume: a 96-bit digest (SHA-1, first 12 bytes, base64: 16 characters), so
 * a million finished URLs cost a fraction of their strings' memory. A record's
 * `url` is the normalised URL, or the raw line for an invalid one. Encoded from
 * the 12 bytes rather than sliced from the whole digest's base64: V8 keeps a
 * slice's longer parent string alive behind every key a set holds.
 */
export function finishedKey(url: string): string {
  return createHash('sha1').update(url).digest().toString('base64', 0, 12);
}
