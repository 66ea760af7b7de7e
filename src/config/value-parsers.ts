import { isProductToken } from '../schedule/robots-agent.js';
import { UsageError } from './usage-error.js';

/**
 * The parsers option rows share: a flag's text → a typed value, or a
 * UsageError naming the flag, what it takes and what it got. Each is made for
 * one row (`wholeNumber(1)`) and called with the flag's name, so one message
 * serves the command line and a --config file alike.
 */
export type Parser<T> = (value: string, flag: string) => T;

/** A whole number of at least `min`: no sign, no decimals, no `1e3`, no `0x10`. */
export const wholeNumber =
  (min: number): Parser<number> =>
  (value, flag) => {
    const v = value.trim();
    if (!/^\d+$/.test(v)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be at least ${min}, got "${value}"`);
    return n;
  };

const SIZE = /^(\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const UNIT: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Byte sizes accept a K/M/G suffix (binary units): `--max-bytes 5M`. */
export const byteSize: Parser<number> = (value, flag) => {
  const m = SIZE.exec(value.trim());
  if (!m) throw new UsageError(`${flag} must be a number of bytes like 500000 or 5M, got "${value}"`);
  const n = Number(m[1]) * (m[2] ? (UNIT[m[2][0]!.toLowerCase()] ?? 1) : 1);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be at least 1 byte, got "${value}"`);
  return n;
};

/** One of a fixed list, in any case. */
export const oneOf =
  <T extends string>(allowed: readonly T[]): Parser<T> =>
  (value, flag) => {
    const v = value.toLowerCase() as T;
    if (!allowed.includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
    return v;
  };

/** A positive decimal: `--rate 0.5` is one request every two seconds. */
export const positiveNumber: Parser<number> = (value, flag) => {
  const v = value.trim();
  const n = Number(v);
  if (!/^\d*\.?\d+$/.test(v) || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${value}"`);
  return n;
};

/** A count, or `auto`: `--workers`. */
export const countOrAuto: Parser<number | 'auto'> = (value, flag) =>
  value.trim().toLowerCase() === 'auto' ? 'auto' : wholeNumber(0)(value, flag);

/** Any text, as given: a path is checked against the file system later, once, in resolve.ts. */
export const text: Parser<string> = (value) => value;

/** --sitemap URLs: absolute http(s), checked before any request. */
export function sitemapUrls(values: readonly string[]): string[] {
  return values.map((v) => {
    let url: URL;
    try {
      url = new URL(v.trim());
    } catch {
      throw new UsageError(`--sitemap must be an absolute http(s) URL, got "${v}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--sitemap must be an absolute http(s) URL, got "${v}"`);
    return url.href;
  });
}

/** ISO 8601 as sitemaps write it (W3C Datetime): a date, or a date and time; a time without a zone is UTC. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `2026-11-01`, `2026-11-01T08:00:00+01:00` → epoch ms. */
export const instant: Parser<number> = (value, flag) => {
  const v = value.trim();
  const m = ISO_8601.exec(v);
  const withZone = m && v.length > 10 && m[1] === undefined ? `${v}Z` : v;
  const ms = m ? Date.parse(withZone.replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be an ISO 8601 date or date-time such as 2026-11-01 or 2026-11-01T08:00:00Z, got "${value}"`);
  return ms;
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90` (seconds, as curl's --max-time), `90s`, `15m`, `2h`, `500ms` → milliseconds. */
export const duration: Parser<number> = (value, flag) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * DURATION_UNITS[m[2] ?? 's']! : NaN;
  if (!(ms >= 1) || !Number.isFinite(ms)) {
    throw new UsageError(`${flag} must be a duration such as 90 (seconds), 90s, 15m or 2h, got "${value}"`);
  }
  return Math.round(ms);
};

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A line break or NUL in a header value would let a value smuggle in a header of its own. */
const UNSAFE = /[\r\n\0]/;

/** `-H "Name: value"` flags → lower-cased names and trimmed values; a later flag replaces an earlier one. */
export function parseHeaders(flags: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const i = flag.indexOf(':');
    const name = (i < 0 ? '' : flag.slice(0, i)).trim().toLowerCase();
    const value = i < 0 ? '' : flag.slice(i + 1).trim();
    if (!TOKEN.test(name)) throw new UsageError(`invalid --header "${flag}": expected "Name: value"`);
    if (UNSAFE.test(value)) throw new UsageError(`invalid --header "${name}": value contains a line break or NUL`);
    headers[name] = value;
  }
  return headers;
}

/** `--user-agent`: one non-empty line. */
export function parseUserAgent(value: string): string {
  if (value.trim() === '' || UNSAFE.test(value)) throw new UsageError('--user-agent must be a non-empty single line');
  return value;
}

/** `--robots-agent`: a product token as RFC 9309 2.2.1 defines it, which is what a `User-agent:` line can name. */
export function parseRobotsAgent(value: string, flag: string): string {
  if (!isProductToken(value)) throw new UsageError(`${flag} must be a product token of letters, "_" and "-" (as robots.txt User-agent lines name it), got "${value}"`);
  return value;
}

/**
 * A proxy URL (`--proxy`, HTTP_PROXY …), as curl takes it: `host:port` means
 * http://; http:// and https:// proxies are supported, `none` turns proxying
 * off. SOCKS is refused: undici's SOCKS5 agent is experimental in undici 7
 * (it prints a warning of its own, offers no HTTP/2 and skips our timeouts).
 */
export const proxyUrl: Parser<string> = (value, flag) => {
  const v = value.trim();
  if (v.toLowerCase() === 'none') return 'none';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${flag} must be a proxy URL like http://proxy:3128 (or "none"), got "${scrubProxy(value)}"`);
  }
  if (/^socks/.test(url.protocol)) {
    throw new UsageError(`${flag}: SOCKS proxies (${url.protocol}//) are not supported; use an HTTP proxy (http:// or https://)`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`${flag} must be an http:// or https:// proxy URL, got "${scrubProxy(value)}"`);
  }
  return url.href;
};

/** A proxy value for an error message: never its password. */
function scrubProxy(value: string): string {
  return value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

/** `--include`/`--exclude`: JavaScript regular expressions, compiled now so a broken one is a usage error before any request. */
export function parseRegexes(values: readonly string[], flag: string): RegExp[] {
  return values.map((source) => {
    try {
      return new RegExp(source);
    } catch (err) {
      throw new UsageError(`${flag} "${source}" is not a valid JavaScript regular expression (${err instanceof Error ? err.message : String(err)})`);
    }
  });
}
