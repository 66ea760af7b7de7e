import type { Readable, Writable } from 'node:stream';
import { fdFileId } from './file-id.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The outside world, passed in so tests can drive a run without a real process. */
export interface Io {
  stdin: Readable;
  /** The identity of the regular file stdin reads (`< urls.txt`), or null (a pipe, a terminal, a test's stream). */
  stdinFile?(): string | null;
  /** `isTTY`: records go to the person's terminal, maybe the one the progress line is on. */
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** Subscribe to SIGINT/SIGTERM; returns an unsubscribe function. */
  onSignal(handler: (signal: StopSignal) => void): () => void;
  /** Leave at once (second signal). */
  exitNow(code: number): void;
  /** Environment variables a run reads (the proxy ones); absent: none. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The real process: its streams, its signals, its exit. Only the CLI uses it. */
export function processIo(): Io {
  return {
    stdin: process.stdin,
    stdinFile: () => fdFileId(0),
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal(handler) {
      const onInt = (): void => handler('SIGINT');
      const onTerm = (): void => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
    exitNow: (code) => process.exit(code),
    env: process.env,
  };
}
