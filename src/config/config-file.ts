import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { closest } from './closest.js';
import type { AnyRow, Kind } from './option-row.js';
import { attributeName, ROWS, type RawOptions } from './options.js';
import { UsageError } from './usage-error.js';

/** Where a config-file key goes: commander's name for the option, and whether the key says the opposite (`no-robots`). */
interface Target {
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
const NOT_IN_FILE = new Set(ROWS.filter(([, row]) => row.inFile === false).flatMap(([, row]) => [row.long, attributeName(row.long)]));

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A JSON value → the string, boolean or list commander would have produced for the flag. */
function convert(file: string, key: string, kind: Kind, value: unknown): string | boolean | string[] {
  const wrong = (expected: string): never => {
    throw new UsageError(`config file "${file}": "${key}" must be ${expected}, got ${typeName(value)} ${JSON.stringify(value)}`);
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
      return isAbsolute(value) ? value : resolve(dirname(resolve(file)), value);
    case 'boolean':
      return typeof value === 'boolean' ? value : wrong('true or false');
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : wrong('an array of strings');
  }
}

function unknownKey(file: string, key: string): UsageError {
  if (NOT_IN_FILE.has(key)) return new UsageError(`config file "${file}": "${key}" cannot be set in a config file`);
  const near = closest(key, KEYS.keys());
  return new UsageError(
    near === undefined
      ? `config file "${file}": unknown key "${key}" (keys are the long option names, e.g. "per-host" or "perHost")`
      : `config file "${file}": unknown key "${key}"; did you mean "${near}"?`,
  );
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
  const raw: Record<string, unknown> = {};
  const keyFor = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    const target = KEYS.get(key);
    if (target === undefined) throw unknownKey(file, key);
    const earlier = keyFor.get(target.attribute);
    if (earlier !== undefined) {
      throw new UsageError(`config file "${file}": "${earlier}" and "${key}" are the same option (--${target.row.long}); give it once`);
    }
    keyFor.set(target.attribute, key);
    const converted = convert(file, key, target.row.kind, value);
    raw[target.attribute] = target.negated ? !converted : converted;
  }
  return raw as RawOptions;
}

/** Command-line flags win over the file, key by key (a repeatable flag replaces the file's whole list). */
export function mergeOptions(fromFile: RawOptions, fromFlags: RawOptions): RawOptions {
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [key, value] of Object.entries(fromFlags)) if (value !== undefined) merged[key] = value;
  return merged as RawOptions;
}
