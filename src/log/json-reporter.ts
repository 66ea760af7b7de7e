import type { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { LogLevel } from './levels.js';
import { REDACT_PATHS, scrubUrl } from './redact.js';
import { speedupOf, type Reporter } from './reporter.js';

/** Non-terminal stderr (cron, pipes, log shippers): pino JSON lines. */
export function jsonReporter(stream: Writable, level: LogLevel): Reporter {
  const log: Logger = pino(
    {
      level,
      base: null,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    stream,
  );
  return {
    requestDone(rec) {
      if (!log.isLevelEnabled('info')) return;
      log.info(
        {
          url: scrubUrl(rec.url),
          status: rec.status,
          attempts: rec.attempts,
          ttfbMs: rec.timing.ttfbMs,
          totalMs: rec.timing.totalMs,
          error: rec.error?.code ?? null,
        },
        'fetched',
      );
    },
    summary(s, interrupted) {
      log.info({ ...s, ...(interrupted ? { interrupted } : {}) }, 'summary');
    },
    compare(c, q) {
      log.info({ concurrentWallMs: c.wallMs, sequentialWallMs: q.wallMs, speedup: speedupOf(c, q) }, 'compare');
    },
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    close: () => {},
  };
}
