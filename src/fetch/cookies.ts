import { createRequire } from 'node:module';
import type * as ToughCookie from 'tough-cookie';

/**
 * tough-cookie (RFC 6265: domain and path matching, Secure, expiry,
 * public-suffix checks), loaded on first use: 18 ms of start-up that a run
 * whose servers set no cookie never pays.
 */
export const tough = (): typeof ToughCookie => createRequire(import.meta.url)('tough-cookie') as typeof ToughCookie;

/** Cookies as an attempt uses them: what to send to a URL, and what a response set. */
export interface Cookies {
  /** The Cookie header for `url` (RFC 6265 5.4), or null when no cookie applies. */
  header(url: string): string | null;
  /** Keep the Set-Cookie headers a response from `url` carried; invalid ones are ignored, as browsers do. */
  remember(url: string, setCookie: string | readonly string[]): void;
}

/** A run-wide jar (--cookie-jar) behind the Cookies interface. */
export function jarCookies(jar: ToughCookie.CookieJar): Cookies {
  let empty = jar.serializeSync()?.cookies.length === 0;
  return {
    // An empty jar answers without a lookup: the common case costs nothing.
    header: (url) => (empty ? null : jar.getCookieStringSync(url) || null),
    remember(url, setCookie) {
      for (const c of typeof setCookie === 'string' ? [setCookie] : setCookie) {
        if (jar.setCookieSync(c, url, { ignoreError: true })) empty = false;
      }
    },
  };
}

/**
 * Cookies of one URL's redirect chain, without --cookie-jar: a login or
 * consent hop that sets a cookie and redirects back gets it on the next hop,
 * and nothing crosses to another input URL. The jar is made (and tough-cookie
 * loaded) only when a response sets a cookie.
 */
export function chainCookies(): Cookies {
  let jar: Cookies | null = null;
  return {
    header: (url) => jar?.header(url) ?? null,
    remember(url, setCookie) {
      jar ??= jarCookies(new (tough().CookieJar)());
      jar.remember(url, setCookie);
    },
  };
}
