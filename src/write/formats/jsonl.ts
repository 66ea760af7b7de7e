import type { RecordFormat } from './format.js';

/** One JSON object per line: the default, made for `jq` and line-oriented loaders. */
export const jsonlFormat: RecordFormat = {
  header: () => '',
  record: (rec) => `${JSON.stringify(rec)}\n`,
  footer: () => '',
};
