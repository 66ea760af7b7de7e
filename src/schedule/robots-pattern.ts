/**
 * robots.txt path patterns (RFC 9309 2.2.2, 2.2.3): `*` for any run of
 * characters, `$` at the end for the end of the path, matched from the first
 * octet of the path, after percent-encoding both sides the same way.
 *
 * Both sides are strings whose characters are octets: the robots.txt body is
 * read as latin1 (robots-rules.ts), so a UTF-8 character in a rule is its
 * bytes, and a URL path from the WHATWG parser is already ASCII.
 */

const HEX = '0123456789ABCDEF';

/** Per ASCII code: 1 = unreserved (RFC 3986 2.3), 2 = written percent-encoded; the rest as is. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9\-._~]/.test(ch)) CLASS[c] = 1;
  // Controls, space, DEL and the characters URL parsers encode in one place and
  // not another; `*` and `$` too: in a rule they are special, so a literal one
  // is written %2A / %24 (RFC 9309 2.2.3), and the URL's must compare equal.
  else if (c <= 0x20 || c === 0x7f || '"<>\\^`{|}*$'.includes(ch)) CLASS[c] = 2;
}

const hexValue = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

/** The escape at `i`, as an octet, or -1 when `i` does not start one. */
function escapeAt(s: string, i: number): number {
  if (i + 2 >= s.length) return -1;
  const hi = hexValue(s.charCodeAt(i + 1));
  const lo = hexValue(s.charCodeAt(i + 2));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/** Whether `canonical` would change `s`: most URL paths need nothing, and then nothing is allocated. */
function isCanonical(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const v = escapeAt(s, i);
      // An escape stays only when its octet is not unreserved and its hex is upper-case.
      if (v < 0 || (v < 128 && CLASS[v] === 1) || s.charCodeAt(i + 1) > 70 || s.charCodeAt(i + 2) > 70) return false;
      i += 2;
    } else if (c >= 128 || CLASS[c] === 2) return false;
  }
  return true;
}

/**
 * One spelling per octet string, used on rules and on URLs alike (RFC 9309
 * 2.2.2): an escaped unreserved character is unescaped (%62 → b), other escapes
 * are upper-cased (%2f → %2F), reserved characters are left as written, and
 * octets outside ASCII, controls, and characters that are encoded in some
 * places and not others are escaped (ツ → %E3%83%84, a literal `*` → %2A). A
 * `%` that starts no escape is itself escaped.
 */
export function canonical(s: string): string {
  if (isCanonical(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const v = escapeAt(s, i);
      if (v >= 0) {
        out += v < 128 && CLASS[v] === 1 ? String.fromCharCode(v) : `%${HEX[v >> 4]}${HEX[v & 15]}`;
        i += 2;
        continue;
      }
    }
    out += c === 37 || c >= 128 || CLASS[c & 127] === 2 ? `%${HEX[(c >> 4) & 15]}${HEX[c & 15]}` : s[i];
  }
  return out;
}

/**
 * A rule's path, compiled: the literal runs between `*`s (canonical), and
 * whether it ends with the `$` anchor. `length` is the rule's weight: the
 * longest matching rule wins (RFC 9309 2.2.2), counted on the canonical pattern.
 */
export interface Pattern {
  /** Literal runs: a pattern without `*` has one. */
  readonly parts: readonly string[];
  readonly anchored: boolean;
  readonly length: number;
}

/** A rule's value → its Pattern; null for an empty one, which matches nothing (`Disallow:` alone disallows nothing). */
export function compilePattern(value: string): Pattern | null {
  if (value === '') return null;
  // `$` is special only at the very end (as Google reads it); elsewhere it is a literal.
  const anchored = value.endsWith('$');
  const parts = (anchored ? value.slice(0, -1) : value).split('*').map(canonical);
  const length = parts.reduce((n, p) => n + p.length, parts.length - 1) + (anchored ? 1 : 0);
  return { parts, anchored, length };
}

/**
 * Does the pattern match the canonical `path` from its first octet? Each
 * literal run after a `*` is taken at its leftmost place, which leaves the
 * most room for the runs after it, so one pass decides; nothing is allocated.
 */
export function matches(pattern: Pattern, path: string): boolean {
  const { parts, anchored } = pattern;
  const first = parts[0]!;
  if (parts.length === 1) return anchored ? path === first : path.startsWith(first);
  if (!path.startsWith(first)) return false;
  let at = first.length;
  const last = parts.length - 1;
  for (let i = 1; i < last; i++) {
    const part = parts[i]!;
    const found = path.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  const tail = parts[last]!;
  if (anchored) return path.length - tail.length >= at && path.endsWith(tail);
  return path.indexOf(tail, at) >= 0;
}
