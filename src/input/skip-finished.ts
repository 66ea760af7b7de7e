import { finishedKey } from '../record/finished-key.js';
import type { Target } from './targets.js';

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
