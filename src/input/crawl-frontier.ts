import type { CrawlSummary } from '../log/stats.js';
import { finishedKey } from '../record/finished-key.js';
import { keySet, type KeySet } from '../record/key-set.js';
import type { Frontier } from '../schedule/frontier.js';
import type { Source } from '../schedule/window.js';
import type { FrontierLog, LogEntry } from './frontier-log.js';
import { linkTarget, type Target, type UrlTarget } from './targets.js';

/** What a crawl's frontier did, for the summary (--follow). */
export type CrawlCounts = CrawlSummary;

export interface CrawlFrontier extends Frontier {
  /** Whether a URL's key has been seen (an input line, a queued or fetched URL, a redirect hop). */
  has(key: string): boolean;
  /** Queue a URL found on a page, unless its key was seen; true when queued. Written to the log by flush(). */
  add(target: UrlTarget, href: string): boolean;
  /** The links add()ed since the last flush go to disk: called once a page's links are queued, before its record goes out. */
  flush(): void;
  /**
   * A redirect hop about to be requested by `owner`: true when its URL is new
   * (it is marked seen, so it is requested only this once), false when it was
   * seen already and must not be requested again.
   */
  claimHop(url: string, owner: UrlTarget): boolean;
  /** A found URL whose host belongs to another shard (--shard): marked seen, counted once, not queued. */
  leaveToOtherShard(target: UrlTarget): void;
  /** A found URL that gets no record (robots.txt disallowed it): it does not count against --max-pages. */
  skipped(target: Target): void;
  /** A found URL cut off by --max-time or --host-errors: no record, left for a --resume run; it does not count against --max-pages. */
  unfinished(target: Target): void;
  counts(): CrawlCounts;
  /** Whether the crawl ran out of URLs (or reached --max-pages), rather than being closed. */
  readonly ended: boolean;
}

export interface CrawlFrontierOptions {
  /** --max-pages; null for no limit. */
  maxPages: number | null;
  /** Where queued links are kept (input/frontier-log.ts). */
  log: FrontierLog;
  /**
   * --resume: the keys of the URLs the output file has records for. The log is
   * read again from its start: what was queued and has no record is handed
   * out again, in its place; what has a record is not; both stay seen.
   */
  finished?: Pick<KeySet, 'has' | 'size'> | null;
  /** Hears how many seeds there were, once they have ended. */
  onSeedsEnd?: (total: number) => void;
  /** --max-time: once aborted, no found URL is handed out (the seeds still are, for their DEADLINE records). */
  deadline?: AbortSignal | null;
}

/**
 * The crawl's frontier (schedule/frontier.ts says how one plugs in): the
 * input lines are the seeds (depth 0), read from `seeds` only as the window
 * asks, and `add` queues what the pipeline finds on their pages.
 *
 * Breadth first, level by level: the URLs of depth n+1 are handed out once
 * every target of depth n is done (its links added). So a URL's depth is its
 * shortest link distance from a seed, and the set of pages a --depth crawl
 * fetches does not depend on which response came back first. The cost is a
 * drain at each level's end: the level's slowest page holds the next level
 * back for that long (a few of them per crawl).
 *
 * Memory does not grow with the queue: queued links live in the log file
 * (frontier-log.ts, in depth order), read back a chunk at a time as they are
 * handed out; the seen set is a table of 8-byte digests (record/key-set.ts),
 * 16 MiB for a million URLs.
 *
 * --resume: the log of the killed run is scanned (every URL it saw stays
 * seen) and read again from its start, skipping what the output file has a
 * record of. A page's links reach the log before its record reaches the
 * output, so every page without a record is handed out again, and none with
 * one; a redirect hop stays claimed only when its owner has a record.
 *
 * --max-pages counts targets handed out (on resume, from the records the
 * file has), less those `skipped`: once the cap is reached, `next()` waits
 * for the targets in flight (a skip gives a place back) and then ends, and
 * what is still queued is counted as dropped.
 */
