import { createHash } from 'node:crypto';
import type { Target } from './targets.js';

/**
 * The key a record's `url` and a target are matched on for --resume: a 96-bit
 * digest, so a million finished URLs cost a fraction of their strings' memory.
 * A record's `url` is the normalised URL, or the raw line for an invalid one.
 */
export function finishedKey(url: string): string {
  return createHash('sha1').update(url).digest('base64').slice(0, 16);
}

export interface SkipCount {
  skipped: number;
}

/** --resume: drop targets that already have a record; `count.skipped` says how many. */
export async function* skipFinished(targets: AsyncIterable<Target>, finished: ReadonlySet<string>, count: SkipCount): AsyncGenerator<Target> {
  for await (const t of targets) {
    if (finished.has(finishedKey(t.kind === 'url' ? t.url : t.raw))) {
      count.skipped++;
      continue;
    }
    yield t;
  }
}
