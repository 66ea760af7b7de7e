import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { closest } from './closest.js';
import type { AnyRow, Kind } from './option-row.js';
import { attributeName, ROWS, type RawOptions } from './options.js';
import { UsageError } from './usage-error.js';

/** Where a config-file key goes: commander's name for the option, and whether the key says the opposite (`no-robots`). */
export interface Target {
  readonly row: AnyRow;
  readonly attribute: string;
  readonly negated: boolean;
}

/**
 * Every key a file may use. Each option answers to its long name as typed on
 * the command line (`per-host`, `no-robots`) and to commander's camelCase name
 * for it (`perHost`, `robots`): `"no-robots": true` and `"robots": false` say
 * the same thing.
 */
const KEYS: ReadonlyMap<string, Target> = new Map(
  ROWS.filter(([, row]) => row.inFile !== false).flatMap(([, row]): [string, Target][] => {
    const attribute = attributeName(row.long);
    const negated = row.long.startsWith('no-');
    return [
      [row.long, { row, attribute, negated }],
      [attribute, { row, attribute, negated: false }],
    ];
  }),
);

/** Options that exist but cannot be set from a file. */
const NOT_IN_FILE: ReadonlyMap<string, string> = new Map(
  ROWS.filter(([, row]) => row.inFile === false).flatMap(([, row]) => [row.long, attributeName(row.long)].map((k): [string, string] => [k, 'cannot be set in a config file'])),
);

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * A JS value → the string, boolean or list commander would have produced for
 * the flag. `where` starts every message (`config file "x.json"`); a path is
 * resolved against `baseDir`.
 */
function convert(where: string, baseDir: string, key: string, kind: Kind, value: unknown): string | boolean | string[] {
  const wrong = (expected: string): never => {
    throw new UsageError(`${where}: "${key}" must be ${expected}, got ${typeName(value)} ${JSON.stringify(value)}`);
  };
  switch (kind) {
    case 'number':
      // "5M" for max-bytes, "auto" for workers, or a plain number; the row's parser checks the range like a flag's.
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      return typeof value === 'string' ? value : wrong('a number');
    case 'string':
      return typeof value === 'string' ? value : wrong('a string');
    case 'path':
      // Relative to the file, not to wherever cron happens to start us.
      if (typeof value !== 'string' || value === '') return wrong('a non-empty path string');
      return isAbsolute(value) ? value : resolve(baseDir, value);
    case 'boolean':
      return typeof value === 'boolean' ? value : wrong('true or false');
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : wrong('an array of strings');
  }
}

function unknownKey(where: string, key: string, keys: ReadonlyMap<string, Target>, refused: ReadonlyMap<string, string>): UsageError {
  const why = refused.get(key);
  if (why !== undefined) return new UsageError(`${where}: "${key}" ${why}`);
  const near = closest(key, keys.keys());
  return new UsageError(
    near === undefined
      ? `${where}: unknown key "${key}" (keys are the long option names, e.g. "per-host" or "perHost")`
      : `${where}: unknown key "${key}"; did you mean "${near}"?`,
  );
}

/** Where an object of options came from, and what it may hold. */
export interface OptionSource {
  /** Starts every message: `config file "x.json"`, `scrape() options`. */
  where: string;
  /** Relative paths are resolved against this folder. */
  baseDir: string;
  /** Keys it may use (default: every option that may be in a config file, in both spellings). */
  keys?: ReadonlyMap<string, Target>;
  /** Keys that name an option this source cannot set → why, as the end of the message. */
  refused?: ReadonlyMap<string, string>;
}

/**
 * An object of options (a parsed --config file, the library's options) →
 * RawOptions, as commander would have handed them over. Unknown keys, one
 * option under two names and wrong types are usage errors, so a typo never
 * silently does nothing.
 */
export function readOptionObject(object: object, source: OptionSource): RawOptions {
  const { where, baseDir, keys = KEYS } = source;
  const refused = source.refused ?? NOT_IN_FILE;
  const raw: Record<string, unknown> = {};
  const keyFor = new Map<string, string>();
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    const target = keys.get(key);
    if (target === undefined) throw unknownKey(where, key, keys, refused);
    const earlier = keyFor.get(target.attribute);
    if (earlier !== undefined) {
      throw new UsageError(`${where}: "${earlier}" and "${key}" are the same option (--${target.row.long}); give it once`);
    }
    keyFor.set(target.attribute, key);
    const converted = convert(where, baseDir, key, target.row.kind, value);
    raw[target.attribute] = target.negated ? !converted : converted;
  }
  return raw as RawOptions;
}

/**
 * `--config FILE`: a JSON object whose keys are long option names
 * (`{"concurrency": 8, "per-host": 2, "select": ["title=h1"], "robots": false}`).
 * Unknown keys, one option given twice and wrong types are usage errors, so a
 * typo never silently does nothing.
 */
export function readConfigFile(file: string): RawOptions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --config "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config file "${file}" is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file "${file}" must hold a JSON object, got ${typeName(parsed)}`);
  }
  return readOptionObject(parsed, { where: `config file "${file}"`, baseDir: dirname(resolve(file)) });
}

/** Command-line flags win over the file, key by key (a repeatable flag replaces the file's whole list). */
export function mergeOptions(fromFile: RawOptions, fromFlags: RawOptions): RawOptions {
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [key, value] of Object.entries(fromFlags)) if (value !== undefined) merged[key] = value;
  return merged as RawOptions;
}
