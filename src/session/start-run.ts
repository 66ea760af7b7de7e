import type { Dispatcher } from 'undici';
import type { Config } from '../config/resolve.js';
import type { Target } from '../input/targets.js';
import type { Reporter } from '../log/reporter.js';
import type { Clock } from '../platform/clock.js';
import type { ScrapeRecord } from '../record/record.js';
import { recordChannel } from '../write/record-channel.js';
import type { Incremental } from './incremental.js';
import { run, type RunResult } from './pipeline.js';
import { CrawlStateError } from './crawl-state-error.js';
import type { AlreadyRecorded } from './resume.js';
import type { Stops } from './stops.js';

/**
 * Records that may wait for the consumer before the run holds its window:
 * enough to keep the pipeline busy between two pulls, few enough that a slow
 * consumer slows the fetching within a handful of records.
 */
export const RECORDS_AHEAD = 16;

export interface StartDeps {
  clock: Clock;
  /** Where requests go; absent: the run makes its own Agent and destroys it at the end. */
  dispatcher?: Dispatcher | undefined;
  reporter: Reporter;
  /** How the run is stopped early; the caller wires signals (the CLI) or an AbortSignal (the library) to it. */
  stops: Stops;
  /**
   * Called once, when the first record is asked for: what the run holds while
   * it runs (the page cache). `release`, if given, is called when the run
   * ends; the CLI releases its own (its locks outlive the run: they cover the
   * output file's rename).
   */
  open(): Promise<{ incremental: Incremental; release?(): void }>;
  /** --resume: what the output file has records for, skipped (the command line's; null otherwise). */
  finished?: AlreadyRecorded | null;
  /** Hears each target the run takes in (after sitemaps and --resume): --compare remembers them. */
  admitted?: (target: Target) => void;
}

/** A run in progress: its records as they finish, and what it came to. */
export interface RunHandle extends AsyncIterable<ScrapeRecord> {
  /** Resolves when the run has ended (every record taken, or the iteration left); rejects with what ended it with an error. */
  readonly result: Promise<RunResult>;
}

/**
 * The one way a run is started, by the command line (session.ts, which writes
 * each record to its destination) and by the library (scrape.ts, which hands
 * them to the caller's loop): the pipeline's records through a channel with
 * backpressure. Nothing starts until the first record is asked for. Leaving
 * the iteration early (`break`, a throw, a failed write) halts the run and
 * comes back only once it has ended and its sockets are closed.
 */
export function startRun(config: Config, targets: AsyncIterable<Target>, deps: StartDeps): RunHandle {
  const { clock, dispatcher, reporter, stops } = deps;
  const channel = recordChannel(RECORDS_AHEAD);
  let settle!: { resolve: (r: RunResult) => void; reject: (err: unknown) => void };
  const result = new Promise<RunResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The iteration reports a failure too: an unread `result` must not be an unhandled rejection.
  result.catch(() => {});

  const go = async (): Promise<void> => {
    // --max-time counts from the run's start: the first record asked for.
    const timer = config.maxTimeMs === null ? null : setTimeout(() => stops.expire(), config.maxTimeMs);
    try {
      const { incremental, release } = await deps.open();
      try {
        const writer = incremental.writer(channel);
        let stateFailure: string | null = null;
        const ran = await run(config, targets, {
          clock,
          dispatcher,
          reporter,
          writer,
          stopDispatch: stops.stopDispatch,
          abortInflight: stops.abortInflight,
          changes: incremental.changes,
          finished: deps.finished ?? null,
          ...(deps.admitted ? { admitted: deps.admitted } : {}),
          stateFailed: (message) => {
            stateFailure ??= message;
            stops.halt();
          },
          ...(config.maxTimeMs === null ? {} : { deadline: stops.deadline }),
        });
        if (stateFailure !== null) throw new CrawlStateError(stateFailure, ran);
        settle.resolve(ran);
        channel.end();
      } finally {
        release?.();
      }
    } catch (err) {
      settle.reject(err);
      channel.end(err);
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  let running: Promise<void> | null = null;
  return {
    result,
    [Symbol.asyncIterator]() {
      return {
        next: () => {
          running ??= go();
          return channel.pull();
        },
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
