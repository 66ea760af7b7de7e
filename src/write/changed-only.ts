import type { ScrapeRecord } from '../record/record.js';
import type { RecordWriter } from './writer.js';

/** Records seen by --cache-dir, by `changed`: also what the summary file reports. */
export interface ChangeCounts {
  changed: number;
  unchanged: number;
}

export interface CountingWriter extends RecordWriter {
  readonly changes: ChangeCounts;
}

/**
 * Counts records by `changed` and, with --changed-only, drops the unchanged
 * ones before they are written. New pages (changed: true) and failures
 * (changed: null: a failure is news) are always written. `count` is the number
 * of records written.
 */
export function changedOnly(writer: RecordWriter, dropUnchanged: boolean): CountingWriter {
  const changes: ChangeCounts = { changed: 0, unchanged: 0 };
  return {
    write(rec: ScrapeRecord) {
      if (rec.changed === true) changes.changed++;
      if (rec.changed === false) {
        changes.unchanged++;
        if (dropUnchanged) return Promise.resolve();
      }
      return writer.write(rec);
    },
    finish: () => writer.finish(),
    get count() {
      return writer.count;
    },
    changes,
  };
}
