import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { STDIN } from './input/lines.js';
import type { WorkersSetting } from './parse/pool.js';
import { parseSelectors, type SelectorSpec } from './selectors.js';
import { DEFAULT_USER_AGENT } from './version.js';
import { FORMAT_NAMES, type FormatName } from './write/format.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Defaults, in one place so `--help` and the README can quote them. */
export const DEFAULTS = {
  concurrency: 16,
  perHost: 8,
  timeoutMs: 30_000,
  retries: 2,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 10,
  format: 'jsonl' as FormatName,
  logLevel: 'info' as LogLevel,
  retryMaxWaitMs: 30_000,
  graceMs: 2_000,
};

/** What commander hands us: strings and booleans, unchecked. */
export interface RawOptions {
  concurrency?: string;
  perHost?: string;
  timeout?: string;
  retries?: string;
  maxBytes?: string;
  maxRedirects?: string;
  header?: string[];
  userAgent?: string;
  links?: boolean;
  output?: string;
  format?: string;
  robots?: boolean;
  compare?: boolean;
  quiet?: boolean;
  logLevel?: string;
  select?: string[];
  workers?: string;
}

/** The validated, typed configuration every stage reads. Built once, frozen. */
export interface Config {
  readonly inputs: readonly string[];
  readonly concurrency: number;
  readonly perHost: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryMaxWaitMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** Lower-cased header names → values, User-Agent included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly links: boolean;
  readonly output: string | null;
  readonly format: FormatName;
  readonly robots: boolean;
  readonly compare: boolean;
  readonly quiet: boolean;
  readonly logLevel: LogLevel;
  readonly selectors: readonly SelectorSpec[];
  readonly graceMs: number;
  /** Parse worker threads: a count (0 = parse in the main thread) or 'auto'. */
  readonly workers: WorkersSetting;
}

function integer(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const v = value.trim();
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be at least ${min}, got "${value}"`);
  return n;
}

const SIZE = /^(\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const UNIT: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Byte sizes accept a K/M/G suffix (binary units): `--max-bytes 5M`. */
function byteSize(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const m = SIZE.exec(value.trim());
  if (!m) throw new UsageError(`${flag} must be a number of bytes like 500000 or 5M, got "${value}"`);
  const n = Number(m[1]) * (m[2] ? (UNIT[m[2][0]!.toLowerCase()] ?? 1) : 1);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be at least 1 byte, got "${value}"`);
  return n;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function parseHeaders(flags: readonly string[], userAgent: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': DEFAULT_USER_AGENT };
  for (const flag of flags) {
    const i = flag.indexOf(':');
    const name = (i < 0 ? '' : flag.slice(0, i)).trim().toLowerCase();
    const value = i < 0 ? '' : flag.slice(i + 1).trim();
    if (!TOKEN.test(name)) throw new UsageError(`invalid --header "${flag}": expected "Name: value"`);
    if (/[\r\n\0]/.test(value)) throw new UsageError(`invalid --header "${name}": value contains a line break or NUL`);
    headers[name] = value;
  }
  if (userAgent !== undefined) {
    if (userAgent.trim() === '' || /[\r\n\0]/.test(userAgent)) throw new UsageError('--user-agent must be a non-empty single line');
    headers['user-agent'] = userAgent;
  }
  return headers;
}

function checkInput(path: string): void {
  if (path === STDIN) return;
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new UsageError(`cannot read input file "${path}": ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (st.isDirectory()) throw new UsageError(`cannot read input file "${path}": it is a directory`);
}

function checkOutput(path: string): void {
  const dir = dirname(resolve(path));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new UsageError(`cannot write --output "${path}": folder "${dir}" does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`cannot write --output "${path}": "${dir}" is not a folder`);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`cannot write --output "${path}": it is a directory`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const v = value.toLowerCase() as T;
  if (!allowed.includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return v;
}

/** RawOptions → Config: every check that needs no network happens here, before any request. */
export function buildConfig(inputs: readonly string[], raw: RawOptions): Config {
  const config: Config = {
    inputs: [...inputs],
    concurrency: integer('--concurrency', raw.concurrency, DEFAULTS.concurrency, 1),
    perHost: integer('--per-host', raw.perHost, DEFAULTS.perHost, 1),
    timeoutMs: integer('--timeout', raw.timeout, DEFAULTS.timeoutMs, 1),
    retries: integer('--retries', raw.retries, DEFAULTS.retries, 0),
    retryMaxWaitMs: DEFAULTS.retryMaxWaitMs,
    maxBytes: byteSize('--max-bytes', raw.maxBytes, DEFAULTS.maxBytes),
    maxRedirects: integer('--max-redirects', raw.maxRedirects, DEFAULTS.maxRedirects, 0),
    headers: parseHeaders(raw.header ?? [], raw.userAgent),
    links: raw.links === true,
    output: raw.output ?? null,
    format: oneOf('--format', raw.format, FORMAT_NAMES, DEFAULTS.format),
    robots: raw.robots !== false,
    compare: raw.compare === true,
    quiet: raw.quiet === true,
    logLevel: oneOf('--log-level', raw.logLevel, LOG_LEVELS, DEFAULTS.logLevel),
    selectors: parseSelectors(raw.select ?? []),
    graceMs: DEFAULTS.graceMs,
    workers: raw.workers === undefined || raw.workers.trim().toLowerCase() === 'auto' ? 'auto' : integer('--workers', raw.workers, 0, 0),
  };
  if (config.inputs.filter((i) => i === STDIN).length > 1) throw new UsageError('standard input ("-") can be given only once');
  config.inputs.forEach(checkInput);
  if (config.output !== null) checkOutput(config.output);
  return Object.freeze(config);
}
