import type { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { LogLevel } from './levels.js';
import type { ScrapeRecord } from '../record/record.js';
import { REDACT_PATHS, scrubUrl } from './redact.js';
import type { Summary } from './stats.js';

/** Everything the run tells the person or the log collector, all on stderr. */
export interface Reporter {
  requestDone(rec: ScrapeRecord): void;
  /** The whole input has been read: `total` URLs this run (the progress line can show done/total). */
  inputEnded?(total: number): void;
  summary(s: Summary, interrupted: string | null): void;
  compare(concurrent: Summary, sequential: Summary): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Stop the live line, if any. */
  close(): void;
}

export function speedupOf(concurrent: Summary, sequential: Summary): number {
  return concurrent.wallMs > 0 ? Math.round((sequential.wallMs / concurrent.wallMs) * 100) / 100 : 0;
}

/** Non-terminal stderr (cron, pipes, log shippers): pino JSON lines. */
export function jsonReporter(stderr: Writable, level: LogLevel): Reporter {
  const log: Logger = pino(
    {
      level,
      base: null,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    stderr,
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

const LEVEL_RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };

/** A terminal: a live progress line while running, then a table a person can read. */
export function ttyReporter(stderr: Writable & { columns?: number }, level: LogLevel, now: () => number): Reporter {
  const show = (l: LogLevel): boolean => LEVEL_RANK[l] >= LEVEL_RANK[level];
  const started = now();
  let done = 0;
  let failed = 0;
  let total: number | null = null;
  let lastPaint = 0;
  let lineShown = false;
  const clear = (): void => {
    if (lineShown) stderr.write('\r\x1b[2K');
    lineShown = false;
  };
  const paint = (): void => {
    const secs = (now() - started) / 1000;
    const rate = secs > 0 ? (done / secs).toFixed(1) : '0.0';
    const line = `scrape: ${done}${total === null ? '' : `/${total}`} done, ${failed} failed, ${rate}/s`;
    stderr.write(`\r\x1b[2K${line.slice(0, (stderr.columns || 80) - 1)}`);
    lineShown = true;
  };
  const say = (text: string): void => {
    clear();
    stderr.write(`${text}\n`);
  };
  const table = (rows: [string, string][]): string => {
    const w = Math.max(...rows.map(([k]) => k.length));
    return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
  };
  return {
    inputEnded(n) {
      total = n;
    },
    requestDone(rec) {
      done++;
      if (!rec.ok) failed++;
      if (show('debug')) say(`${rec.ok ? 'ok  ' : 'FAIL'} ${rec.status ?? '-'} ${scrubUrl(rec.url)} ${rec.timing.totalMs} ms${rec.error ? ` ${rec.error.code}` : ''}`);
      if (!show('info')) return;
      const t = now();
      if (t - lastPaint >= 100) {
        lastPaint = t;
        paint();
      }
    },
    summary(s, interrupted) {
      if (!show('info')) return;
      const errors = Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(', ');
      say(
        [
          interrupted ? `scrape: interrupted by ${interrupted}` : 'scrape: summary',
          table([
            ['URLs', `${s.total} (${s.ok} ok, ${s.failed} failed)`],
            ...(errors ? [['errors', errors] as [string, string]] : []),
            ['wall', `${s.wallMs} ms`],
            ['requests/s', String(s.requestsPerSec)],
            ['latency p50 / p95', `${s.p50Ms} / ${s.p95Ms} ms`],
            ['sum of request times', `${s.sumMs} ms`],
            ['effective parallelism', `${s.parallelism}×`],
          ]),
        ].join('\n'),
      );
    },
    compare(c, q) {
      if (!show('info')) return;
      say(
        [
          'scrape: concurrent vs sequential',
          table([
            ['concurrent wall', `${c.wallMs} ms`],
            ['sequential wall', `${q.wallMs} ms`],
            ['speedup', `${speedupOf(c, q)}×`],
          ]),
        ].join('\n'),
      );
    },
    warn(msg, fields) {
      if (show('warn')) say(`scrape: warning: ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
    },
    debug(msg, fields) {
      if (show('debug')) say(`scrape: ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
    },
    close: clear,
  };
}
