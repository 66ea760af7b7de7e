import { readFileSync } from 'node:fs';
import type { CookieJar } from 'tough-cookie';
import { formatCookieFile, parseCookieFile } from '../fetch/cookie-file.js';
import { fileDestination } from '../write/destinations/destination.js';

/** --cookie-jar FILE at the start of a run: its cookies, or an empty jar when FILE does not exist yet. */
export function loadCookieJar(path: string, now: number): CookieJar {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    // resolve.ts checked the file can be read when it exists; a missing one is an empty jar.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return parseCookieFile(text, now);
}

/**
 * The jar back to FILE at the end of the run, through the same
 * temp-file-and-rename as -o: a run killed while saving leaves the old file
 * whole. Owner-only (0600), as its session cookies are logins.
 */
export async function saveCookieJar(path: string, jar: CookieJar, now: number): Promise<void> {
  const dest = fileDestination(path, 0o600);
  try {
    await dest.write(formatCookieFile(jar, now));
    await dest.close();
  } catch (err) {
    dest.discard();
    throw err;
  }
}
