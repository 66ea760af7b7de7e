import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createChangeTracker, type ChangeTracker } from '../cache/changes.js';
import { openPageCache, type PageCache } from '../cache/page-cache.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../config/resolve.js';
import { UsageError } from '../config/usage-error.js';
import { skipFinished, type SkipCount } from '../input/skip-finished.js';
import type { Target } from '../input/targets.js';
import type { Reporter } from '../log/reporter.js';
import type { Summary } from '../log/stats.js';
import { writeSummaryFile } from './summary-file.js';
import { acquireLock, LockedError, type Lock } from './lock.js';
import { openAppend } from '../write/destinations/append.js';
import { changedOnly, type CountingWriter } from '../write/changed-only.js';
import type { Destination } from '../write/destinations/destination.js';
import type { RecordWriter } from '../write/writer.js';

/**
 * What a scheduled run holds beyond run(): locks on its output and cache, the
 * page cache, the --resume file. Opened before the first request, released
 * after the last record; execute.ts only plugs the pieces in.
 */
export interface Unattended {
  /** --resume: FILE opened for appending; null means execute opens the usual destination. */
  readonly destination: Destination | null;
  readonly changes: ChangeTracker | null;
  /** Drops targets the --resume file already has. */
  targets(source: AsyncIterable<Target>): AsyncIterable<Target>;
  /** Counts `changed` and applies --changed-only. */
  writer(inner: RecordWriter): RecordWriter;
  /** Writes --summary-file, if asked for. */
  finish(summary: Summary, interrupted: string | null): Promise<void>;
  /** Closes the cache and removes the locks. Idempotent. */
  release(): void;
}

export const CACHE_LOCK = 'lock';

/** The lock file beside -o FILE. */
export function outputLockPath(output: string): string {
  return `${output}.lock`;
}

/** A lock, or a usage error when its folder will not take one (read-only, missing). */
function lock(path: string, what: string): Lock {
  try {
    return acquireLock(path, what);
  } catch (err) {
    if (err instanceof LockedError) throw err;
    throw cannot(`${what} (lock file "${path}")`, err);
  }
}

function cannot(what: string, err: unknown): UsageError {
  return new UsageError(`cannot open ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

/** Throws LockedError (exit 3) when another run holds the output or the cache, UsageError when they cannot be opened. */
export function openUnattended(config: Config, clock: Clock, reporter: Reporter): Unattended {
  const startedAt = new Date(clock.now()).toISOString();
  const locks: Lock[] = [];
  let cache: PageCache | null = null;
  const release = (): void => {
    try {
      cache?.close();
    } finally {
      cache = null;
      for (const l of locks.splice(0)) l.release();
    }
  };
  try {
    if (config.output !== null) locks.push(lock(outputLockPath(config.output), `--output "${config.output}"`));
    if (config.cacheDir !== null) {
      try {
        mkdirSync(config.cacheDir, { recursive: true });
      } catch (err) {
        throw cannot(`--cache-dir "${config.cacheDir}"`, err);
      }
      locks.push(lock(join(config.cacheDir, CACHE_LOCK), `--cache-dir "${config.cacheDir}"`));
      try {
        cache = openPageCache(config.cacheDir);
      } catch (err) {
        throw cannot(`the cache in "${config.cacheDir}"`, err);
      }
    }
    let append: ReturnType<typeof openAppend> | null = null;
    if (config.resume && config.output !== null) {
      try {
        append = openAppend(config.output, clock.now);
      } catch (err) {
        throw cannot(`--output "${config.output}" to resume`, err);
      }
      const f = append.finished;
      if (f.tornBytes > 0) reporter.warn('dropped an unfinished last line from the resume file', { file: config.output, bytes: f.tornBytes });
      if (f.badLines > 0) reporter.warn('lines in the resume file that are not records were left as they are', { file: config.output, lines: f.badLines });
      reporter.debug('resuming', { file: config.output, finished: f.records });
    }
    const changes = cache ? createChangeTracker(cache, config, clock.now) : null;
    const skip: SkipCount = { skipped: 0 };
    let counting: CountingWriter | null = null;
    return {
      destination: append?.destination ?? null,
      changes,
      targets: (source) => (append ? skipFinished(source, append.finished.keys, skip) : source),
      writer(inner) {
        counting = changedOnly(inner, config.changedOnly);
        return counting;
      },
      async finish(summary, interrupted) {
        if (config.summaryFile === null) return;
        const counts = config.cacheDir !== null ? (counting?.changes ?? null) : null;
        await writeSummaryFile(config.summaryFile, {
          startedAt,
          finishedAt: new Date(clock.now()).toISOString(),
          interrupted,
          ...summary,
          written: counting?.count ?? 0,
          skipped: skip.skipped,
          changed: counts?.changed ?? null,
          unchanged: counts?.unchanged ?? null,
        });
      },
      release,
    };
  } catch (err) {
    release();
    throw err;
  }
}
