import { createHash } from 'node:crypto';

/**
 * The key a record's `url` and a target are matched on for --resume: a 96-bit
 * digest, so a million finished URLs cost a fraction of their strings' memory.
 * A record's `url` is the normalised URL, or the raw line for an invalid one.
 */
export function finishedKey(url: string): string {
  return createHash('sha1').update(url).digest('base64').slice(0, 16);
}
