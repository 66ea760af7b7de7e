import type { Dispatcher } from 'undici';
import { recordsSayWhereFrom, type Config } from '../config/resolve.js';
import { UsageError } from '../config/usage-error.js';
import type { LogLevel } from '../log/levels.js';
import { openReporter } from '../log/open-reporter.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Io } from '../platform/io.js';
import { stopOnFailure } from '../write/stop-on-failure.js';
import { createRecordWriter, loadFormat } from '../write/writer.js';
import { remember, runBaseline } from './compare.js';
import { EXIT } from './exit-status.js';
import { LockedError } from './lock.js';
import { reasonOf } from './open-error.js';
import type { Outcome, Ran } from './outcome.js';
import { targetsFrom } from './pipeline.js';
import { startRun } from './start-run.js';
import { CrawlStateError } from './crawl-state-error.js';
import type { RunResult } from './pipeline.js';
import { openResources, type Resources } from './resources.js';
import { createStops } from './stops.js';
import { writeSummaryFile } from './summary-file.js';

/** The world a session runs in, passed in so tests can run one in-process. */
export interface SessionDeps {
  /** stdin (the URL list for "-"), stdout (records), stderr (logs), signals, hard exit. */
  io: Io;
  clock?: Clock;
  /** Where requests go (a MockAgent in tests); absent: the run makes its own Agent. */
  dispatcher?: Dispatcher;
}

/** --quiet keeps warnings and errors, unless --log-level silent asked for nothing at all. */
function logLevelOf(config: Config): LogLevel {
  return config.quiet && config.logLevel !== 'silent' ? 'warn' : config.logLevel;
}

/**
 * One scrape from a resolved Config: locks, cache and --resume file, the
 * destination, signals, the run, --compare's baseline, the summary file.
 * Returns what happened as data, a file it cannot open included; exitStatus()
 * turns that into a code. Throws only for a bug.
 */
export async function runSession(config: Config, deps: SessionDeps): Promise<Outcome> {
  const { io, clock = systemClock, dispatcher } = deps;
  const reporter = openReporter({ stream: io.stderr, level: logLevelOf(config), now: clock.monotonic });
  const startedAt = new Date(clock.now()).toISOString();
  /** One line on stderr, after the live line (if any) is cleared. */
  const say = (message: string): void => {
    reporter.close();
    io.stderr.write(`scrape: ${message}\n`);
  };
  const stops = createStops(config.graceMs, reporter);
  let brokenPipe = false;
  // Loaded before anything is locked or opened (JSON and CSV load on demand).
  const format = await loadFormat(config.format, {
    links: config.links,
    changed: config.cacheDir !== null,
    headers: config.responseHeaders,
    redirects: config.chain,
    crawl: recordsSayWhereFrom(config),
    selectors: config.selectors.map((s) => s.name),
  });

  let resources: Resources;
  try {
    resources = openResources(config, io, clock, reporter, () => {
      // The reader is gone: nothing more we produce can be delivered.
      brokenPipe = true;
      stops.halt();
    });
  } catch (err) {
    if (err instanceof LockedError) {
      say(err.message);
      return { kind: 'lock-refused', message: err.message };
    }
    if (err instanceof UsageError) {
      say(err.message);
      return { kind: 'usage-error', message: err.message };
    }
    throw err;
  }
  const { incremental, resume, dest, release } = resources;
  // A failed write (disk full) stops the run at once: nothing more could be delivered.
  let writeFailure: Error | null = null;
  const writer = stopOnFailure(createRecordWriter(format, dest), (err) => {
    writeFailure = err;
    stops.halt();
  });

  const unsubscribe = io.onSignal((signal) => {
    if (stops.signal(signal) === 'first') return;
    // Second signal: leave now. Records are written one whole line per write,
    // so stdout holds only whole lines; a temp file is removed, not renamed.
    dest.discard();
    release();
    io.exitNow(EXIT[stops.interrupted ?? signal]);
  });

  try {
    const seen: string[] | null = config.compare ? [] : null;
    const input = targetsFrom(config, io.stdin);
    // The library's run (start-run.ts), its records written to the destination in the order they finish.
    const handle = startRun(config, input, {
      clock,
      dispatcher,
      reporter,
      stops,
      open: async () => ({ incremental }),
      finished: resume?.finished ?? null,
      ...(seen ? { admitted: (target) => remember(target, seen) } : {}),
    });
    // Records on the terminal the live line is on: clear the line first, so a record never starts in the middle of it.
    const sharedTerminal = config.output === null && io.stdout.isTTY === true && io.stderr.isTTY === true;
    let result: RunResult;
    let stateFailed: CrawlStateError | null = null;
    try {
      for await (const rec of handle) {
        if (sharedTerminal) reporter.close();
        await writer.write(rec);
      }
      result = await handle.result;
    } catch (err) {
      // The crawl could not write its state: the run stopped, and ends as when its output cannot be written.
      if (!(err instanceof CrawlStateError)) throw err;
      stateFailed = err;
      result = err.result;
    }
    const ran = (more: Partial<Ran> = {}): Ran => ({
      kind: 'ran',
      summary: result.summary,
      abandoned: result.abandoned,
      interrupted: stops.interrupted,
      deadlineReached: stops.deadlineReached,
      brokenPipe,
      outputFailed: null,
      summaryFileFailed: null,
      baseline: null,
      ...more,
    });
    const outputFailed = (err: Error): Ran => {
      dest.discard();
      const message = `cannot write output: ${err.message}`;
      say(message);
      return ran({ outputFailed: { message } });
    };

    if (writeFailure) return outputFailed(writeFailure);
    if (stateFailed) {
      dest.discard();
      say(stateFailed.message);
      return ran({ outputFailed: { message: stateFailed.message } });
    }
    try {
      await writer.finish();
    } catch (err) {
      // Closing after the reader went away may fail too: that is still the quiet end of `| head`.
      if (!brokenPipe) return outputFailed(err as Error);
    }
    if (brokenPipe) return ran();
    if (result.abandoned > 0) reporter.warn(`${result.abandoned} requests abandoned in flight; they have no record`);
    reporter.summary(result.summary, stops.interrupted, stops.deadlineReached);
    if (config.summaryFile !== null) {
      const counts = incremental.counts();
      try {
        await writeSummaryFile(config.summaryFile, {
          startedAt,
          finishedAt: new Date(clock.now()).toISOString(),
          interrupted: stops.interrupted,
          deadlineReached: stops.deadlineReached,
          ...result.summary,
          written: writer.count,
          skipped: resume?.finished.count.skipped ?? 0,
          changed: counts?.changed ?? null,
          unchanged: counts?.unchanged ?? null,
        });
      } catch (err) {
        const message = `cannot write --summary-file: ${reasonOf(err)}`;
        say(message);
        return ran({ summaryFileFailed: { message } });
      }
    }
    if (seen && !stops.interrupted && !stops.deadlineReached) {
      const runDeps = { clock, dispatcher, reporter, stopDispatch: stops.stopDispatch, abortInflight: stops.abortInflight };
      return ran({ baseline: await runBaseline(config, seen, result.summary, runDeps, () => stops.interrupted !== null) });
    }
    return ran();
  } finally {
    unsubscribe();
    reporter.close();
    release();
  }
}
