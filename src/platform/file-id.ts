import { fstatSync, statSync, type Stats } from 'node:fs';

/** A regular file's identity: the same file under any path (a symlink, `./x` and `x`, a hard link) has the same one. */
function idOf(st: Stats): string | null {
  return st.isFile() ? `${st.dev}:${st.ino}` : null;
}

/** The identity of the file at `path`, or null when there is none yet (or it is not a regular file). */
export function fileId(path: string): string | null {
  try {
    return idOf(statSync(path));
  } catch {
    return null;
  }
}

/** The identity of the regular file an open descriptor reads (`< urls.txt` on stdin), or null for a pipe or terminal. */
export function fdFileId(fd: number): string | null {
  try {
    return idOf(fstatSync(fd));
  } catch {
    return null;
  }
}
