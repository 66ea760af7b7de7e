import type { ExtractOptions } from './extract.js';
import type { Parser } from './inline.js';
import type { WorkersSetting } from './workers.js';

/** A parser that can say when it has room for another page. */
export interface BoundedParser extends Parser {
  /** Resolves once fewer than the bound's pages are handed in and not yet parsed. */
  room(): Promise<void>;
}

/**
 * Backpressure from the parse stage to the fetch stage. When parsing is the
 * bottleneck (fast server, big pages), fetching further ahead only piles up
 * bodies waiting for their turn; each one lives long enough to be promoted to
 * V8's old generation and stays there until a full GC. Callers wait for room()
 * before fetching. Without a bound, W1 (fast server, 256 URLs in the window)
 * kept ~220 pages waiting and peaked at 165 MB; bounded, ~140 MB.
 */
export function withBacklog(parser: Parser, max: number): BoundedParser {
  let waiting = 0;
  const waiters: (() => void)[] = [];
  return {
    async parse(job) {
      waiting++;
      try {
        return await parser.parse(job);
      } finally {
        waiting--;
        if (waiting < max) waiters.shift()?.();
      }
    },
    async room() {
      while (waiting >= max) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => parser.close(),
  };
}

/**
 * A parser whose implementation is still loading. Pages handed in before it is
 * ready wait for it (and count against the backlog like any other).
 */
export function deferredParser(loading: Promise<Parser>): Parser {
  // Its failure (a broken install) surfaces from parse() or close(), not as an
  // unhandled rejection while the first requests are in flight.
  loading.catch(() => {});
  return {
    parse: async (job) => (await loading).parse(job),
    close: async () => (await loading).close(),
  };
}

/**
 * The run's parse stage. Its modules (htmlparser2, encoding-sniffer) take
 * ~40 ms to load and are not needed until the first response lands, so they
 * load while the first requests are in flight instead of before them: the
 * first request of a run leaves that much sooner. The DOM path (parse5,
 * cheerio) waits longer still, for a page that needs it (inline.ts).
 */
export function openParseStage(opts: ExtractOptions, workers: WorkersSetting, maxBacklog: number): BoundedParser {
  return withBacklog(deferredParser(import('./workers.js').then((m) => m.createParser(opts, workers))), maxBacklog);
}
