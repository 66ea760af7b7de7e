import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, unlinkSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/** Where formatted text goes. `write` resolves when the destination can take more (backpressure). */
export interface Destination {
  write(text: string): Promise<void>;
  /** Everything written is in place (file renamed over its target). */
  close(): Promise<void>;
  /** Give up: drop a temp file so no half-written output is ever left. Synchronous, for hard exits. */
  discard(): void;
}

/**
 * Backpressure for many concurrent writers: every write that finds the buffer
 * full awaits the same single 'drain', instead of each adding its own listeners.
 */
function drainer(stream: Writable): (ok: boolean) => Promise<void> {
  let waiting: Promise<void> | null = null;
  return (ok) => {
    if (ok && !waiting) return Promise.resolve();
    waiting ??= new Promise<void>((resolve, reject) => {
      const settle = (err?: Error): void => {
        stream.off('drain', onDrain);
        stream.off('error', settle);
        stream.off('close', onDrain);
        waiting = null;
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => settle();
      stream.on('drain', onDrain);
      stream.on('error', settle);
      stream.on('close', onDrain);
    });
    return waiting;
  };
}

/**
 * Standard output. A reader that goes away (`| head -1`) raises EPIPE: reported
 * once through `onBrokenPipe` so the run can stop quietly instead of crashing.
 */
export function stdoutDestination(stdout: Writable, onBrokenPipe: () => void): Destination {
  let broken = false;
  const drained = drainer(stdout);
  const isBrokenPipe = (err: NodeJS.ErrnoException): boolean => err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
  const brokenPipe = (): void => {
    if (broken) return;
    broken = true;
    onBrokenPipe();
  };
  // Any other error (stdout redirected to a full disk: ENOSPC) fails the next
  // write and close, as with a file; thrown from this listener it would crash.
  let failure: NodeJS.ErrnoException | null = null;
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (isBrokenPipe(err)) return brokenPipe();
    failure ??= err;
  });
  return {
    write: (text) => {
      if (broken) return Promise.resolve();
      if (failure) return Promise.reject(failure);
      return drained(stdout.write(text)).catch((err: NodeJS.ErrnoException) => {
        if (!isBrokenPipe(err)) throw err;
        brokenPipe();
      });
    },
    close: () => (failure && !broken ? Promise.reject(failure) : Promise.resolve()),
    discard: () => {},
  };
}

/**
 * `-o FILE`: write a temp file beside FILE (same folder, so the rename is atomic
 * on one filesystem), fsync it, then rename it over FILE. A reader sees the old
 * file or the whole new one, never half of it. `mode`: 0o600 for a file of
 * secrets (the --cookie-jar), readable by its owner only.
 */
export function fileDestination(target: string, mode = 0o644): Destination {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  // Opened synchronously so an unwritable folder fails before any request.
  const fd = openSync(temp, 'wx', mode);
  const stream: WriteStream = createWriteStream(temp, { fd, autoClose: false });
  let failure: Error | null = null;
  let tempExists = true;
  const drained = drainer(stream);
  stream.on('error', (err) => {
    failure ??= err;
  });
  const removeTemp = (): void => {
    if (!tempExists) return;
    tempExists = false;
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    try {
      unlinkSync(temp);
    } catch {
      /* already gone */
    }
  };
  return {
    write(text) {
      if (failure) return Promise.reject(failure);
      return drained(stream.write(text));
    },
    async close() {
      await new Promise<void>((resolve, reject) => {
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }).catch((err: Error) => {
        failure ??= err;
      });
      if (failure) {
        removeTemp();
        throw failure;
      }
      try {
        fsyncSync(fd);
        closeSync(fd);
        renameSync(temp, target);
        tempExists = false;
      } catch (err) {
        removeTemp();
        throw err;
      }
    },
    discard: removeTemp,
  };
}
