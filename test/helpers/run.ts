/**
 * Spawns the real CLI, `node bin/scrape.js ...args`, with pipes (so stderr is
 * not a TTY and logs are JSON) and collects what it printed.
 *
 *   const r = await runCli(['-c', '4', list], { stdin: '...' });
 *   r.code, r.records (stdout JSON lines), r.logs (stderr JSON lines)
 *
 * startCli() gives the live process for tests that interact with it (streaming
 * stdin, signals, closing stdout).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ScrapeRecord } from '../../src/record/record.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/scrape.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** The version in package.json, which --version and the default User-Agent must show. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** A stdout record: the CLI's own record type (type-only; the tests read plain JSON). */
export type Rec = ScrapeRecord;

/** A pino log line. */
export interface Log {
  level: number;
  time: number;
  msg: string;
  [key: string]: unknown;
}

export interface RunOptions {
  /** Written to stdin, which is then closed. Without it stdin is closed at once (runCli) or left open (startCli). */
  stdin?: string;
  /** Added to the environment. */
  env?: Record<string, string>;
  /** Kill the process (SIGKILL) and fail after this long. */
  timeoutMs?: number;
  cwd?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Non-empty stdout lines, each parsed as JSON; throws naming the line if one is not JSON. */
  readonly records: Rec[];
  /** stderr lines that parse as JSON objects; other lines are skipped. */
  readonly logs: Log[];
  /** Non-empty stderr lines. */
  readonly stderrLines: string[];
  durationMs: number;
}

function nonEmptyLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

export function parseRecords(stdout: string): Rec[] {
  return nonEmptyLines(stdout).map((line, i) => {
    try {
      return JSON.parse(line) as Rec;
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON: ${line.slice(0, 200)}`);
    }
  });
}

export function parseLogs(stderr: string): Log[] {
  const logs: Log[] = [];
  for (const line of nonEmptyLines(stderr)) {
    try {
      const v: unknown = JSON.parse(line);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) logs.push(v as Log);
    } catch {
      // not a log line
    }
  }
  return logs;
}

export function result(code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number): RunResult {
  return {
    code,
    signal,
    stdout,
    stderr,
    durationMs,
    get records() {
      return parseRecords(stdout);
    },
    get logs() {
      return parseLogs(stderr);
    },
    get stderrLines() {
      return nonEmptyLines(stderr);
    },
  };
}

export interface Cli {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when stdout satisfies the predicate (checked on every chunk); rejects after timeoutMs or if the process exits first. */
  waitForStdout(predicate: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves once the process has exited and its pipes are drained. */
  done: Promise<RunResult>;
}

/** Output that grows while a run goes on: what waitForOutput watches. */
export interface Watched {
  stdout(): string;
  stderr(): string;
  ended(): boolean;
  /** Called by the owner after every change of output, and at the end. */
  watchers: Set<() => void>;
}

/** Resolves when stdout satisfies the predicate; rejects after waitMs, or if the run ends (`ended` names how) first. */
export function waitForOutput(w: Watched, predicate: (stdout: string) => boolean, waitMs: number, ended: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (err?: Error): void => {
      w.watchers.delete(check);
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const tail = (): string => `stdout: ${w.stdout().slice(-2000)}\nstderr: ${w.stderr().slice(-2000)}`;
    const check = (): void => {
      if (predicate(w.stdout())) finish();
      else if (w.ended()) finish(new Error(`${ended} before stdout matched\n${tail()}`));
    };
    const timer = setTimeout(() => finish(new Error(`stdout did not match within ${waitMs} ms\n${tail()}`)), waitMs);
    w.watchers.add(check);
    check();
  });
}

export function startCli(args: readonly string[], options: RunOptions = {}): Cli {
  if (!existsSync(DIST)) throw new Error('dist/cli/main.js is missing: run `npm run build` before the end-to-end tests');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    for (const w of watchers) w();
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  // A test may close a pipe on purpose, or the CLI may exit before reading stdin.
  child.stdin.on('error', () => {});
  child.stdout.on('error', () => {});

  const done = new Promise<RunResult>((resolve, reject) => {
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`scrape ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(killer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      exited = true;
      for (const w of watchers) w();
      resolve(result(code, signal, stdout, stderr, Date.now() - started));
    });
  });
  // Keep an unobserved rejection from crashing the run; callers await `done` themselves.
  done.catch(() => {});

  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
    waitForStdout: (predicate, waitMs = 10_000) =>
      waitForOutput({ stdout: () => stdout, stderr: () => stderr, ended: () => exited, watchers }, predicate, waitMs, 'process exited'),
  };
}

/** Run to completion. stdin gets `options.stdin` (or nothing) and is closed. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const cli = startCli(args, options);
  cli.child.stdin.end(options.stdin ?? '');
  return cli.done;
}

/** Count of complete lines in a text. */
export function lineCount(text: string): number {
  return text.split('\n').length - 1;
}
