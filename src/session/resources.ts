import type { Config } from '../config/resolve.js';
import { UsageError } from '../config/usage-error.js';
import { writtenFiles } from '../config/resolve.js';
import { STDIN } from '../input/lines.js';
import { fileId } from '../platform/file-id.js';
import type { Reporter } from '../log/reporter.js';
import type { Clock } from '../platform/clock.js';
import type { Io } from '../platform/io.js';
import { fileDestination, stdoutDestination, type Destination } from '../write/destinations/destination.js';
import { openIncremental, type Incremental } from './incremental.js';
import { reasonOf } from './open-error.js';
import { openResume, type Resume } from './resume.js';
import { holdLocks } from './run-locks.js';

/** Records go to -o FILE (a temp file renamed into place at the end) or to stdout. */
function openDestination(config: Config, io: Io, onBrokenPipe: () => void): Destination {
  if (config.output === null) return stdoutDestination(io.stdout, onBrokenPipe);
  try {
    return fileDestination(config.output);
  } catch (err) {
    throw new UsageError(`cannot write --output "${config.output}": ${reasonOf(err)}`);
  }
}

/** `scrape -o urls.txt < urls.txt`: the list would be replaced by its records at the end (resolve.ts checks named inputs). */
function checkStdinIsNotWritten(config: Config, io: Io): void {
  if (config.inputs.length > 0 && !config.inputs.includes(STDIN)) return;
  const stdin = io.stdinFile?.() ?? null;
  if (stdin === null) return;
  for (const [flag, path] of writtenFiles(config)) {
    if (fileId(path) === stdin) {
      throw new UsageError(`${flag} "${path}" is the file standard input reads: scrape would overwrite its own URL list; write somewhere else`);
    }
  }
}

/** What any run holds beyond run() itself: its locks and --cache-dir's page cache. */
export interface RunResources {
  incremental: Incremental;
  /** Close the cache and remove the locks. Idempotent. */
  release(): void;
}

/** The command line's run also has its --resume file and its destination. */
export interface Resources extends RunResources {
  resume: Resume | null;
  dest: Destination;
}

/**
 * Locks, then the page cache; when the cache cannot be opened, the locks are
 * released. Throws LockedError (another run holds a lock) or UsageError (a
 * folder it cannot open). The library's runs open only these.
 */
export function openRunResources(config: Config, clock: Clock): RunResources {
  const locks = holdLocks(config);
  let incremental: Incremental | null = null;
  const release = (): void => {
    try {
      incremental?.close();
    } finally {
      locks.release();
    }
  };
  try {
    incremental = openIncremental(config, clock);
    return { incremental, release };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * Locks, page cache, --resume file and destination, in that order; when one
 * cannot be opened, what was opened before it is released.
 */
export function openResources(config: Config, io: Io, clock: Clock, reporter: Reporter, onBrokenPipe: () => void): Resources {
  checkStdinIsNotWritten(config, io);
  const base = openRunResources(config, clock);
  try {
    const resume = openResume(config, clock, reporter);
    const dest = resume?.destination ?? openDestination(config, io, onBrokenPipe);
    return { ...base, resume, dest };
  } catch (err) {
    base.release();
    throw err;
  }
}
