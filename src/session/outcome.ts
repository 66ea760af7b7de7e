import type { Summary } from '../log/stats.js';
import type { StopSignal } from '../platform/io.js';

/**
 * What one session came to, as data: the CLI turns it into an exit status
 * (exit-status.ts), tests read it directly. A session never decides its exit
 * code; it only records what happened.
 */
export type Outcome = UsageFailure | LockRefused | Ran;

/**
 * A file or folder the run needs cannot be opened (a lock file in a read-only
 * folder, a --cache-dir that cannot be created): a usage error found after the
 * config was built, still before anything was fetched or written.
 */
export interface UsageFailure {
  kind: 'usage-error';
  /** The line printed on stderr, without the "scrape: " prefix. */
  message: string;
}

/** Another live run holds this run's -o file or --cache-dir: nothing was fetched or written. */
export interface LockRefused {
  kind: 'lock-refused';
  /** The line printed on stderr, without the "scrape: " prefix. */
  message: string;
}

/** A problem that cut the run's delivery short, as the line printed on stderr (without "scrape: "). */
export interface Problem {
  message: string;
}

/** The run started. Several of these can hold at once; exitStatus() says which one decides. */
export interface Ran {
  kind: 'ran';
  /** Counts (total, ok, failed, failures per error code), timings. */
  summary: Summary;
  /** URLs dispatched, then abandoned by a stop: they have no record. */
  abandoned: number;
  /** The first SIGINT/SIGTERM, which stopped dispatching; null when none came. */
  interrupted: StopSignal | null;
  /** --max-time's deadline passed: the URLs it cut off have DEADLINE records. */
  deadlineReached: boolean;
  /** The reader of stdout went away (`| head -1`): the run stopped quietly. */
  brokenPipe: boolean;
  /** A record or the end of the output could not be written (disk full, I/O error); nothing partial was left. */
  outputFailed: Problem | null;
  /** --summary-file could not be written. */
  summaryFileFailed: Problem | null;
  /** --compare: the sequential baseline's summary; null without --compare or when a signal cut the run. */
  baseline: Summary | null;
}
