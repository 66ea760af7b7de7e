import { compilePattern, canonical, matches, type Pattern } from './robots-pattern.js';

/**
 * What one robots.txt says to one product token, compiled once per origin:
 * asked once per URL, it compares the URL's path with the rules that apply,
 * longest first, and allocates nothing for a path already in canonical form.
 */
export interface RobotsRules {
  /** May this path (path and query, as input/targets.ts keeps it) be fetched? */
  allows(path: string): boolean;
  /** Crawl-delay of the group that applies, in seconds (not RFC 9309; honoured as Bing and Yandex define it), or null. */
  readonly crawlDelaySec: number | null;
  /** How many Allow/Disallow rules apply to the token. */
  readonly ruleCount: number;
}

interface Rule {
  readonly pattern: Pattern;
  readonly allow: boolean;
}

/** Google keeps the first 2083 × 8 − 1 bytes of a line (robots.cc): a line of 16 KiB is no robots.txt rule anyone meant. */
export const MAX_LINE_BYTES = 2083 * 8 - 1;
const BOM = [0xef, 0xbb, 0xbf];

type Key = 'user-agent' | 'allow' | 'disallow' | 'crawl-delay' | 'other';

/**
 * A line's key, read as Google reads it: case-insensitively, by prefix, with
 * the misspellings it accepts (RFC 9309 2.2.4 allows that leniency).
 */
