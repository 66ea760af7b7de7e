import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import type { Discovery } from '../schedule/target.js';

/** A queued link read back from the log: its key, the href found, and where it was found. */
export interface LogEntry {
  readonly key: string;
  readonly href: string;
  readonly found: Discovery;
}

/**
 * The crawl's frontier on disk (--state-dir): an append-only text file, so the
 * queue of a crawl that finds a million URLs lives in the page cache, not the
 * heap, and a crawl killed at any instant can be resumed from it. One line a
 * fact, tab-separated (a URL parsed by WHATWG URL has no tab or line break):
 *
 *   p  DEPTH  SEED-HOST  SEED-DOMAIN  SEED-PREFIX  PARENT   a page's links follow
 *   l  KEY  HREF                                            one queued link of that page
 *   h  KEY  OWNER-KEY|-                                     seen, not queued: a redirect hop
 *                                                           its owner requested, a URL left
 *                                                           to another shard (no owner)
 *
 * Why a file of our own rather than SQLite (cache/sqlite.ts): the frontier is
 * only ever appended to and read front to back (breadth first: every link is
 * written while the level before it runs, so the file is in depth order), so
 * a byte offset is the whole queue index; and a crawl must not need a native
 * module or Node >= 22.13. Lines are written with one write(2) per page,
 * before the page's record is written, so a record on disk always has its
 * links on disk (what makes --resume exact, crawl-frontier.ts).
 */
export interface FrontierLog {
  /** A link found on a page (`found`: its depth, parent and seed), held until flush(). */
  queue(found: Discovery, key: string, href: string): void;
  /** A URL marked seen without being queued; `owner` is the key of the target whose redirect requested it. */
  seen(key: string, owner: string | null): void;
  /** Writes what queue() holds: called once a page's links are all queued, before its record goes out. */
  flush(): void;
  /** The next queued link after the last one read; null at the end of what is written (more may come). */
  read(): LogEntry | null;
  /** Reads the whole file from its start: each queued key, and each seen key with its owner. Does not move read(). */
  scan(queued: (key: string) => void, seen: (key: string, owner: string | null) => void): void;
  close(): void;
}

const CHUNK = 64 * 1024;
/** The longest line read: a link of 16 MiB is far past what any browser or server takes. */
const MAX_LINE = 16 * 1024 * 1024;

const rethrow = (err: Error): never => {
  throw err;
};
const NEWLINE = 0x0a;

/**
 * Opens FILE (mode 0600: a crawled link may carry a password): `fresh`
 * empties it, otherwise what is there is kept and read again from the start,
 * a torn last line (a write cut by SIGKILL) cut off first. A write that fails
 * goes to `onFailure` once (the run stops); later writes are dropped.
 */
export function openFrontierLog(file: string, fresh: boolean, onFailure: (err: Error) => void = rethrow): FrontierLog {
  const fd = openSync(file, fresh ? 'w+' : 'a+', 0o600);
  if (!fresh) cutTornTail(fd);
  /** Set by the first write that failed (disk full): nothing more is written, and `onFailure` heard it once. */
  let failed = false;
  const write = (text: string): void => {
    if (failed) return;
    try {
      writeSync(fd, text);
    } catch (err) {
      failed = true;
      onFailure(err as Error);
    }
  };
  let pending = '';
  let lastFound: Discovery | null = null;
  const reader = lineReader(fd);
  let found: Discovery | null = null;

  const flush = (): void => {
    if (pending === '') return;
    write(pending);
    pending = '';
  };

  return {
    queue(f, key, href) {
      if (f !== lastFound) {
        lastFound = f;
        const s = f.seed;
        pending += `p\t${f.depth}\t${s.host}\t${s.domain}\t${s.prefix}\t${f.parent ?? ''}\n`;
      }
      pending += `l\t${key}\t${href}\n`;
    },
    seen(key, owner) {
      flush();
      write(`h\t${key}\t${owner ?? '-'}\n`);
    },
    flush,
    read() {
      flush();
      // A log that could not be written is not read: the run is stopping.
      if (failed) return null;
      for (let line = reader.next(); line !== null; line = reader.next()) {
        const f = line.split('\t');
        if (f[0] === 'p') found = { depth: Number(f[1]), seed: { host: f[2]!, domain: f[3]!, prefix: f[4]! }, parent: f[5] || null, source: 'link' };
        else if (f[0] === 'l' && found !== null) return { key: f[1]!, href: f[2]!, found };
      }
      return null;
    },
    scan(queued, seen) {
      flush();
      const all = lineReader(fd);
      for (let line = all.next(); line !== null; line = all.next()) {
        const f = line.split('\t');
        if (f[0] === 'l') queued(f[1]!);
        else if (f[0] === 'h') seen(f[1]!, f[2] === '-' || f[2] === undefined ? null : f[2]);
      }
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

/** Lines of the file from its start, read in chunks; null at the end of what is written so far (asked again, it goes on). */
function lineReader(fd: number): { next(): string | null } {
  let buf = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  let lines: string[] = [];
  let i = 0;
  return {
    next() {
      while (i >= lines.length) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) return null;
        const end = buf.lastIndexOf(NEWLINE, n - 1);
        if (end < 0) {
          // A line longer than the buffer (a very long link): read again with room for it. Short of a chunk: not written yet.
          // Past MAX_LINE it is not a line of ours (the file was replaced): nothing more is read.
          if (n < buf.length || buf.length >= MAX_LINE) return null;
          buf = Buffer.allocUnsafe(2 * buf.length);
          continue;
        }
        pos += end + 1;
        lines = buf.toString('utf8', 0, end).split('\n');
        i = 0;
      }
      return lines[i++]!;
    },
  };
}

function cutTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const tail = Buffer.allocUnsafe(Math.min(size, CHUNK));
  readSync(fd, tail, 0, tail.length, size - tail.length);
  const end = tail.lastIndexOf(NEWLINE);
  const keep = end < 0 ? size - tail.length : size - tail.length + end + 1;
  if (keep < size) ftruncateSync(fd, keep);
}
