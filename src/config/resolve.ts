import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.js';
import { mergeOptions, readConfigFile } from './config-file.js';
import { STDIN } from '../input/lines.js';
import type { Shard } from '../input/shard.js';
import { parseShard } from './shard-option.js';
import type { WorkersSetting } from '../parse/pool.js';
import type { SelectorSpec } from '../record/extraction.js';
import { parseSelectors } from './selectors.js';
import { DEFAULT_USER_AGENT } from '../platform/version.js';
import { FORMAT_NAMES, type FormatName } from '../write/formats/format.js';

import { DEFAULTS } from './defaults.js';
import { LOG_LEVELS, type LogLevel } from '../log/levels.js';
import type { RawOptions } from './raw-options.js';

/** The validated, typed configuration every stage reads. Built once, frozen. */
export interface Config {
  readonly inputs: readonly string[];
  readonly concurrency: number;
  readonly perHost: number;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Longest Retry-After honoured (and host pause); a longer one fails the URL at once. */
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
  /** --deny-private: refuse non-public addresses, checked on the address actually connected to. */
  readonly denyPrivate: boolean;
  /** --rate: request starts per second per host; null = no pacing beyond Crawl-delay and back-off. */
  readonly rate: number | null;
  /** --cache-dir: where validators and body hashes persist between runs; null = no incremental mode. */
  readonly cacheDir: string | null;
  readonly changedOnly: boolean;
  /** --resume: append to `output`, skipping URLs it already has a record for. */
  readonly resume: boolean;
  readonly summaryFile: string | null;
  readonly shard: Shard | null;
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

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  EISDIR: 'it is a directory',
};

/** A person-readable reason, with the errno code for searching. */
function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === undefined ? 'error' : ERRNO_TEXT[code] ? `${ERRNO_TEXT[code]} (${code})` : code;
}

function checkInput(path: string): void {
  if (path === STDIN) return;
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    throw new UsageError(`cannot read input file "${path}": ${why(err)}`);
  }
  if (st.isDirectory()) throw new UsageError(`cannot read input file "${path}": it is a directory`);
  if (st.isFile() && hasNulInHead(path)) {
    throw new UsageError(`input file "${path}" looks binary (NUL bytes in its first KiB); expected one URL per line, UTF-8`);
  }
}

/**
 * A URL list has no NUL bytes; an image, an archive or a UTF-16 file has them
 * in its first KiB. Refusing those up front beats thousands of INVALID_URL
 * records (or one endless "line" read into memory). Only regular files: a FIFO
 * read here would lose its data.
 */
function hasNulInHead(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new UsageError(`cannot read input file "${path}": ${why(err)}`);
  }
  try {
    const head = Buffer.alloc(1024);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0)).includes(0);
  } finally {
    closeSync(fd);
  }
}

function checkOutput(path: string, flag = '--output'): void {
  // resolve('') is the current folder: the run would end failing to rename onto it.
  if (path.trim() === '') throw new UsageError(`${flag} needs a file name`);
  const dir = dirname(resolve(path));
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch {
    throw new UsageError(`cannot write ${flag} "${path}": folder "${dir}" does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`cannot write ${flag} "${path}": "${dir}" is not a folder`);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`cannot write ${flag} "${path}": it is a directory`);
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

/** A positive decimal: `--rate 0.5` is one request every two seconds. */
function positive(flag: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  const n = Number(v);
  if (!/^\d*\.?\d+$/.test(v) || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

function checkCacheDir(path: string): void {
  try {
    if (!statSync(path).isDirectory()) throw new UsageError(`--cache-dir "${path}" exists and is not a folder`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Missing: created when the run opens the cache.
  }
}

/** The unattended options that only make sense together. */
function checkCombinations(config: Config): void {
  if (config.resume && config.output === null) throw new UsageError('--resume needs -o FILE: it appends to that file');
  if (config.resume && config.format !== 'jsonl') {
    throw new UsageError(`--resume works only with --format jsonl (a ${config.format} file has a header or footer that cannot be appended to)`);
  }
  if (config.changedOnly && config.cacheDir === null) throw new UsageError('--changed-only needs --cache-dir DIR to know what changed');
  if (config.output !== null && config.summaryFile !== null && resolve(config.output) === resolve(config.summaryFile)) {
    throw new UsageError('--summary-file must differ from --output');
  }
}

/** RawOptions → Config: every check that needs no network happens here, before any request. */
export function buildConfig(inputs: readonly string[], flags: RawOptions): Config {
  const raw = flags.config !== undefined ? mergeOptions(readConfigFile(flags.config), flags) : flags;
  const config: Config = {
    inputs: [...inputs],
    concurrency: integer('--concurrency', raw.concurrency, DEFAULTS.concurrency, 1),
    perHost: integer('--per-host', raw.perHost, DEFAULTS.perHost, 1),
    timeoutMs: integer('--timeout', raw.timeout, DEFAULTS.timeoutMs, 1),
    retries: integer('--retries', raw.retries, DEFAULTS.retries, 0),
    retryMaxWaitMs: integer('--retry-max-wait', raw.retryMaxWait, DEFAULTS.retryMaxWaitMs, 0),
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
    rate: positive('--rate', raw.rate),
    cacheDir: raw.cacheDir ?? null,
    changedOnly: raw.changedOnly === true,
    resume: raw.resume === true,
    summaryFile: raw.summaryFile ?? null,
    shard: parseShard(raw.shard),
    denyPrivate: raw.denyPrivate === true,
  };
  if (config.inputs.filter((i) => i === STDIN).length > 1) throw new UsageError('standard input ("-") can be given only once');
  config.inputs.forEach(checkInput);
  if (config.output !== null) checkOutput(config.output);
  if (config.summaryFile !== null) checkOutput(config.summaryFile, '--summary-file');
  if (config.cacheDir !== null) checkCacheDir(config.cacheDir);
  checkCombinations(config);
  return Object.freeze(config);
}
