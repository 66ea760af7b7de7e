import { availableParallelism } from 'node:os';
import type { ExtractOptions } from './extract.js';
import { inlineParser, type Parser } from './inline.js';

export type WorkersSetting = number | 'auto';

/**
 * Pages smaller than this are parsed in the main thread even when workers run:
 * for a ~30 KB page, posting it to a worker and the result back costs about as
 * much as parsing it (measured by `npm run bench`, see bench/RESULTS.md).
 */
export const AUTO_MIN_WORKER_BYTES = 96 * 1024;

/**
 * Resolve `--workers auto`: one worker per core, at most 4; none on a single
 * core, where threads only add copying. On our 2-core machines the bench's
 * 300 KB workload ran 1.13x faster with 2 workers and no faster with 1.
 */
export function resolveWorkers(setting: WorkersSetting): number {
  if (setting !== 'auto') return setting;
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(4, cores);
}

/**
 * The parse stage for a run: in this thread, or spread over `setting` workers.
 * The worker pool (pool.ts, node:worker_threads) loads only when a page goes to
 * it: under `auto` that is the first page of 96 KiB or more, so a run of small
 * pages never loads it, nor pays for an idle thread and its heap. A number asks
 * for workers outright, so the pool loads at once, while the first requests are
 * in flight.
 */
export function createParser(opts: ExtractOptions, setting: WorkersSetting): Parser {
  const count = resolveWorkers(setting);
  if (count <= 0) return inlineParser(opts);
  const minBytes = setting === 'auto' ? AUTO_MIN_WORKER_BYTES : 0;
  // Only `auto` parses small pages here: with a number of workers this thread
  // never needs the DOM path, which an inline parser may load at once.
  const inline = minBytes > 0 ? inlineParser(opts) : null;
  let pool: Promise<Parser> | null = null;
  const workers = (): Promise<Parser> => {
    pool ??= import('./pool.js').then((m) => m.workerParser(opts, count));
    return pool;
  };
  if (minBytes === 0) workers().catch(() => {});
  return {
    parse: (job) => (inline !== null && job.body.byteLength < minBytes ? inline.parse(job) : workers().then((p) => p.parse(job))),
    close: async () => {
      if (pool) await (await pool).close();
    },
  };
}
