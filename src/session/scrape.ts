import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { libraryConfig, type LibraryOptions } from '../config/library-options.js';
import { checkSelectors } from '../config/selectors.js';
import { UsageError } from '../config/usage-error.js';
import { linesOf } from '../input/lines.js';
import { shardTargets } from '../input/shard.js';
import { toTargets } from '../input/targets.js';
import { loggerReporter, silentReporter, type LoggerLike } from '../log/logger-reporter.js';
import type { Summary } from '../log/stats.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { ScrapeRecord } from '../record/record.js';
import { openRunResources } from './resources.js';
import { startRun } from './start-run.js';
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
  /** The `maxTime` deadline passed: the URLs it cut off have DEADLINE records. */
  deadlineReached: boolean;
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
  // Settings of scrape's own Agent: a dispatcher you pass has its own.
  for (const [key, set] of [
    ['proxy', config.proxy !== null],
    ['caCert', config.caCert !== null],
    ['http1.1', config.http1],
    ['http2', config.http2],
  ] as const) {
    if (dispatcher && set) throw new UsageError(`scrape() options: "${key}" configures scrape's own Agent; set it on the dispatcher you pass instead`);
  }
  const clock = internals.clock ?? systemClock;
  const reporter = logger ? loggerReporter(logger) : silentReporter;
  const stops = createStops(config.graceMs, reporter);
  const onAbort = (): void => stops.abort();
  const handle = startRun(config, shardTargets(toTargets(lines(urls)), config.shard), {
    clock,
    dispatcher,
    reporter,
    stops,
    async open() {
      await checkSelectors(config.selectors, config.follow ? config.linkSelector : null);
      if (signal?.aborted) stops.abort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      return openRunResources(config, clock);
    },
  });
  // A signal that outlives the run (one controller for many runs) must not keep it, or a listener per run.
  void handle.result.finally(() => signal?.removeEventListener('abort', onAbort)).catch(() => {});
  const summary = handle.result.then((result): ScrapeSummary => {
    reporter.summary(result.summary, stops.aborted ? 'abort' : null, stops.deadlineReached);
    return { ...result.summary, aborted: stops.aborted, abandoned: result.abandoned, deadlineReached: stops.deadlineReached };
  });
  // The iteration reports a failure too: an unread `summary` must not be an unhandled rejection.
  summary.catch(() => {});
  return { summary, [Symbol.asyncIterator]: () => handle[Symbol.asyncIterator]() };
}
