import { createChangeTracker, type ChangeTracker } from '../cache/changes.js';
import { openPageCache, type PageCache } from '../cache/page-cache.js';
import { SqliteUnavailable } from '../cache/sqlite.js';
import type { Config } from '../config/resolve.js';
import { UsageError } from '../config/usage-error.js';
import type { Clock } from '../platform/clock.js';
import { changedOnly, type ChangeCounts, type CountingWriter } from '../write/changed-only.js';
import type { RecordWriter } from '../write/writer.js';
import { cannotOpen } from './open-error.js';

/** --cache-dir and --changed-only, as the session plugs them in. */
export interface Incremental {
  /** Conditional requests and `changed` for run(); null without --cache-dir. */
  readonly changes: ChangeTracker | null;
  /** Wraps the record writer: counts `changed`, and with --changed-only drops the unchanged. */
  writer(inner: RecordWriter): RecordWriter;
  /** Records by `changed`, for the summary file; null without --cache-dir. */
  counts(): ChangeCounts | null;
  /** Close the page cache. Idempotent. */
  close(): void;
}

/** Opens the page cache in --cache-dir (its folder exists and is locked by now: run-locks.ts); UsageError when it cannot. */
export function openIncremental(config: Config, clock: Clock): Incremental {
  let cache: PageCache | null = null;
  if (config.cacheDir !== null) {
    try {
      cache = openPageCache(config.cacheDir);
    } catch (err) {
      // No SQLite in this runtime: the message alone says what to install.
      if (err instanceof SqliteUnavailable) throw new UsageError(err.message);
      throw cannotOpen(`the cache in "${config.cacheDir}"`, err);
    }
  }
  let counting: CountingWriter | null = null;
  return {
    changes: cache ? createChangeTracker(cache, config, clock.now) : null,
    writer(inner) {
      counting = changedOnly(inner, config.changedOnly);
      return counting;
    },
    counts: () => (config.cacheDir !== null ? (counting?.changes ?? null) : null),
    close() {
      const open = cache;
      cache = null;
      open?.close();
    },
  };
}
