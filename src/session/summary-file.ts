import type { Summary } from '../log/stats.js';
import { fileDestination } from '../write/destinations/destination.js';
import { VERSION } from '../platform/version.js';

/** The --summary-file document: the run's Summary plus what a monitor needs around it. */
export interface SummaryDocument extends Summary {
  version: string;
  /** ISO 8601 times of the run's start and end. */
  startedAt: string;
  finishedAt: string;
  /** "SIGINT"/"SIGTERM" when a signal cut the run short, else null. */
  interrupted: string | null;
  /** --max-time's deadline passed. */
  deadlineReached: boolean;
  /** Records written to the output (fewer than `total` with --changed-only). */
  written: number;
  /** URLs skipped because the --resume file already had them (0 without --resume). */
  skipped: number;
  /** Records by `changed` (--cache-dir); null without a cache. */
  changed: number | null;
  unchanged: number | null;
}

/**
 * Written through the same temp-file-and-rename as -o, so a monitor polling the
 * file reads the previous run's document or this one's, never half of one.
 */
export async function writeSummaryFile(path: string, doc: Omit<SummaryDocument, 'version'>): Promise<void> {
  const dest = fileDestination(path);
  try {
    await dest.write(`${JSON.stringify({ version: VERSION, ...doc }, null, 2)}\n`);
    await dest.close();
  } catch (err) {
    dest.discard();
    throw err;
  }
}
