import { closeSync, fdatasyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { finishedKey } from '../../record/finished-key.js';
import { keySet, type KeySet } from '../../record/key-set.js';
import { type ErrorCode, UNFINISHED_CODES } from '../../record/record.js';
import type { Destination } from './destination.js';

/** What an existing --resume file holds, after its torn tail (if any) is cut off. */
export interface Finished {
  /** finishedKey() of every record's url, but those whose code is one of UNFINISHED_CODES. */
  keys: KeySet;
  records: number;
  /** Bytes of an unfinished last line, removed: a run killed mid-write. */
  tornBytes: number;
  /** Whole lines that are not records (not ours: edited by hand?). Left in place, not counted as finished. */
  badLines: number;
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/** A line's record: its url and error code, or null when the line is not a record of ours. */
function recordOf(line: string): { url: string; code: unknown } | null {
  try {
    const rec = JSON.parse(line) as { url?: unknown; error?: { code?: unknown } | null };
    if (rec === null || typeof rec !== 'object' || typeof rec.url !== 'string') return null;
    return { url: rec.url, code: rec.error?.code };
  } catch {
    return null;
  }
}

/**
 * Read a JSON Lines output file to learn which URLs are done, streaming in 1 MiB
 * chunks so a large file is never held whole. Records are appended one whole
 * line per write(2), so a crash can leave at most one unfinished line, at the
 * end; it is truncated away here so the next record starts on a line of its own.
 */
function scan(fd: number): Finished {
  const found: Finished = { keys: keySet(), records: 0, tornBytes: 0, badLines: 0 };
  let carry = Buffer.alloc(0);
  let offset = 0;
  const buf = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK, offset);
    if (n === 0) break;
    offset += n;
    let data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
    let start = 0;
    for (let nl = data.indexOf(NEWLINE, start); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
      const line = data.toString('utf8', start, nl).trim();
      start = nl + 1;
      if (line === '') continue;
      const rec = recordOf(line);
      if (rec === null) found.badLines++;
      else {
        // A DEADLINE or HOST_SKIPPED record stays in the file, but its URL is fetched again.
        if (!UNFINISHED_CODES.has(rec.code as ErrorCode)) found.keys.add(finishedKey(rec.url));
        found.records++;
      }
    }
    data = data.subarray(start);
    carry = Buffer.from(data);
  }
  if (carry.length > 0) {
    found.tornBytes = carry.length;
    ftruncateSync(fd, offset - carry.length);
  }
  return found;
}

/** How often appended records are fsynced: a crash of the process loses nothing (the kernel has the writes); a power cut loses at most this much. */
const FSYNC_EVERY_MS = 1_000;

export interface AppendTarget {
  finished: Finished;
  destination: Destination;
}

/**
 * --resume's destination: FILE itself, opened for appending (not a temp file
 * renamed at the end, which a killed run would lose). Each record is one
 * write(2) of one whole line, fsynced at least once a second and at the end.
 */
export function openAppend(path: string, now: () => number = Date.now): AppendTarget {
  // a+: read (scan) and truncate the tail, then every write lands at the end (O_APPEND).
  const fd = openSync(path, 'a+');
  let finished: Finished;
  try {
    finished = scan(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  let lastSync = now();
  let closed = false;
  const writeAll = (text: string): void => {
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  const destination: Destination = {
    write(text) {
      if (text === '') return Promise.resolve();
      try {
        writeAll(text);
        if (now() - lastSync >= FSYNC_EVERY_MS) {
          fdatasyncSync(fd);
          lastSync = now();
        }
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    async close() {
      close();
    },
    // Nothing to undo: every line in FILE is a whole record.
    discard() {
      try {
        close();
      } catch {
        /* leaving anyway */
      }
    },
  };
  return { finished, destination };
}
