import type { Config } from '../config/resolve.js';
import { UsageError } from '../config/usage-error.js';
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

/** What a run holds beyond run() itself, opened before anything is fetched. */
export interface Resources {
  incremental: Incremental;
  resume: Resume | null;
  dest: Destination;
  /** Close the cache and remove the locks. Idempotent. */
  release(): void;
}

/**
 * Locks, page cache, --resume file and destination, in that order; when one
 * cannot be opened, what was opened before it is released. Throws LockedError
 * (another run holds a lock) or UsageError (a file or folder it cannot open).
 */
export function openResources(config: Config, io: Io, clock: Clock, reporter: Reporter, onBrokenPipe: () => void): Resources {
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
    const resume = openResume(config, clock, reporter);
    const dest = resume?.destination ?? openDestination(config, io, onBrokenPipe);
    return { incremental, resume, dest, release };
  } catch (err) {
    release();
    throw err;
  }
}
