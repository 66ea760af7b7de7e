import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/resolve.js';
import { acquireLock, LockedError, type Lock } from './lock.js';
import { cannotOpen } from './open-error.js';

/** The lock file inside --cache-dir and --state-dir. */
export const CACHE_LOCK = 'lock';

/** The lock file beside -o FILE. */
export function outputLockPath(output: string): string {
  return `${output}.lock`;
}

/** A lock, or a usage error when its folder will not take one (read-only, missing). */
function lock(path: string, what: string): Lock {
  try {
    return acquireLock(path, what);
  } catch (err) {
    if (err instanceof LockedError) throw err;
    throw cannotOpen(`${what} (lock file "${path}")`, err);
  }
}

export interface RunLocks {
  /** Remove every lock taken. Idempotent. */
  release(): void;
}

/**
 * The locks a run holds for its whole life, taken before anything is written or
 * fetched: one beside -o FILE, one in --cache-dir and one in --state-dir
 * (created if missing), so two cron runs never write the same file, cache or
 * crawl state (--resume's default state folder, FILE.crawl, is FILE's). Throws LockedError (exit 3) when
 * another live run holds one, UsageError when one cannot be created; either
 * way no lock is left held.
 */
export function holdLocks(config: Config): RunLocks {
  const locks: Lock[] = [];
  const release = (): void => {
    for (const l of locks.splice(0)) l.release();
  };
  try {
    if (config.output !== null) locks.push(lock(outputLockPath(config.output), `--output "${config.output}"`));
    for (const [dir, flag] of [
      [config.cacheDir, '--cache-dir'],
      [config.follow ? config.stateDir : null, '--state-dir'],
    ] as const) {
      if (dir === null) continue;
      try {
        mkdirSync(dir, { recursive: true });
      } catch (err) {
        throw cannotOpen(`${flag} "${dir}"`, err);
      }
      locks.push(lock(join(dir, CACHE_LOCK), `${flag} "${dir}"`));
    }
  } catch (err) {
    release();
    throw err;
  }
  return { release };
}
