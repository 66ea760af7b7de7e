import type { Target } from './target.js';
import type { Source } from './window.js';

/**
 * Where the scheduler takes its work: targets, one at a time, only when the
 * window has room (scheduler.ts). Everything a target goes through after it
 * leaves the frontier is the same whoever made it: the window and per-host
 * admission, robots.txt, the host gate (--rate, Crawl-delay, back-off) and
 * the retry policy.
 *
 * Two implementations: the input list (input/list-frontier.ts): the lines of
 * the input files, parsed and deduped, ending with the list; and the crawl's
 * (input/crawl-frontier.ts, `--follow`).
 *
 * How a crawl frontier plugs in: it implements this
 * interface, plus an `add(target)` of its own that the pipeline calls with
 * the links parsed from each page, as Targets made by input/targets.ts
 * (`toTarget`) with a depth and a parent. It
 *  - dedupes on `key` against every target it has seen, list or discovered
 *    (a table of 64-bit digests, record/key-set.ts, not the URLs);
 *  - queues what it accepts on disk (input/frontier-log.ts), and hands it out
 *    from `next()` in its own order (input/crawl-frontier.ts: breadth first,
 *    level by level); the window's per-host parking
 *    keeps one host's burst of links from holding back the others;
 *  - counts the targets handed out and not yet `done`: while its queue is
 *    empty but some are in flight (their pages may still add links), `next()`
 *    waits; once both are empty, it resolves null and the run ends.
 * `done` is called after the target's outcome has been handled (its links
 * added), so "nothing in flight and nothing queued" really is the end.
 */
export interface Frontier extends Source<Target> {
  /** The scheduler is finished with a target that came from `next()`: its outcome was handled. */
  done(target: Target): void;
}
