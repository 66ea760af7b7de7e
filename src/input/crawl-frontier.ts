import type { CrawlSummary } from '../log/stats.js';
import { finishedKey } from '../record/finished-key.js';
import type { Frontier } from '../schedule/frontier.js';
import type { Source } from '../schedule/window.js';
import type { Target, UrlTarget } from './targets.js';

/** What a crawl's frontier did, for the summary (--follow). */
export type CrawlCounts = CrawlSummary;

export interface CrawlFrontier extends Frontier {
  /** Whether a URL's key has been seen (an input line, a queued or fetched URL, a redirect hop). */
  has(key: string): boolean;
  /** Queue a URL found on a page, unless its key was seen; true when queued. */
  add(target: UrlTarget): boolean;
  /**
   * A redirect hop about to be requested: true when its URL is new (it is
   * marked seen, so it is requested only this once), false when it was seen
   * already and must not be requested again.
   */
  claimHop(url: string): boolean;
  /** A found URL whose host belongs to another shard (--shard): marked seen, counted once, not queued. */
  leaveToOtherShard(target: UrlTarget): void;
  /** A found URL that gets no record (robots.txt disallowed it): it does not count against --max-pages. */
  skipped(target: Target): void;
  counts(): CrawlCounts;
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
 * Memory per URL: the seen set keeps 16-character digests (finishedKey), not
 * URLs (~100 bytes each in a V8 Set); the queue keeps targets until they are
 * handed out. Spilling both to disk past a cap (--state-dir) plugs in here,
 * behind the same methods.
 *
 * --max-pages counts targets handed out, less those `skipped`: once the cap
 * is reached, `next()` waits for the targets in flight (a skip gives a place
 * back) and then ends, and what is still queued is counted as dropped.
 */
export function crawlFrontier(seeds: Source<Target>, maxPages: number | null, onSeedsEnd?: (total: number) => void): CrawlFrontier {
  const seen = new Set<string>();
  /** Seed keys, while seeds are read: a URL found at depth 1 that is also an input line is fetched once, as the seed. */
  let seedKeys: Set<string> | null = new Set();
  let seedCount = 0;
  let seedsEnded = false;
  let current: (UrlTarget | undefined)[] = [];
  let pos = 0;
  let upcoming: UrlTarget[] = [];
  let inFlight = 0;
  let charged = 0;
  let closed = false;
  let wake: (() => void) | null = null;
  const counts: CrawlCounts = { discovered: 0, robotsSkipped: 0, droppedMaxPages: 0, otherShards: 0 };

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
  const queued = (): number => current.length - pos + upcoming.length;
  const end = (): null => {
    counts.droppedMaxPages += queued();
    current = [];
    pos = 0;
    upcoming = [];
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
      if (pos < current.length) {
        const target = current[pos]!;
        // Handed out: the queue lets go of it.
        current[pos++] = undefined;
        return handOut(target);
      }
      if (inFlight > 0) {
        await waitForDone();
        continue;
      }
      // The level is done: the next one starts, or the crawl ends.
      if (upcoming.length === 0) return end();
      const keys = seedKeys;
      current = keys === null ? upcoming : upcoming.filter((t) => !keys.has(t.key));
      seedKeys = null;
      upcoming = [];
      pos = 0;
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
    has: (key) => seen.has(key),
    add(target) {
      if (seen.has(target.key)) return false;
      seen.add(target.key);
      upcoming.push(target);
      counts.discovered++;
      return true;
    },
    claimHop(url) {
      const key = finishedKey(url);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    leaveToOtherShard(target) {
      if (seen.has(target.key)) return;
      seen.add(target.key);
      counts.otherShards++;
    },
    skipped() {
      counts.robotsSkipped++;
      charged--;
    },
    counts: () => ({ ...counts }),
  };
}
