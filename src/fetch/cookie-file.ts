import type * as ToughCookie from 'tough-cookie';
import { tough } from './cookies.js';

/**
 * The Netscape cookies.txt format, which curl (`-b`/`-c`) and wget
 * (`--load-cookies`/`--save-cookies`) read and write: one cookie a line, seven
 * tab-separated fields (domain, include-subdomains TRUE/FALSE, path, secure
 * TRUE/FALSE, expiry in epoch seconds with 0 for a session cookie, name,
 * value); `#HttpOnly_` before the domain marks an HttpOnly cookie; other `#`
 * lines and blank ones are comments. Cookie semantics stay tough-cookie's:
 * this only moves cookies between the file and its jar.
 */
const HEADER = '# Netscape HTTP Cookie File\n# Written by scrape (--cookie-jar). Same format as curl -c and wget --save-cookies.\n\n';
const HTTP_ONLY = '#HttpOnly_';

/** A cookie file's text → a jar. Lines that are not cookies, and cookies already expired, are skipped (as curl does). */
export function parseCookieFile(text: string, now: number): ToughCookie.CookieJar {
  const { CookieJar, Cookie } = tough();
  const jar = new CookieJar();
  const store = jar.store as ToughCookie.MemoryCookieStore;
  for (const raw of text.split(/\r?\n/)) {
    let line = raw;
    let httpOnly = false;
    if (line.startsWith(HTTP_ONLY)) {
      httpOnly = true;
      line = line.slice(HTTP_ONLY.length);
    } else if (line.startsWith('#') || line.trim() === '') continue;
    const f = line.split('\t');
    if (f.length < 6) continue;
    const [domainField, sub, path, secure, expiresField, name] = f as [string, string, string, string, string, string];
    const value = f.slice(6).join('\t');
    const expires = Number(expiresField);
    if (!Number.isFinite(expires) || (expires !== 0 && expires * 1000 <= now)) continue;
    const domain = domainField.replace(/^\./, '').toLowerCase();
    if (domain === '' || name === '') continue;
    const cookie = new Cookie({
      key: name,
      value,
      domain,
      path: path || '/',
      secure: secure.toUpperCase() === 'TRUE',
      httpOnly,
      hostOnly: sub.toUpperCase() !== 'TRUE' && !domainField.startsWith('.'),
      expires: expires === 0 ? 'Infinity' : new Date(expires * 1000),
      creation: new Date(now),
    });
    // MemoryCookieStore answers synchronously; putCookie bypasses setCookie's
    // checks of a response's right to set the cookie: the file is trusted.
    void store.putCookie(cookie);
  }
  return jar;
}

/** A jar → the file's text, expired cookies left out, session cookies kept with expiry 0 (as curl writes them). */
export function formatCookieFile(jar: ToughCookie.CookieJar, now: number): string {
  const { Cookie } = tough();
  const lines: string[] = [];
  for (const json of jar.serializeSync()?.cookies ?? []) {
    const cookie = Cookie.fromJSON(json);
    if (cookie === undefined || cookie.domain == null) continue;
    const expiry = cookie.expiryTime();
    if (expiry !== undefined && expiry !== Number.POSITIVE_INFINITY && expiry <= now) continue;
    const seconds = expiry === undefined || expiry === Number.POSITIVE_INFINITY ? 0 : Math.floor(expiry / 1000);
    const domain = cookie.hostOnly ? cookie.domain : `.${cookie.domain}`;
    lines.push(
      [
        `${cookie.httpOnly ? HTTP_ONLY : ''}${domain}`,
        cookie.hostOnly ? 'FALSE' : 'TRUE',
        cookie.path ?? '/',
        cookie.secure ? 'TRUE' : 'FALSE',
        String(seconds),
        cookie.key,
        cookie.value,
      ].join('\t'),
    );
  }
  return HEADER + lines.map((l) => `${l}\n`).join('');
}
