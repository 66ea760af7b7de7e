import { RECORD_FIELDS, type ScrapeRecord } from '../../record/record.js';
import type { RecordFormat } from './format.js';

// Spreadsheet apps execute cells starting with these (OWASP "CSV injection").
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/**
 * One CSV cell per RFC 4180: nested values JSON-encoded, formula-leading text
 * prefixed with `'` so a spreadsheet shows it instead of running it, and quoted
 * when it holds a comma, quote or line break.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && FORMULA_LEAD.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The optional record fields a run asked for: each is a CSV column only then. */
export interface OptionalColumns {
  links: boolean;
  changed?: boolean;
  headers?: boolean;
  redirects?: boolean;
}

/**
 * CSV with a header row; `links`, `redirects` and `headers` are columns only
 * when --links, --chain and --headers asked for them, `changed` (just before
 * `timing`, as in JSON) only with --cache-dir.
 */
export function csvFormat(optional: OptionalColumns): RecordFormat {
  const withChanged = optional.changed ?? false;
  const asked: Partial<Record<keyof ScrapeRecord, boolean>> = { links: optional.links, headers: optional.headers ?? false, redirects: optional.redirects ?? false };
  const fields: (keyof ScrapeRecord)[] = RECORD_FIELDS.filter((f) => asked[f] ?? true);
  if (withChanged) fields.splice(fields.indexOf('timing'), 0, 'changed');
  return {
    header: () => `${fields.join(',')}\r\n`,
    record: (rec: ScrapeRecord) => `${fields.map((f) => csvCell(rec[f])).join(',')}\r\n`,
    footer: () => '',
  };
}
