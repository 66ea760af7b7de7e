import type { RecordFormat } from './format.js';

/** One JSON array. Records are still written as they finish, one per line inside the array. */
export const jsonFormat: RecordFormat = {
  header: () => '[',
  record: (rec, index) => `${index === 0 ? '\n' : ',\n'}${JSON.stringify(rec)}`,
  footer: (count) => (count === 0 ? ']\n' : '\n]\n'),
};
