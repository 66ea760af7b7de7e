import type { ResponseHeaders } from './failure.js';

/**
 * A response's headers as a record shows them (--headers): names lower-case
 * (undici's already are), repeated headers as arrays, and each Set-Cookie
 * value redacted to its name and attributes (`sid=***; Path=/; HttpOnly`):
 * a record is data to share, and a session cookie in it would be a login.
 */
export function recordHeaders(headers: ResponseHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = name === 'set-cookie' ? (Array.isArray(value) ? value.map(redactSetCookie) : redactSetCookie(value)) : value;
  }
  return out;
}

function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const pair = semi < 0 ? value : value.slice(0, semi);
  const eq = pair.indexOf('=');
  return `${eq < 0 ? '' : pair.slice(0, eq).trim()}=***${semi < 0 ? '' : value.slice(semi)}`;
}
