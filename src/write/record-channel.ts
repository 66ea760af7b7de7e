import type { ScrapeRecord } from '../record/record.js';
import type { RecordWriter } from './writer.js';

/**
 * Records handed from the run to code that pulls them (the library's async
 * iterator), with backpressure both ways: a write resolves only while fewer
 * than `highWater` records wait to be pulled, so a slow consumer holds the
 * scheduler's window and fetching slows to its pace instead of records piling
 * up in memory; a pull waits for the next record.
 */
export interface RecordChannel extends RecordWriter {
  /** The next record, or done once the producer has ended and the buffer is empty; rejects with the producer's failure. */
  pull(): Promise<IteratorResult<ScrapeRecord, undefined>>;
  /** The producer is done: `failure` (a bug, a cache that cannot be opened) is what the next pull rejects with. */
  end(failure?: unknown): void;
  /** The consumer is gone: drop what waits, and let every pending and later write through at once. */
  cancel(): void;
}

type Waiter<T> = { resolve: (value: T) => void; reject: (err: unknown) => void };

export function recordChannel(highWater: number): RecordChannel {
  const buffer: ScrapeRecord[] = [];
  /** Writers waiting for room, oldest first. */
  const blocked: (() => void)[] = [];
  let puller: Waiter<IteratorResult<ScrapeRecord, undefined>> | null = null;
  let ended = false;
  let failure: { err: unknown } | null = null;
  let cancelled = false;
  let count = 0;

  const finish = (): Promise<IteratorResult<ScrapeRecord, undefined>> => {
    if (failure) {
      const { err } = failure;
      failure = null; // Thrown once; after that the iteration is simply over.
      return Promise.reject(err);
    }
    return Promise.resolve({ done: true, value: undefined });
  };

  return {
    write(rec) {
      if (cancelled) return Promise.resolve();
      count++;
      if (puller) {
        const p = puller;
        puller = null;
        p.resolve({ done: false, value: rec });
        return Promise.resolve();
      }
      buffer.push(rec);
      if (buffer.length < highWater) return Promise.resolve();
      return new Promise<void>((resolve) => blocked.push(resolve));
    },
    finish() {
      return Promise.resolve();
    },
    get count() {
      return count;
    },
    pull() {
      const rec = buffer.shift();
      if (rec !== undefined) {
        blocked.shift()?.();
        return Promise.resolve({ done: false, value: rec });
      }
      if (ended || cancelled) return finish();
      return new Promise((resolve, reject) => {
        puller = { resolve, reject };
      });
    },
    end(err) {
      if (ended) return;
      ended = true;
      if (err !== undefined) failure = { err };
      if (puller && buffer.length === 0) {
        const p = puller;
        puller = null;
        finish().then(p.resolve, p.reject);
      }
    },
    cancel() {
      cancelled = true;
      buffer.length = 0;
      for (const release of blocked.splice(0)) release();
      const p = puller;
      puller = null;
      p?.resolve({ done: true, value: undefined });
    },
  };
}
