import { UsageError } from '../config/usage-error.js';

/** What went wrong, as a person can act on it: the errno code (EACCES, ENOSPC) when there is one. */
export function reasonOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** A file or folder the run needs cannot be opened: a usage error (exit 2), before any request. */
export function cannotOpen(what: string, err: unknown): UsageError {
  return new UsageError(`cannot open ${what}: ${reasonOf(err)}`);
}
