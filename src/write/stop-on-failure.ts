import type { RecordWriter } from './writer.js';

/**
 * A writer whose first failed write (disk full, stdout on a full device) is
 * reported once through `onFailure` instead of rejecting into the fetch pool:
 * the run stops fetching at once, and the caller turns the failure into one
 * line on stderr and exit 4. Later writes are dropped: nothing more can land.
 */
export function stopOnFailure(writer: RecordWriter, onFailure: (err: Error) => void): RecordWriter {
  let failed = false;
  return {
    async write(rec) {
      if (failed) return;
      try {
        await writer.write(rec);
      } catch (err) {
        if (failed) return;
        failed = true;
        onFailure(err instanceof Error ? err : new Error(String(err)));
      }
    },
    finish: () => writer.finish(),
    get count() {
      return writer.count;
    },
  };
}
