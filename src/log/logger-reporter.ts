import { scrubUrl } from './redact.js';
import { speedupOf, type Reporter } from './reporter.js';

type LogMethod = (fields: Record<string, unknown>, msg: string) => void;

/**
 * What the run needs of a logger: pino's calling convention (fields, then the
 * message). A pino logger is one; so is anything with these methods, e.g. a
 * pino child with the caller's own bindings, or a thin wrapper around another
 * logging library.
 */
export interface LoggerLike {
  info: LogMethod;
  warn: LogMethod;
  debug: LogMethod;
  /** Asked before building a per-request line; absent: every line is built and the logger filters. */
  isLevelEnabled?(level: string): boolean;
}

/**
 * A reporter that writes to a logger: the JSON log of the command line (pino
 * on stderr) and the library's `logger` option. URLs are scrubbed of
 * user:password here, whoever the logger is: its own redaction is not ours to rely on.
 */
export function loggerReporter(log: LoggerLike): Reporter {
  const infoEnabled = (): boolean => log.isLevelEnabled?.('info') ?? true;
  return {
    // One `fetched` line per URL: at info when it worked, at warn when it failed,
    // so --quiet (warn) and a cron job's mail still list every failure.
    requestDone(rec) {
      if (rec.ok) {
        if (!infoEnabled()) return;
        log.info(
          { url: scrubUrl(rec.url), status: rec.status, attempts: rec.attempts, ttfbMs: rec.timing.ttfbMs, totalMs: rec.timing.totalMs, waitMs: rec.timing.waitMs, error: null },
          'fetched',
        );
        return;
      }
      log.warn(
        {
          url: scrubUrl(rec.url),
          status: rec.status,
          attempts: rec.attempts,
          ttfbMs: rec.timing.ttfbMs,
          totalMs: rec.timing.totalMs,
          waitMs: rec.timing.waitMs,
          error: rec.error.code,
          message: rec.error.message,
        },
        'fetched',
      );
    },
    // At warn when something failed: the summary line a --quiet run ends with. A run that went well says nothing under --quiet.
    summary(s, interrupted, deadlineReached = false) {
      const fields = { ...s, ...(interrupted ? { interrupted } : {}), ...(deadlineReached ? { deadlineReached } : {}) };
      if (s.failed > 0 || deadlineReached) log.warn(fields, 'summary');
      else log.info(fields, 'summary');
    },
    compare(c, q) {
      log.info({ concurrentWallMs: c.wallMs, sequentialWallMs: q.wallMs, speedup: speedupOf(c, q) }, 'compare');
    },
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    info: (msg, fields) => log.info(fields ?? {}, msg),
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    close: () => {},
  };
}

/** No logger: the run says nothing (the library's default). */
export const silentReporter: Reporter = {
  requestDone() {},
  summary() {},
  compare() {},
  warn() {},
  info() {},
  debug() {},
  close() {},
};
