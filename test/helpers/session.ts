/**
 * Runs a session in-process, the way cli/main.ts does after parsing argv, with
 * the world faked: stdin from a string, stdout and stderr collected in memory,
 * signals fired by the test, io.exitNow recorded instead of leaving.
 *
 *   const r = await inProcess({ stdin: urls.join('\n'), options: { retries: '0' } });
 *   r.outcome, r.exitCode, r.records (stdout JSON lines), r.logs (stderr JSON lines)
 *
 * startInProcess() gives the live session for tests that act on it mid-run
 * (signals, a reader that goes away). Spawning the real binary stays for the
 * CLI's own contract (argv, real signals and pipes, the process's exit code):
 * see run.ts.
 */
import { Readable, Writable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { RawOptions } from '../../src/config/options.js';
import { buildConfig, type Config } from '../../src/config/resolve.js';
import type { Clock } from '../../src/platform/clock.js';
import type { Io, StopSignal } from '../../src/platform/io.js';
import { exitStatus } from '../../src/session/exit-status.js';
import type { Outcome } from '../../src/session/outcome.js';
import { runSession } from '../../src/session/session.js';
import { parseLogs, parseRecords, waitForOutput, type Log, type Rec } from './run.js';

export interface SessionOptions {
  /** A config built beforehand (configOf); `options`, `inputs` and `overrides` are then ignored. */
  config?: Config;
  /** Options as commander hands them (`{ retries: '0', robots: false }`). */
  options?: RawOptions;
  /** Input files; default: standard input. */
  inputs?: string[];
  /** Config fields no flag sets (graceMs), applied after the options are resolved. */
  overrides?: Partial<Config>;
  /** Standard input's whole text; default: empty. */
  stdin?: string;
  /** stderr as a terminal of this width (a live line and tables instead of JSON logs). */
  tty?: { columns: number };
  /** stdout and stderr both this one terminal, as in an interactive run without a pipe; read it as `stderr`. */
  terminal?: { columns: number };
  /** Replaces the stdout collector (a stream that fails, say). */
  stdout?: Writable;
  clock?: Clock;
  dispatcher?: Dispatcher;
}

export interface SessionResult {
  outcome: Outcome;
  /** What the CLI would exit with. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Non-empty stdout lines, each parsed as JSON. */
  readonly records: Rec[];
  /** stderr lines that parse as JSON objects. */
  readonly logs: Log[];
  /** Non-empty stderr lines. */
  readonly stderrLines: string[];
}

export interface LiveSession {
  readonly stdout: string;
  readonly stderr: string;
  /** Deliver SIGINT or SIGTERM to the session, as the process would. */
  signal(signal: StopSignal): void;
  /** The codes io.exitNow was called with (a second signal), in order. */
  readonly exits: readonly number[];
  /** What a closed pipe does to the process's stdout: the collector is destroyed with EPIPE. */
  closeStdout(): void;
  /** Resolves when stdout satisfies the predicate (checked on every write); rejects after timeoutMs. */
  waitForStdout(predicate: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  /** The session's end; rejects only as runSession does, for a bug. */
  done: Promise<SessionResult>;
}

/** A Writable that keeps what is written to it, and tells a watcher after each write. */
function collector(onWrite: () => void): Writable & { text: string } {
  const out = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _enc, cb) {
      out.text += String(chunk);
      onWrite();
      cb();
    },
  }) as Writable & { text: string };
  out.text = '';
  return out;
}

/** Options resolved as the CLI resolves them, with overrides on top. */
export function configOf(options: SessionOptions = {}): Config {
  if (options.config) return options.config;
  const config = buildConfig(options.inputs ?? ['-'], options.options ?? {});
  return options.overrides ? { ...config, ...options.overrides } : config;
}

export function startInProcess(options: SessionOptions = {}): LiveSession {
  const config = configOf(options);
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const w of watchers) w();
  };
  const screen = options.terminal ? Object.assign(collector(notify), { isTTY: true, columns: options.terminal.columns }) : null;
  const stdout = screen ?? collector(notify);
  const stderr = screen ?? Object.assign(collector(() => {}), options.tty ? { isTTY: true, columns: options.tty.columns } : {});
  const handlers = new Set<(signal: StopSignal) => void>();
  const exits: number[] = [];
  const io: Io = {
    stdin: Readable.from(options.stdin ? [options.stdin] : []),
    stdout: options.stdout ?? stdout,
    stderr,
    onSignal(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    exitNow: (code) => exits.push(code),
  };
  let ended = false;
  const done = runSession(config, { io, clock: options.clock, dispatcher: options.dispatcher })
    .then((outcome): SessionResult => {
      const out = stdout.text;
      const err = stderr.text;
      return {
        outcome,
        exitCode: exitStatus(outcome),
        stdout: out,
        stderr: err,
        get records() {
          return parseRecords(out);
        },
        get logs() {
          return parseLogs(err);
        },
        get stderrLines() {
          return err.split('\n').filter((l) => l.trim() !== '');
        },
      };
    })
    .finally(() => {
      ended = true;
      notify();
    });
  // Keep an unobserved rejection from failing the file; callers await `done` themselves.
  done.catch(() => {});

  return {
    get stdout() {
      return stdout.text;
    },
    get stderr() {
      return stderr.text;
    },
    signal: (signal) => {
      for (const h of [...handlers]) h(signal);
    },
    exits,
    closeStdout: () => stdout.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    waitForStdout: (predicate, timeoutMs = 10_000) =>
      waitForOutput({ stdout: () => stdout.text, stderr: () => stderr.text, ended: () => ended, watchers }, predicate, timeoutMs, 'the session ended'),
    done,
  };
}

/** Resolves once `cond` holds (polled every 10 ms); rejects after `ms`. */
export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Run a session to its end. */
export function inProcess(options: SessionOptions = {}): Promise<SessionResult> {
  return startInProcess(options).done;
}
