import type { ScrapeRecord } from '../record/record.js';
import type { Summary } from './stats.js';

/**
 * Everything the run tells the person or the log collector. openReporter()
 * (open-reporter.ts) picks the kind once: a live line and tables for a
 * terminal (tty-reporter.ts), pino JSON lines for anything else (json-reporter.ts).
 */
export interface Reporter {
  requestDone(rec: ScrapeRecord): void;
  /** The whole input has been read: `total` URLs this run (the progress line can show done/total). */
  inputEnded?(total: number): void;
  /** `interrupted`: the signal that stopped the run; `deadlineReached`: --max-time did. */
  summary(s: Summary, interrupted: string | null, deadlineReached?: boolean): void;
  compare(concurrent: Summary, sequential: Summary): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Stop the live line, if any. */
  close(): void;
}

export function speedupOf(concurrent: Summary, sequential: Summary): number {
  return concurrent.wallMs > 0 ? Math.round((sequential.wallMs / concurrent.wallMs) * 100) / 100 : 0;
}
