import { setMaxListeners } from 'node:events';
import type { Io } from '../platform/io.js';
import { EXIT } from './exit-status.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../config/resolve.js';
import type { LogLevel } from '../log/levels.js';
import { UsageError } from '../config/usage-error.js';
import { toTarget, type Target } from '../input/targets.js';
import { jsonReporter, ttyReporter, type Reporter } from '../log/reporter.js';
import { LockedError } from './lock.js';
import { run, targetsFrom } from './pipeline.js';
import { openUnattended, type Unattended } from './unattended.js';
import { fileDestination, stdoutDestination, type Destination } from '../write/destinations/destination.js';
import { stopOnFailure } from '../write/stop-on-failure.js';
import { createRecordWriter, formatFor } from '../write/writer.js';

const SIGNAL_EXIT = { SIGINT: EXIT.SIGINT, SIGTERM: EXIT.SIGTERM } as const;

/** Remember the URLs as they stream past, for --compare's second pass (stdin cannot be read twice). */
async function* remember(targets: AsyncIterable<Target>, into: string[]): AsyncGenerator<Target> {
  for await (const t of targets) {
    if (t.kind === 'url') into.push(t.url);
    yield t;
  }
}

async function* replay(urls: readonly string[]): AsyncGenerator<Target> {
  for (const url of urls) yield toTarget(url);
}

/** The baseline is measured, not reported URL by URL. */
function baselineReporter(r: Reporter): Reporter {
  return { ...r, requestDone: () => {}, summary: () => {} };
}

function openDestination(config: Config, io: Io, onBrokenPipe: () => void): Destination {
  if (config.output === null) return stdoutDestination(io.stdout, onBrokenPipe);
  try {
    return fileDestination(config.output);
  } catch (err) {
    throw new UsageError(`cannot write --output "${config.output}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** One run from a validated config: the process-level lifecycle around run(). */
export async function execute(config: Config, io: Io, clock: Clock = systemClock): Promise<number> {
  const level: LogLevel = config.quiet && config.logLevel !== 'silent' ? 'warn' : config.logLevel;
  const reporter = io.stderr.isTTY ? ttyReporter(io.stderr, level, clock.monotonic) : jsonReporter(io.stderr, level);
  const stopDispatch = new AbortController();
  const abortInflight = new AbortController();
  // Every request in flight listens for a stop: that is not a leak.
  setMaxListeners(0, stopDispatch.signal, abortInflight.signal);
  let interrupted: keyof typeof SIGNAL_EXIT | null = null;
  let brokenPipe = false;

  // Locks, cache and --resume file, before anything is written or fetched.
  let unattended: Unattended;
  try {
    unattended = openUnattended(config, clock, reporter);
  } catch (err) {
    if (!(err instanceof LockedError)) throw err;
    reporter.close();
    io.stderr.write(`scrape: ${err.message}\n`);
    return EXIT.LOCKED;
  }
  let dest: Destination;
  try {
    dest =
      unattended.destination ??
      openDestination(config, io, () => {
        // The reader is gone: nothing more we produce can be delivered.
        brokenPipe = true;
        stopDispatch.abort();
        abortInflight.abort();
      });
  } catch (err) {
    unattended.release();
    throw err;
  }
  // A failed write (disk full) stops the run at once: nothing more could be delivered.
  let outputFailure: Error | null = null;
  const writer = stopOnFailure(
    unattended.writer(createRecordWriter(formatFor(config.format, config.links, config.cacheDir !== null), dest)),
    (err) => {
      outputFailure = err;
      stopDispatch.abort();
      abortInflight.abort();
    },
  );
  const outputFailed = (err: Error): number => {
    dest.discard();
    reporter.close();
    io.stderr.write(`scrape: cannot write output: ${err.message}\n`);
    return EXIT.OUTPUT;
  };

  const unsubscribe = io.onSignal((signal) => {
    if (interrupted) {
      // Second signal: leave now. Records are written one whole line per write,
      // so stdout holds only whole lines; a temp file is removed, not renamed.
      dest.discard();
      unattended.release();
      io.exitNow(SIGNAL_EXIT[interrupted]);
      return;
    }
    interrupted = signal;
    reporter.warn(`${signal}: finishing requests in flight (up to ${config.graceMs} ms); send again to quit at once`);
    stopDispatch.abort();
    setTimeout(() => abortInflight.abort(), config.graceMs).unref();
  });

  try {
    const seen: string[] | null = config.compare ? [] : null;
    const source = unattended.targets(targetsFrom(config, io.stdin));
    const targets = seen ? remember(source, seen) : source;
    const deps = { clock, reporter, stopDispatch: stopDispatch.signal, abortInflight: abortInflight.signal };
    const result = await run(config, targets, { ...deps, writer, changes: unattended.changes });
    if (outputFailure) return outputFailed(outputFailure);
    try {
      await writer.finish();
    } catch (err) {
      if (brokenPipe) return EXIT.OK;
      return outputFailed(err as Error);
    }
    if (brokenPipe) return EXIT.OK;
    if (result.abandoned > 0) reporter.warn(`${result.abandoned} requests abandoned in flight; they have no record`);
    reporter.summary(result.summary, interrupted);
    try {
      await unattended.finish(result.summary, interrupted);
    } catch (err) {
      reporter.close();
      io.stderr.write(`scrape: cannot write --summary-file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return EXIT.OUTPUT;
    }

    if (seen && !interrupted) {
      reporter.debug('running the sequential baseline', { urls: seen.length });
      const sequential = { ...config, concurrency: 1, perHost: 1 };
      const baseline = await run(sequential, replay(seen), { ...deps, reporter: baselineReporter(reporter), writer: null });
      if (!interrupted) reporter.compare(result.summary, baseline.summary);
    }
    if (interrupted) return SIGNAL_EXIT[interrupted];
    return result.summary.failed > 0 ? EXIT.FAILED : EXIT.OK;
  } finally {
    unsubscribe();
    reporter.close();
    unattended.release();
  }
}
