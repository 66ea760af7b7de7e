import type { FormatName } from './write/format.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
