import type { Writable } from 'node:stream';
import { jsonReporter } from './json-reporter.js';
import type { LogLevel } from './levels.js';
import type { Reporter } from './reporter.js';
import { ttyReporter } from './tty-reporter.js';

/** Where logs go: a stream, and what it says about itself when it is a terminal. */
export type LogStream = Writable & { isTTY?: boolean; columns?: number };

export interface ReporterOptions {
  /** Where every log line goes (stderr in the CLI): nothing of the run's logs is written anywhere else. */
  stream: LogStream;
  level: LogLevel;
  /** Monotonic ms, for the progress line's rate. */
  now: () => number;
  /** Whether `stream` is a person's terminal; default: the stream's own `isTTY`. */
  isTTY?: boolean;
  /** The terminal's width; default: the stream's `columns`, asked at each paint (80 when unknown). */
  columns?: number;
}

/**
 * The run's reporter, chosen once: a terminal gets a live line and tables, any
 * other stream (cron, pipes, log shippers) pino JSON lines. Callers only say
 * where logs go; which kind, and how wide, is decided here.
 */
export function openReporter(options: ReporterOptions): Reporter {
  const { stream, level, now } = options;
  if (!(options.isTTY ?? stream.isTTY === true)) return jsonReporter(stream, level);
  const fixed = options.columns;
  return ttyReporter(stream, level, now, fixed === undefined ? () => stream.columns || 80 : () => fixed);
}
