import type { ScrapeRecord } from '../record/record.js';
import type { Destination } from './destinations/destination.js';
import type { FormatName, RecordFormat } from './formats/format.js';
import { csvFormat, type OptionalColumns } from './formats/csv.js';
import { jsonFormat } from './formats/json.js';
import { jsonlFormat } from './formats/jsonl.js';

export function formatFor(name: FormatName, optional: OptionalColumns): RecordFormat {
  switch (name) {
    case 'jsonl':
      return jsonlFormat;
    case 'json':
      return jsonFormat;
    case 'csv':
      return csvFormat(optional);
  }
}

/** Records in, formatted text out, in order; each record is one write so a line is never split. */
export interface RecordWriter {
  write(rec: ScrapeRecord): Promise<void>;
  /** Write the footer and close the destination. */
  finish(): Promise<void>;
  readonly count: number;
}

export function createRecordWriter(format: RecordFormat, dest: Destination): RecordWriter {
  let count = 0;
  let started = false;
  const start = (): string => {
    if (started) return '';
    started = true;
    return format.header();
  };
  return {
    write(rec) {
      const text = start() + format.record(rec, count);
      count++;
      return dest.write(text);
    },
    async finish() {
      await dest.write(start() + format.footer(count));
      await dest.close();
    },
    get count() {
      return count;
    },
  };
}
