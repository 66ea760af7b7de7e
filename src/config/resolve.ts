import { accessSync, closeSync, constants, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { proxyRoutes, type ProxyEnv, type ProxyRoutes } from '../fetch/proxy-routes.js';
import { STDIN } from '../input/lines.js';
import { productToken } from '../schedule/robots-agent.js';
import type { Config } from './config.js';
import { mergeOptions, readConfigFile } from './config-file.js';
import type { OptionValues } from './option-row.js';
import { attributeName, flagName, OPTIONS, parseOption, ROWS, type RawOptions } from './options.js';
import { UsageError } from './usage-error.js';
import { fileId } from '../platform/file-id.js';
import { proxyUrl } from './value-parsers.js';

export type { Config } from './config.js';

/** How long a first SIGINT/SIGTERM lets requests in flight finish before they are aborted. */
const GRACE_MS = 2_000;

/**
 * Each option's typed default: its `default` as typed, parsed by its own
 * parser, or null. Shared by every Config, so frozen. Here rather than beside
 * the table: `--help` loads the table and never needs them.
 */
export const DEFAULTS: Readonly<OptionValues> = Object.freeze(
  Object.fromEntries(ROWS.map(([field, row]) => [field, row.default === undefined ? null : Object.freeze(parseOption(row, row.default))])) as unknown as OptionValues,
);

/** The table's rows, applied: each option's value parsed from `raw`, or its default. */
function readOptions(raw: RawOptions): OptionValues {
  const values: Record<string, unknown> = {};
  for (const [field, row] of ROWS) {
    const given = (raw as Record<string, unknown>)[attributeName(row.long)];
    values[field] = given === undefined ? DEFAULTS[field] : parseOption(row, given);
  }
  return values as unknown as OptionValues;
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

/** --cookie-jar FILE is read at the start (when it exists) and written at the end. */
function checkCookieJar(path: string): void {
  checkOutput(path, '--cookie-jar');
  try {
    accessSync(path, constants.R_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`cannot read --cookie-jar "${path}": ${why(err)}`);
  }
}

function checkFolder(path: string, flag: string): void {
  try {
    if (!statSync(path).isDirectory()) throw new UsageError(`${flag} "${path}" exists and is not a folder`);
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

/** The options that only shape a crawl: given without --follow they would do nothing, which is worth saying. */
const CRAWL_ONLY = ['depth', 'scope', 'include', 'exclude', 'maxPages', 'linkSelector', 'ignoreNofollow', 'stateDir'] as const;

/** What a crawl does not do: --compare would replay only the seeds, which is not the run it compares with. */
const NOT_WITH_FOLLOW = { compare: '--compare' } as const;

function checkCrawl(config: Config, raw: RawOptions): void {
  if (!config.follow) {
    for (const key of CRAWL_ONLY) {
      if (raw[key] !== undefined) throw new UsageError(`${flagName(OPTIONS[key])} works only with --follow (it shapes a crawl)`);
    }
    return;
  }
  for (const [key, flag] of Object.entries(NOT_WITH_FOLLOW) as [keyof typeof NOT_WITH_FOLLOW, string][]) {
    if (config[key] !== null && config[key] !== false) throw new UsageError(`${flag} does not work with --follow`);
  }
}

/**
 * Files scrape writes: never one of its inputs. `scrape -o urls.txt urls.txt`
 * would otherwise replace the URL list with its records at the end of the run.
 * Compared by device and inode, so a symlink or another spelling of the path
 * is caught too. Standard input redirected from a file (`< urls.txt`) is
 * checked by the session, which holds the run's stdin.
 */
function checkOutputsAreNotInputs(config: Config): void {
  const inputs = new Map<string, string>();
  for (const input of config.inputs) {
    if (input === STDIN) continue;
    const id = fileId(input);
    if (id !== null) inputs.set(id, input);
  }
  if (inputs.size === 0) return;
  for (const [flag, path] of writtenFiles(config)) {
    const id = fileId(path);
    const input = id === null ? undefined : inputs.get(id);
    if (input !== undefined) {
      throw new UsageError(`${flag} "${path}" is the input file "${input}": scrape would overwrite its own URL list; write somewhere else`);
    }
  }
}

/** The files a run writes, with the flag that names each. */
export function writtenFiles(config: Config): [string, string][] {
  const out: [string, string][] = [];
  if (config.output !== null) out.push(['--output', config.output]);
  if (config.summaryFile !== null) out.push(['--summary-file', config.summaryFile]);
  if (config.cookieJar !== null) out.push(['--cookie-jar', config.cookieJar]);
  return out;
}

/** The proxy variables curl reads, in the environment's spelling. */
const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'] as const;

/**
 * Where requests go: --proxy, else the environment's proxy variables, each
 * checked like --proxy (a bad HTTP_PROXY is a usage error naming it, not a
 * run of failed records).
 */
function resolveProxies(flag: string | null, env: ProxyEnv): ProxyRoutes {
  if (flag !== null) return proxyRoutes(flag, env);
  const checked: Record<string, string | undefined> = { no_proxy: env.no_proxy, NO_PROXY: env.NO_PROXY };
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim();
    if (value) checked[name] = proxyUrl(value, name) === 'none' ? undefined : proxyUrl(value, name);
  }
  return proxyRoutes(null, checked);
}

/** --ca-cert FILE: its PEM text, which must hold at least one certificate. */
function readCaCert(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --ca-cert "${path}": ${why(err)}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca-cert "${path}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

/** Whether records say where their URL came from (`depth`, `parent`, `source`): a crawl, or sitemaps among the input. */
export function recordsSayWhereFrom(config: Pick<Config, 'follow' | 'sitemaps' | 'sitemapsFromRobots'>): boolean {
  return config.follow || config.sitemaps.length > 0 || config.sitemapsFromRobots;
}

/**
 * RawOptions → Config: every check that needs no network happens here, before
 * any request. `env` is where the proxy variables are read (the command line
 * passes process.env; the library passes none, so only its `proxy` option counts).
 */
export function buildConfig(inputs: readonly string[], flags: RawOptions, env: ProxyEnv = {}): Config {
  const raw = flags.config !== undefined ? mergeOptions(readConfigFile(flags.config), flags) : flags;
  const options = readOptions(raw);
  // The one option that writes into another's field: -H "User-Agent: …" replaces
  // ours, and --user-agent replaces both.
  const userAgent = raw.userAgent === undefined ? (options.headers['user-agent'] ?? options.userAgent) : options.userAgent;
  const headers = { 'user-agent': userAgent, ...options.headers };
  headers['user-agent'] = userAgent;
  // robots.txt is read for the bot the User-Agent names, unless --robots-agent says otherwise.
  const robotsAgent = raw.robotsAgent === undefined ? productToken(userAgent) : options.robotsAgent;
  if (options.http1 && options.http2) throw new UsageError('--http1.1 and --http2 contradict each other: give one');
  const proxies = resolveProxies(options.proxy, env);
  const extraCa = options.caCert === null ? null : readCaCert(options.caCert);
  const config: Config = { inputs: [...inputs], ...options, headers, userAgent, robotsAgent, graceMs: GRACE_MS, proxies, extraCa };
  if (config.inputs.filter((i) => i === STDIN).length > 1) throw new UsageError('standard input ("-") can be given only once');
  config.inputs.forEach(checkInput);
  if (config.output !== null) checkOutput(config.output);
  if (config.summaryFile !== null) checkOutput(config.summaryFile, '--summary-file');
  if (config.cacheDir !== null) checkFolder(config.cacheDir, '--cache-dir');
  if (config.stateDir !== null) checkFolder(config.stateDir, '--state-dir');
  if (config.cookieJar !== null) checkCookieJar(config.cookieJar);
  checkCombinations(config);
  checkCrawl(config, raw);
  checkOutputsAreNotInputs(config);
  return Object.freeze(config);
}
