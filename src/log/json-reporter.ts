import type { Writable } from 'node:stream';
import { pino } from 'pino';
import type { LogLevel } from './levels.js';
import { loggerReporter } from './logger-reporter.js';
import { REDACT_PATHS } from './redact.js';
import type { Reporter } from './reporter.js';

/** Non-terminal stderr (cron, pipes, log shippers): pino JSON lines. */
export function jsonReporter(stream: Writable, level: LogLevel): Reporter {
  return loggerReporter(
    pino(
      {
        level,
        base: null,
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      },
      stream,
    ),
  );
}