export function crawlFrontier(seeds: Source<Target>, options: CrawlFrontierOptions): CrawlFrontier {
  const { maxPages, log, onSeedsEnd } = options;
  const deadline = options.deadline ?? null;
  const finished = options.finished ?? null;
  const seen = keySet();
  /** Whether a key was seen: by this run, or recorded (the output file) or logged by the run it resumes. */
  const known = (key: string): boolean => seen.has(key) || finished?.has(key) === true;
  /** Marks a key seen; false when it was already. */
  const claim = (key: string): boolean => finished?.has(key) !== true && seen.add(key);
  if (finished) {
    log.scan(
      (key) => seen.add(key),
      (key, owner) => {
        if (owner === null || finished.has(owner)) seen.add(key);
      },
    );
  }
  /** Seed keys, while level 1 is ahead: a URL found at depth 1 that is also an input line is fetched once, as the seed. */
  let seedKeys: KeySet | null = keySet();
  let seedCount = 0;
  let seedsEnded = false;
  /** The depth being handed out: a link deeper than it waits until nothing is in flight. */
  let level = 0;
  let peeked: LogEntry | null = null;
  let inFlight = 0;
  let charged = finished?.size ?? 0;
  let closed = false;
  let ended = false;
  let wake: (() => void) | null = null;
  const counts: CrawlCounts = { discovered: 0, robotsSkipped: 0, droppedMaxPages: 0, otherShards: 0, unfinished: 0 };

  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const waitForDone = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const handOut = (target: Target): Target => {
    inFlight++;
    charged++;
    return target;
  };
  /** Whether a logged link is to be handed out: not a seed's (level 1), not recorded by the run resumed. */
  const wanted = (e: LogEntry): boolean => !(finished?.has(e.key) || (e.found.depth === 1 && seedKeys?.has(e.key)));
  const peek = (): LogEntry | null => {
    while (peeked === null) {
      const e = log.read();
      if (e === null) return null;
      if (wanted(e)) peeked = e;
    }
    return peeked;
  };
  /** What is still queued, counted and let go of. */
  const countRest = (): number => {
    let n = 0;
    for (let e = peek(); e !== null; e = peek()) {
      n++;
      peeked = null;
    }
    return n;
  };
  const end = (): null => {
    ended = true;
    counts.droppedMaxPages += countRest();
    return null;
  };

  const next = async (): Promise<Target | null> => {
    for (;;) {
      if (closed) return null;
      if (maxPages !== null && charged >= maxPages) {
        if (inFlight === 0) return end();
        await waitForDone();
        continue;
      }
      if (!seedsEnded) {
        const seed = await seeds.next();
        if (closed) return null;
        if (seed === null) {
          seedsEnded = true;
          onSeedsEnd?.(seedCount);
          continue;
        }
        seedCount++;
        if (seed.kind === 'url') {
          seen.add(seed.key);
          seedKeys!.add(seed.key);
        }
        return handOut(seed);
      }
      // Past --max-time: what is queued stays in the log, for --resume.
      if (deadline?.aborted) {
        if (inFlight > 0) {
          await waitForDone();
          continue;
        }
        counts.unfinished += countRest();
        return null;
      }
      const entry = peek();
      // Nothing queued: pages in flight may still add links; once none is, the crawl is over.
      if (entry === null) {
        if (inFlight === 0) return end();
        await waitForDone();
        continue;
      }
      if (entry.found.depth > level) {
        // The next level starts once this one is done (its links all queued).
        if (inFlight > 0) {
          await waitForDone();
          continue;
        }
        level = entry.found.depth;
        if (level > 1) seedKeys = null;
      }
      peeked = null;
      const target = linkTarget(entry.href, entry.key, entry.found);
      if (target !== null) return handOut(target);
    }
  };

  return {
    next,
    done() {
      inFlight--;
      // A waiting next() looks again: the level may be over, or a skip gave a --max-pages place back.
      notify();
    },
    close() {
      closed = true;
      seeds.close();
      notify();
    },
    has: known,
    add(target, href) {
      if (!claim(target.key)) return false;
      log.queue(target.found!, target.key, href);
      counts.discovered++;
      return true;
    },
    flush: () => log.flush(),
    claimHop(url, owner) {
      const key = finishedKey(url);
      if (!claim(key)) return false;
      log.seen(key, owner.key);
      return true;
    },
    leaveToOtherShard(target) {
      if (!claim(target.key)) return;
      log.seen(target.key, null);
      counts.otherShards++;
    },
    skipped() {
      counts.robotsSkipped++;
      charged--;
    },
    unfinished() {
      counts.unfinished++;
      charged--;
    },
    counts: () => ({ ...counts }),
    get ended() {
      return ended;
    },
  };
}
