import type { Config } from '../config/resolve.js';
import type { SkipCount } from '../input/skip-finished.js';
import type { Reporter } from '../log/reporter.js';
import type { Clock } from '../platform/clock.js';
import type { KeySet } from '../record/key-set.js';
import { openAppend } from '../write/destinations/append.js';
import type { Destination } from '../write/destinations/destination.js';
import { cannotOpen } from './open-error.js';

/** What a run skips on --resume: the URLs the -o file has a record for (the run counts them in `count`). */
export interface AlreadyRecorded {
  readonly keys: KeySet;
  readonly count: SkipCount;
}

/** --resume: the -o FILE appended to, and the URLs it already has. */
export interface Resume {
  /** FILE opened for appending, in place of the usual temp-file-and-rename. */
  readonly destination: Destination;
  readonly finished: AlreadyRecorded;
}

/** Null without --resume. Warns about a torn last line or foreign lines it found; UsageError when FILE cannot be opened. */
export function openResume(config: Config, clock: Clock, reporter: Reporter): Resume | null {
  if (!config.resume || config.output === null) return null;
  let append: ReturnType<typeof openAppend>;
  try {
    append = openAppend(config.output, clock.now);
  } catch (err) {
    throw cannotOpen(`--output "${config.output}" to resume`, err);
  }
  const f = append.finished;
  if (f.tornBytes > 0) reporter.warn('dropped an unfinished last line from the resume file', { file: config.output, bytes: f.tornBytes });
  if (f.badLines > 0) reporter.warn('lines in the resume file that are not records were left as they are', { file: config.output, lines: f.badLines });
  reporter.debug('resuming', { file: config.output, finished: f.records });
  return { destination: append.destination, finished: { keys: f.keys, count: { skipped: 0 } } };
}