function keyOf(raw: string): Key {
  const k = raw.toLowerCase();
  if (k.startsWith('user-agent') || k.startsWith('useragent') || k.startsWith('user agent')) return 'user-agent';
  if (k.startsWith('allow')) return 'allow';
  if (/^(?:disallow|dissallow|dissalow|disalow|diasllow|disallaw)/.test(k)) return 'disallow';
  if (k.startsWith('crawl-delay') || k.startsWith('crawldelay') || k.startsWith('crawl delay')) return 'crawl-delay';
  return 'other';
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * `key: value`, comment dropped. A line without a colon is read when it is
 * exactly two words (`Disallow /x`: Google's reading, where the meaning is
 * clear); anything else without a colon is no record.
 */
function splitLine(line: string): [key: string, value: string] | null {
  const hash = line.indexOf('#');
  const text = trim(hash < 0 ? line : line.slice(0, hash));
  let sep = text.indexOf(':');
  let valueStart = sep + 1;
  if (sep < 0) {
    const words = /^(\S+)[ \t]+(\S+)$/.exec(text);
    if (!words) return null;
    sep = words[1]!.length;
    valueStart = sep;
  }
  const key = trim(text.slice(0, sep));
  return key === '' ? null : [key, trim(text.slice(valueStart))];
}

/** The lines of a body read as octets: CR, LF and CRLF end lines; a (partial) UTF-8 BOM at the start is skipped. */
function linesOf(text: string): string[] {
  let start = 0;
  while (start < BOM.length && text.charCodeAt(start) === BOM[start]) start++;
  return (start === 0 ? text : text.slice(start)).split(/\r\n|\r|\n/);
}

/**
 * The sitemaps a robots.txt lists (`Sitemap: URL` lines, sitemaps.org: any
 * number, anywhere in the file, outside the groups), resolved against the
 * robots.txt URL for the rare relative one; duplicates dropped, order kept.
 */
export function sitemapsOf(body: Buffer, robotsUrl: string): string[] {
  const out = new Set<string>();
  for (const line of linesOf(body.toString('latin1'))) {
    const kv = splitLine(line);
    if (kv === null || !/^site-?map$/i.test(kv[0]) || kv[1] === '') continue;
    try {
      // Bytes read as latin1: back to UTF-8 for a URL that holds any.
      const url = new URL(Buffer.from(kv[1], 'latin1').toString('utf8'), robotsUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') out.add(url.href);
    } catch {
      // Not a URL: skipped, as Google's parser reports it and goes on.
    }
  }
  return [...out];
}

/** A `User-agent:` value names the token when its leading token characters do, case-insensitively ("FooBot/2.1", "Foo Bar" → Foo). */
function namesAgent(value: string, agent: string): boolean {
  const token = /^[A-Za-z_-]*/.exec(value)![0];
  return token.toLowerCase() === agent;
}

/** `*`, alone or followed by white space and anything (Google's reading of "* bots"). */
const isGlobal = (value: string): boolean => value.charCodeAt(0) === 42 && (value.length === 1 || isSpace(value.charCodeAt(1)));

/**
 * Parse a robots.txt body (its bytes; parse only what was read: the fetch caps
 * it, RFC 9309 2.5) into the rules for `agent`, as RFC 9309 and Google's
 * parser read it:
 *
 * - A group is one or more User-agent lines and the records after them; the
 *   next User-agent line after a record starts another group. Blank lines,
 *   Sitemap and unknown lines end nothing (RFC 9309 2.2.4).
 * - The groups naming the token are merged; when none does, the `*` groups
 *   are (2.2.1). A group naming the token but with no rules allows everything:
 *   the `*` groups are not consulted then.
 * - Rules outside any group are ignored (2.2.2). Crawl-delay is read for the
 *   same groups, and ends a run of User-agent lines like a rule does.
 */
export function compileRobots(body: Buffer, agent: string): RobotsRules {
  const token = agent.toLowerCase();
  const own: Rule[] = [];
  const global: Rule[] = [];
  let ownDelay: number | null = null;
  let globalDelay: number | null = null;
  let namesUs = false;
  let namesAll = false;
  let everNamedUs = false;
  let recordSeen = false;

  for (const rawLine of linesOf(body.toString('latin1'))) {
    const kv = splitLine(rawLine.length > MAX_LINE_BYTES ? rawLine.slice(0, MAX_LINE_BYTES) : rawLine);
    if (kv === null) continue;
    const [rawKey, value] = kv;
    const key = keyOf(rawKey);
    if (key === 'other') continue;
    if (key === 'user-agent') {
      if (recordSeen) namesUs = namesAll = recordSeen = false;
      if (isGlobal(value)) namesAll = true;
      else if (namesAgent(value, token)) namesUs = everNamedUs = true;
      continue;
    }
    if (!namesUs && !namesAll) continue;
    recordSeen = true;
    if (key === 'crawl-delay') {
      const seconds = Number(value);
      if (value === '' || !Number.isFinite(seconds) || seconds < 0) continue;
      if (namesUs) ownDelay = Math.max(ownDelay ?? 0, seconds);
      else globalDelay = Math.max(globalDelay ?? 0, seconds);
      continue;
    }
    const pattern = compilePattern(value);
    if (pattern !== null) (namesUs ? own : global).push({ pattern, allow: key === 'allow' });
  }
  return rulesOf(everNamedUs ? own : global, everNamedUs ? ownDelay : globalDelay);
}

/** Does `a` decide before `b`: longer first, and Allow before Disallow of the same length (RFC 9309 2.2.2)? */
const before = (a: Rule, b: Rule): boolean => a.pattern.length > b.pattern.length || (a.pattern.length === b.pattern.length && a.allow && !b.allow);

/**
 * The first directory of a rule's literal start (`/shop/` for `/shop/cart*`),
 * or null when it does not reach a second `/` (`/`, `/*.gif`, `/shop`): such a
 * rule may match any path, the others only paths in that directory.
 */
function directoryOf(start: string): string | null {
  const slash = start.indexOf('/', 1);
  return start.charCodeAt(0) === 47 && slash > 0 ? start.slice(0, slash + 1) : null;
}

/**
 * The rules in deciding order, split by directory: a path is compared only with
 * the rules that can match anywhere and those of its own first directory, so a
 * robots.txt of a thousand rules costs a URL a handful of comparisons, not a
 * thousand. The two lists are walked together, in deciding order; the first
 * rule that matches decides.
 */
function rulesOf(rules: Rule[], crawlDelaySec: number | null): RobotsRules {
  rules.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const anywhere: Rule[] = [];
  const byDirectory = new Map<string, Rule[]>();
  for (const rule of rules) {
    const dir = directoryOf(rule.pattern.parts[0]!);
    if (dir === null) anywhere.push(rule);
    else {
      const list = byDirectory.get(dir);
      if (list) list.push(rule);
      else byDirectory.set(dir, [rule]);
    }
  }
  return {
    crawlDelaySec,
    ruleCount: rules.length,
    allows(path) {
      // RFC 9309 2.2.2: /robots.txt itself is always allowed.
      if (rules.length === 0 || path === '/robots.txt') return true;
      const p = canonical(path);
      const slash = byDirectory.size === 0 ? -1 : p.indexOf('/', 1);
      const own = slash > 0 ? byDirectory.get(p.slice(0, slash + 1)) : undefined;
      if (own === undefined) {
        for (const rule of anywhere) if (matches(rule.pattern, p)) return rule.allow;
        return true;
      }
      for (let i = 0, j = 0; i < anywhere.length || j < own.length; ) {
        const rule = j === own.length || (i < anywhere.length && !before(own[j]!, anywhere[i]!)) ? anywhere[i++]! : own[j++]!;
        if (matches(rule.pattern, p)) return rule.allow;
      }
      return true;
    },
  };
}
