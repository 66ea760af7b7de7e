import type { Writable } from 'node:stream';
import type { LogLevel } from './levels.js';
import { scrubUrl } from './redact.js';
import { speedupOf, type Reporter } from './reporter.js';
import type { CrawlSummary } from './stats.js';

/** A crawl's counts beyond its records, in words. */
const crawlLine = (c: CrawlSummary): string =>
  `${c.discovered} links queued, ${c.robotsSkipped} disallowed by robots.txt, ${c.droppedMaxPages} dropped at --max-pages${c.otherShards > 0 ? `, ${c.otherShards} left to other shards` : ''}${c.unfinished > 0 ? `, ${c.unfinished} left unfinished (--resume fetches them)` : ''}`;

const LEVEL_RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };

/**
 * A terminal: a live progress line while running, then a table a person can read.
 * `columns` is asked at each paint, so the line follows a resized window.
 */
export function ttyReporter(stream: Writable, level: LogLevel, now: () => number, columns: () => number): Reporter {
  const show = (l: LogLevel): boolean => LEVEL_RANK[l] >= LEVEL_RANK[level];
  const started = now();
  let done = 0;
  let failed = 0;
  let total: number | null = null;
  let lastPaint = 0;
  let lineShown = false;
  const clear = (): void => {
    if (lineShown) stream.write('\r\x1b[2K');
    lineShown = false;
  };
  const paint = (): void => {
    const secs = (now() - started) / 1000;
    const rate = secs > 0 ? (done / secs).toFixed(1) : '0.0';
    const line = `scrape: ${done}${total === null ? '' : `/${total}`} done, ${failed} failed, ${rate}/s`;
    stream.write(`\r\x1b[2K${line.slice(0, columns() - 1)}`);
    lineShown = true;
  };
  const say = (text: string): void => {
    clear();
    stream.write(`${text}\n`);
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
      if (rec.ok ? show('debug') : show('warn')) {
        say(`${rec.ok ? 'ok  ' : 'FAIL'} ${rec.status ?? '-'} ${scrubUrl(rec.url)} ${rec.timing.totalMs} ms${rec.error ? ` ${rec.error.code}: ${rec.error.message}` : ''}`);
      }
      if (!show('info')) return;
      const t = now();
      if (t - lastPaint >= 100) {
        lastPaint = t;
        paint();
      }
    },
    summary(s, interrupted, deadlineReached = false) {
      if (!show('info')) {
        // --quiet: one line, and only when something went wrong.
        if (show('warn') && (s.failed > 0 || deadlineReached)) {
          const errors = Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(', ');
          say(`scrape: ${s.failed} of ${s.total} URLs failed (${errors})${deadlineReached ? ', --max-time reached' : ''}; ${s.wallMs} ms`);
        }
        return;
      }
      const errors = Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(', ');
      say(
        [
          interrupted ? `scrape: interrupted by ${interrupted}` : deadlineReached ? 'scrape: summary (--max-time reached)' : 'scrape: summary',
          table([
            ['URLs', `${s.total} (${s.ok} ok, ${s.failed} failed)`],
            ...(errors ? [['errors', errors] as [string, string]] : []),
            ...(s.crawl ? [['crawl', crawlLine(s.crawl)] as [string, string]] : []),
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
    info(msg) {
      // The message says it all to a person; the fields are for log collectors.
      if (show('info')) say(`scrape: ${msg}`);
    },
    debug(msg, fields) {
      if (show('debug')) say(`scrape: ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
    },
    close: clear,
  };
}
