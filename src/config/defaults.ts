import type { LogLevel } from '../log/levels.js';
import type { FormatName } from '../write/formats/format.js';


/** Defaults, in one place so `--help` and the README can quote them. */
export const DEFAULTS = {
  concurrency: 16,
  perHost: 8,
  timeoutMs: 30_000,
  retries: 2,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 10,
  format: 'jsonl' as FormatName,
  logLevel: 'info' as LogLevel,
  retryMaxWaitMs: 30_000,
  graceMs: 2_000,
};
