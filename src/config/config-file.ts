import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { RawOptions } from './raw-options.js';
import { UsageError } from './usage-error.js';

/** What a config-file value may be; each becomes the string/boolean/array commander would have produced. */
type Kind = 'number' | 'string' | 'path' | 'boolean' | 'strings';

/**
 * Every long option has a key here, spelled as commander names it (camelCase),
 * so a file and a command line mean the same thing. Typed against RawOptions: a
 * new option fails to compile until it is given a kind here.
 */
const KEYS: { readonly [K in keyof Omit<RawOptions, 'config'>]-?: Kind } = {
  concurrency: 'number',
  perHost: 'number',
  timeout: 'number',
  retries: 'number',
  maxBytes: 'number',
  maxRedirects: 'number',
  header: 'strings',
  userAgent: 'string',
  select: 'strings',
  links: 'boolean',
  output: 'path',
  format: 'string',
  robots: 'boolean',
  compare: 'boolean',
  quiet: 'boolean',
  logLevel: 'string',
  workers: 'number',
  rate: 'number',
  cacheDir: 'path',
  changedOnly: 'boolean',
  resume: 'boolean',
  summaryFile: 'path',
  shard: 'string',
  retryMaxWait: 'number',
  denyPrivate: 'boolean',
};

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function convert(file: string, key: string, kind: Kind, value: unknown): string | boolean | string[] {
  const wrong = (expected: string): never => {
    throw new UsageError(`config file "${file}": "${key}" must be ${expected}, got ${typeName(value)} ${JSON.stringify(value)}`);
  };
  switch (kind) {
    case 'number':
      // "5M" for maxBytes, or a plain number; config.ts checks the range like a flag's.
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

/**
 * `--config FILE`: a JSON object whose keys are the long options in camelCase
 * (`{"concurrency": 8, "select": ["title=h1"], "robots": false}`). Unknown keys
 * and wrong types are usage errors, so a typo never silently does nothing.
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
  for (const [key, value] of Object.entries(parsed)) {
    const kind = (KEYS as Record<string, Kind>)[key];
    if (kind === undefined) {
      throw new UsageError(`config file "${file}": unknown key "${key}" (keys are the long options in camelCase, e.g. "perHost")`);
    }
    raw[key] = convert(file, key, kind, value);
  }
  return raw as RawOptions;
}

/** Command-line flags win over the file, key by key (a repeatable flag replaces the file's whole list). */
export function mergeOptions(fromFile: RawOptions, fromFlags: RawOptions): RawOptions {
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [key, value] of Object.entries(fromFlags)) if (value !== undefined) merged[key] = value;
  return merged as RawOptions;
}
