import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { libraryConfig, type LibraryOptions } from '../config/library-options.js';
import type { Config } from '../config/resolve.js';
import { checkSelectors } from '../config/selectors.js';
import { UsageError } from '../config/usage-error.js';
import { linesOf } from '../input/lines.js';
import { shardTargets } from '../input/shard.js';
import { toTargets } from '../input/targets.js';
import { loggerReporter, silentReporter, type LoggerLike } from '../log/logger-reporter.js';
import type { Summary } from '../log/stats.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { ScrapeRecord } from '../record/record.js';
import { recordChannel } from '../write/record-channel.js';
import { run } from './pipeline.js';
import { openRunResources } from './resources.js';
import { createStops } from './stops.js';

/** URLs as code hands them over: any (async) iterable of strings, or a byte or text stream of lines. */
export type UrlSource = Iterable<string> | AsyncIterable<string> | Readable;

export interface ScrapeOptions extends LibraryOptions {
  /**
   * Stop the run as a first Ctrl+C stops the command: no new request starts,
   * requests in flight get the grace period (2 s) to finish and deliver their
   * records, then are aborted. The iteration then ends normally (no
   * AbortError), and `summary.aborted` is true.
   */
  signal?: AbortSignal;
  /** Where requests go instead of scrape's own Agent (a ProxyAgent, a MockAgent, custom TLS). Left open: it is yours. */
  dispatcher?: Dispatcher;
  /** A pino(-compatible) logger for the run's log lines (one `fetched` line per URL at info, warnings, the summary). Default: silent. */
  logger?: LoggerLike;
}

/** What the command line's summary shows, as a value. */
export interface ScrapeSummary extends Summary {
  /** The `signal` stopped the run early: URLs not yet started have no record. */
  aborted: boolean;
  /** Requests in flight when the grace period ran out (or the loop was left): they have no record. */
  abandoned: number;
}

/** Records as they finish, and the summary once the run has ended. */
export interface ScrapeRun extends AsyncIterable<ScrapeRecord> {
  /** Resolves once the run has ended (all records consumed, or the loop left); rejects with what ended the iteration with an error. */
  readonly summary: Promise<ScrapeSummary>;
}

/** Internals a test may replace; not part of the package's API. */
export interface ScrapeInternals {
  clock?: Clock;
}

/**
 * Records that may wait for the consumer before the run holds its window:
 * enough to keep the pipeline busy between two pulls, few enough that a slow
 * consumer slows the fetching within a handful of records.
 */
const HIGH_WATER = 16;

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && (Symbol.iterator in value || Symbol.asyncIterator in value);
}

/** Each item is one URL line, as a line of a file is: trimmed, blank and `#` lines skipped, bad ones INVALID_URL records. */
async function* lines(urls: UrlSource): AsyncGenerator<string> {
  if (urls instanceof Readable) return yield* linesOf(urls);
  for await (const item of urls as AsyncIterable<unknown>) {
    if (typeof item !== 'string') throw new TypeError(`scrape(): every URL must be a string, got ${item === null ? 'null' : typeof item}`);
    yield item;
  }
}

/**
 * The library's run: the same pipeline as the command line (scheduler,
 * robots.txt, retries, parse stage, --cache-dir), with records handed to an
 * iterator instead of a destination. It never writes to stdout or stderr,
 * never exits, never listens for signals. Options are checked here, at once:
 * a bad one throws a UsageError with the command line's message.
 */
export function scrape(urls: UrlSource, options: ScrapeOptions = {}, internals: ScrapeInternals = {}): ScrapeRun {
  if (typeof urls === 'string' || !isIterable(urls)) {
    throw new TypeError('scrape(): urls must be an iterable of URL strings (an array, a generator, a stream of lines), e.g. scrape([url])');
  }
  const { signal, dispatcher, logger, ...rest } = options;
  const config = libraryConfig(rest);
  if (dispatcher && config.denyPrivate) {
    throw new UsageError('scrape() options: "denyPrivate" checks the address scrape\'s own Agent connects to; it cannot be checked through a dispatcher you pass');
  }
  const clock = internals.clock ?? systemClock;
  const reporter = logger ? loggerReporter(logger) : silentReporter;
  const stops = createStops(config.graceMs, reporter);
  const channel = recordChannel(HIGH_WATER);
  let resolveSummary!: (s: ScrapeSummary) => void;
  let rejectSummary!: (err: unknown) => void;
  const summary = new Promise<ScrapeSummary>((resolve, reject) => {
    resolveSummary = resolve;
    rejectSummary = reject;
  });
  // The iteration reports a failure too; a caller who never awaits `summary` must not get an unhandled rejection.
  summary.catch(() => {});

  const go = async (): Promise<void> => {
    const onAbort = (): void => stops.abort();
    try {
      if (signal?.aborted) stops.abort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      await checkSelectors(config.selectors);
      const result = await withResources(config, clock, async (incremental) => {
        const writer = incremental.writer(channel);
        const targets = shardTargets(toTargets(lines(urls)), config.shard);
        return run(config, targets, {
          clock,
          dispatcher,
          reporter,
          writer,
          stopDispatch: stops.stopDispatch,
          abortInflight: stops.abortInflight,
          changes: incremental.changes,
        });
      });
      reporter.summary(result.summary, stops.aborted ? 'abort' : null);
      resolveSummary({ ...result.summary, aborted: stops.aborted, abandoned: result.abandoned });
      channel.end();
    } catch (err) {
      rejectSummary(err);
      channel.end(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };

  let running: Promise<void> | null = null;
  return {
    summary,
    [Symbol.asyncIterator]() {
      return {
        next: () => {
          running ??= go();
          return channel.pull();
        },
        // `break`, `return` or a throw in the loop body: nothing more is wanted.
        // Stop at once, and come back only when the sockets are closed.
        return: async () => {
          channel.cancel();
          stops.halt();
          await running;
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  };
}

/** The run's locks and page cache, held for `body` and released after it, whatever happens. */
async function withResources<T>(config: Config, clock: Clock, body: (incremental: ReturnType<typeof openRunResources>['incremental']) => Promise<T>): Promise<T> {
  const resources = openRunResources(config, clock);
  try {
    return await body(resources.incremental);
  } finally {
    resources.release();
  }
}
