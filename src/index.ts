/**
 * The package's entry point: `import { scrape } from 'PACKAGE'`. Everything a
 * caller needs, and nothing else: the command line is bin/scrape.js.
 */
export { scrape } from './session/scrape.js';
export type { ScrapeOptions, ScrapeRun, ScrapeSummary, UrlSource } from './session/scrape.js';
export type { LoggerLike } from './log/logger-reporter.js';
export type { DataValue, ErrorCode, FailedRecord, OkRecord, RecordError, ScrapeRecord, Timing } from './record/record.js';
export { ERROR_CODES } from './record/record.js';
export { UsageError } from './config/usage-error.js';
