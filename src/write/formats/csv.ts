import { CRAWL_FIELDS, RECORD_FIELDS, type ScrapeRecord } from '../../record/record.js';
import type { RecordFormat } from './format.js';

// Spreadsheet apps execute cells starting with these (OWASP "CSV injection").
const FORMULA_LEAD = /^[=+\-@\t\r]/;
/** A plain number (`-12.5`, `+3`, `1e6`): a spreadsheet reads it as a number, never as a formula, so it stays as it is. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One CSV cell per RFC 4180: nested values JSON-encoded, formula-leading text
 * prefixed with `'` so a spreadsheet shows it instead of running it (but a
 * plain number such as `-12.5` stays a number), and quoted when it holds a
 * comma, quote or line break.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && FORMULA_LEAD.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What the run's records hold, beyond the fields every record has: each optional field is a column only when asked for. */
export interface CsvColumns {
  /** --links: a `links` column. */
  links: boolean;
  /** --cache-dir: a `changed` column, just before `timing` as in JSON. */
  changed: boolean;
  /** --headers: a `headers` column (JSON). */
  headers?: boolean;
  /** --chain: a `redirects` column (JSON). */
  redirects?: boolean;
  /** --follow: `depth`, `parent` and `source` columns, after `changed`, before `timing` as in JSON. */
  crawl?: boolean;
  /** The --select names: one `data.NAME` column each, after the record's own columns. */
  selectors: readonly string[];
}

/**
 * CSV with a header row, one column per field, so a spreadsheet or a loader
 * (`COPY … CSV HEADER`, pandas) gets a value per cell: each selector is its
 * own `data.NAME` column (a list stays JSON in its cell); an optional field
 * is a column only when asked for.
 */
export function csvFormat(columns: CsvColumns): RecordFormat {
  const asked: Partial<Record<keyof ScrapeRecord, boolean>> = {
    data: false,
    links: columns.links,
    headers: columns.headers ?? false,
    redirects: columns.redirects ?? false,
  };
  const fields: (keyof ScrapeRecord)[] = RECORD_FIELDS.filter((f) => asked[f] ?? true);
  if (columns.changed) fields.splice(fields.indexOf('timing'), 0, 'changed');
  if (columns.crawl === true) fields.splice(fields.indexOf('timing'), 0, ...CRAWL_FIELDS);
  const names = columns.selectors;
  const header = [...fields, ...names.map((n) => `data.${n}`)].map(csvCell).join(',');
  return {
    header: () => `${header}\r\n`,
    record: (rec: ScrapeRecord) => {
      let line = fields.map((f) => csvCell(rec[f])).join(',');
      for (const n of names) line += `,${csvCell(rec.data[n])}`;
      return `${line}\r\n`;
    },
    footer: () => '',
  };
}
