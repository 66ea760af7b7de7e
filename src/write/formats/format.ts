import type { ScrapeRecord } from '../../record/record.js';

/**
 * A format turns records into text and nothing else: where the text goes
 * (stdout, an atomic file) and backpressure are the destination's job.
 */
export interface RecordFormat {
  /** Text written before the first record (CSV header, JSON `[`). */
  header(): string;
  /** One record; `index` is 0 for the first record written. */
  record(rec: ScrapeRecord, index: number): string;
  /** Text written after the last record; `count` records were written. */
  footer(count: number): string;
}

export type FormatName = 'jsonl' | 'json' | 'csv';
export const FORMAT_NAMES: readonly FormatName[] = ['jsonl', 'json', 'csv'];
