import type { ScrapeRecord } from '../record/record.js';
import type { Destination } from './destinations/destination.js';
import type { CsvColumns } from './formats/csv.js';
import type { FormatName, RecordFormat } from './formats/format.js';
import { jsonlFormat } from './formats/jsonl.js';

/** The run's format. JSON Lines is the default and always loaded; JSON and CSV load only when asked for. */
export async function loadFormat(name: FormatName, columns: CsvColumns): Promise<RecordFormat> {
  switch (name) {
    case 'jsonl':
      return jsonlFormat;
    case 'json':
      return (await import('./formats/json.js')).jsonFormat;
    case 'csv':
      return (await import('./formats/csv.js')).csvFormat(columns);
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
