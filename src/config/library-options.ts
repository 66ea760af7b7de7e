import { attributeName, ROWS, type OptionObject } from './options.js';
import type { Target } from './config-file.js';
import { readOptionObject } from './config-file.js';
import { buildConfig, type Config } from './resolve.js';

/**
 * Options that shape what the command line writes or prints, not what a run
 * does: code gets the records from the iterator and the summary as a value,
 * so these have no meaning there. Each says what to do instead.
 */
const CLI_ONLY = {
  output: 'is for the command line: records come from the iterator; write them where you like',
  format: 'is for the command line: records come from the iterator as objects',
  compare: 'is for the command line (it runs the list twice)',
  resume: 'is for the command line (it appends to -o FILE); skip finished URLs in the urls you pass',
  summaryFile: 'is for the command line: the summary is the `summary` promise',
  config: 'is for the command line: pass the options themselves',
  quiet: 'is for the command line: pass a `logger` at the level you want',
  logLevel: 'is for the command line: pass a `logger` at the level you want',
} as const;

type CliOnly = keyof typeof CLI_ONLY;

/** The CLI's options as code passes them, camelCase (`perHost`, `robots: false`), without the command line's own. */
export type LibraryOptions = Omit<OptionObject, CliOnly>;

const cliOnly = new Set<string>(Object.keys(CLI_ONLY));

/** camelCase keys only: the spelling code uses (`perHost`); the command line's own options are refused with a reason. */
const LIBRARY_KEYS: ReadonlyMap<string, Target> = new Map(
  ROWS.map(([, row]): [string, Target] => [attributeName(row.long), { row, attribute: attributeName(row.long), negated: false }]).filter(
    ([key]) => !cliOnly.has(key),
  ),
);

/** Extra keys that the caller handles itself (signal, dispatcher, logger) are taken out before this is called. */
export function libraryConfig(options: LibraryOptions, where = 'scrape() options'): Config {
  const raw = readOptionObject(options, { where, baseDir: process.cwd(), keys: LIBRARY_KEYS, refused: new Map(Object.entries(CLI_ONLY)) });
  return buildConfig([], raw);
}
