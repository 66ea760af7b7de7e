import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a lock: written into the lock file as one JSON line. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Another live run holds the lock: the session's outcome is lock-refused (exit 3). */
export class LockedError extends Error {
  override name = 'LockedError';
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | null,
    what: string,
  ) {
    const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}` : 'a run that is starting';
    super(`another scrape run (${who}) is using ${what}; if none is running, delete "${lockPath}"`);
  }
}

export interface Lock {
  readonly path: string;
  /** Remove the lock file if it is still ours. Idempotent. */
  release(): void;
}

export interface LockDeps {
  pid: number;
  host: string;
  now(): number;
  /** process.kill(pid, 0): throws ESRCH when no such process. */
  probe(pid: number): void;
}

const realDeps: LockDeps = { pid: process.pid, host: hostname(), now: Date.now, probe: probeProcess };

/**
 * process.kill(pid, 0), and on Linux a zombie counts as gone: a run killed
 * with SIGKILL stays a zombie until its parent reaps it, and the same
 * command started again at once (a script's `kill -9; scrape …`, or an
 * orphan whose reaper is slow) must not find its lock held by it.
 */
function probeProcess(pid: number): void {
  process.kill(pid, 0);
  if (isZombie(pid)) throw Object.assign(new Error(`process ${pid} has exited (a zombie)`), { code: 'ESRCH' });
}

/** `/proc/PID/stat`'s state field (after the command name, which may hold spaces and parentheses); false where there is no /proc. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** A lock file that is empty or not JSON is a run caught between creating and writing it, unless it is this old. */
const UNREADABLE_STALE_MS = 10_000;

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.startedAt === 'string') return v as LockHolder;
  } catch {
    /* torn or foreign */
  }
  return null;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Whether the run that wrote `holder` may still be running. Only a pid on this
 * host can be checked; on another host (a shared volume) we must assume it is.
 * Our own pid means a dead run whose pid we inherited (pid 1 in a container).
 */
function alive(holder: LockHolder, deps: LockDeps): boolean {
  if (holder.host !== deps.host) return true;
  if (holder.pid === deps.pid) return false;
  try {
    deps.probe(holder.pid);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take `path` away from a dead run. Renaming is atomic, so of two runs breaking
 * the same stale lock only one gets the stale file; a run that finds it has
 * renamed a fresh lock instead (the other run's) puts it back and gives way.
 */
function breakStale(path: string, staleText: string, deps: LockDeps): boolean {
  const aside = `${path}.stale.${deps.pid}.${deps.now().toString(36)}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
  const moved = readOrNull(aside);
  if (moved === staleText) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, path);
  } catch {
    /* a third run already took it: either way, not ours */
  }
  unlinkSync(aside);
  return false;
}

/**
 * An exclusive lock held for a run's life: a file created with O_EXCL holding
 * our pid, host and start time. A lock left by a killed run (its pid is gone on
 * this host) is taken over at once, so cron never needs a hand to clean up.
 * `what` names the locked thing in the message ("--output \"out.jsonl\"").
 */
export function acquireLock(path: string, what: string, deps: LockDeps = realDeps): Lock {
  const mine: LockHolder = { pid: deps.pid, host: deps.host, startedAt: new Date(deps.now()).toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  for (let tries = 0; tries < 5; tries++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const found = readOrNull(path);
      if (found === null) continue; // released between our open and our read
      const holder = parseHolder(found);
      if (holder === null) {
        let age = 0;
        try {
          age = deps.now() - statSync(path).mtimeMs;
        } catch {
          continue;
        }
        if (age < UNREADABLE_STALE_MS) throw new LockedError(path, null, what);
      } else if (alive(holder, deps)) {
        throw new LockedError(path, holder, what);
      }
      if (!breakStale(path, found, deps)) throw new LockedError(path, parseHolder(readOrNull(path) ?? ''), what);
      continue;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        try {
          if (readOrNull(path) === text) unlinkSync(path);
        } catch {
          /* gone already */
        }
      },
    };
  }
  throw new LockedError(path, null, what);
}
