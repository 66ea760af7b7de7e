import type { KeySet } from '../record/key-set.js';
import type { Target } from './targets.js';

export interface SkipCount {
  skipped: number;
}

/**
 * --resume: drop targets that already have a record; `count.skipped` says how
 * many. `finished` holds finishedKey() of each record's `url`, which is what a
 * target's `key` is (input/targets.ts).
 */
export async function* skipFinished(targets: AsyncIterable<Target>, finished: Pick<KeySet, 'has'>, count: SkipCount): AsyncGenerator<Target> {
  for await (const t of targets) {
    if (finished.has(t.key)) {
      count.skipped++;
      continue;
    }
    yield t;
  }
}
