import { setMaxListeners } from 'node:events';
import type { Reporter } from '../log/reporter.js';
import type { StopSignal } from '../platform/io.js';

/**
 * How a run is stopped early, in two steps (httpx's two-phase Ctrl+C): first no
 * new requests start, then requests in flight are abandoned. The first signal
 * takes the first step at once and the second after a grace period; a reader
 * that went away or a failed write takes both at once, since nothing more
 * could be delivered.
 */
export interface Stops {
  /** Aborted to stop dispatching new URLs. */
  readonly stopDispatch: AbortSignal;
  /** Aborted to abandon requests in flight. */
  readonly abortInflight: AbortSignal;
  /** The first signal received, or null. */
  readonly interrupted: StopSignal | null;
  /** A SIGINT/SIGTERM: 'first' starts the graceful stop; 'again' means the person wants out now. */
  signal(signal: StopSignal): 'first' | 'again';
  /** A library caller's AbortSignal: the same graceful stop as a first signal, with no signal to report. */
  abort(): void;
  /** Whether abort() was called. */
  readonly aborted: boolean;
  /** Aborted when --max-time's deadline passes (deadline()). */
  readonly deadline: AbortSignal;
  /** --max-time reached: no attempt starts from now on, but the input is read to its end so every URL gets a record; requests in flight get the grace period. */
  expire(): void;
  /** Whether expire() was called. */
  readonly deadlineReached: boolean;
  /** Both steps at once. */
  halt(): void;
}

export function createStops(graceMs: number, reporter: Reporter): Stops {
  const stopDispatch = new AbortController();
  const abortInflight = new AbortController();
  // Every request in flight listens for a stop: that is not a leak.
  setMaxListeners(0, stopDispatch.signal, abortInflight.signal);
  let interrupted: StopSignal | null = null;
  let aborted = false;
  const deadline = new AbortController();
  setMaxListeners(0, deadline.signal);
  const graceful = (why: string, more = ''): void => {
    reporter.warn(`${why}: finishing requests in flight (up to ${graceMs} ms)${more}`);
    stopDispatch.abort();
    setTimeout(() => abortInflight.abort(), graceMs).unref();
  };
  return {
    stopDispatch: stopDispatch.signal,
    abortInflight: abortInflight.signal,
    get interrupted() {
      return interrupted;
    },
    signal(signal) {
      if (interrupted) return 'again';
      interrupted = signal;
      graceful(signal, '; send again to quit at once');
      return 'first';
    },
    get aborted() {
      return aborted;
    },
    deadline: deadline.signal,
    get deadlineReached() {
      return deadline.signal.aborted;
    },
    expire() {
      if (deadline.signal.aborted) return;
      reporter.warn(`--max-time reached: no new requests; requests in flight get up to ${graceMs} ms; URLs left get DEADLINE records`);
      deadline.abort();
      setTimeout(() => abortInflight.abort(), graceMs).unref();
    },
    abort() {
      if (aborted || interrupted) return;
      aborted = true;
      graceful('aborted');
    },
    halt() {
      stopDispatch.abort();
      abortInflight.abort();
    },
  };
}
