import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import { attempt, type RequestTarget } from '../fetch/attempt.js';
import type { RecordError } from '../record/record.js';
import type { Enter } from './host-gate.js';

interface Robot {
  isDisallowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS whose typings claim a default export it does not have under ESM.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, contents: string) => Robot;

/** Product token matched against `User-agent:` lines. */
export const ROBOTS_AGENT = 'scrape';

/**
 * The one answer robots.txt gives about a URL: may it be fetched, and at what
 * pace its host asked to be fetched (Crawl-delay, for the host gate).
 */
export type RobotsVerdict =
  | { readonly allowed: true; readonly crawlDelayMs: number }
  | { readonly allowed: false; readonly error: RecordError };

export interface Robots {
  /**
   * The verdict for a URL, asked once per URL before its first attempt. Loads
   * its origin's robots.txt the first time, as a request like any other: inside
   * a global slot, taken through `enter`.
   */
  verdict(target: RequestTarget, enter: Enter): Promise<RobotsVerdict>;
  /** A redirect hop's refusal, or null: a hop is another URL, asked from within the attempt's slot. */
  refusal(hop: RequestTarget): Promise<RecordError | null>;
}

export interface RobotsOptions {
  dispatcher: Dispatcher;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  monotonic(): number;
  now(): number;
}

type Policy =
  | { kind: 'rules'; robot: Robot; allowed: RobotsVerdict }
  | { kind: 'allow-all' }
  | { kind: 'deny-all'; verdict: RobotsVerdict & { allowed: false } };

const ROBOTS_MAX_BYTES = 512 * 1024; // Google reads the first 500 KiB.
const ROBOTS_MAX_REDIRECTS = 5;
/** A Crawl-delay above this is read as this: one URL a minute is as slow as a run can usefully go. */
export const MAX_CRAWL_DELAY_MS = 60_000;
const ALLOW_ALL = Object.freeze<RobotsVerdict>({ allowed: true, crawlDelayMs: 0 });
const DISALLOWED = Object.freeze<RobotsVerdict>({ allowed: false, error: { code: 'ROBOTS_DISALLOWED', message: 'disallowed by robots.txt' } });
/** robots.txt is read to its end whatever the run does: its verdict is shared by every URL of the origin. */
const NEVER = new AbortController().signal;

function crawlDelayMs(robot: Robot): number {
  const delay = robot.getCrawlDelay(ROBOTS_AGENT);
  return typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? Math.min(delay * 1000, MAX_CRAWL_DELAY_MS) : 0;
}

function denyAll(reason: string): Policy {
  return { kind: 'deny-all', verdict: { allowed: false, error: { code: 'ROBOTS_DISALLOWED', message: `${reason}; treated as disallow-all` } } };
}

/**
 * robots.txt, fetched once per origin per run and cached (the promise is cached,
 * so concurrent first requests to one host share one fetch). Status handling
 * follows Google's documented behaviour: 4xx means no rules (allow all); 5xx
 * and timeouts mean disallow all, since the site may be struggling. A refused
 * connection or DNS failure allows, so the page's own record shows the real error.
 */
export function createRobots(opts: RobotsOptions): Robots {
  const cache = new Map<string, Promise<Policy>>();
  const settings = { maxBytes: ROBOTS_MAX_BYTES, maxRedirects: ROBOTS_MAX_REDIRECTS, headers: opts.headers, timeoutMs: Math.min(opts.timeoutMs, 10_000) };
  const deps = { dispatcher: opts.dispatcher, monotonic: opts.monotonic, now: opts.now };

  async function load(origin: string): Promise<Policy> {
    const url = `${origin}/robots.txt`;
    const result = await attempt({ url, origin, path: '/robots.txt' }, settings, deps, NEVER);
    if (result.kind === 'response') {
      try {
        const robot = robotsParser(url, result.response.body.toString('utf8'));
        return { kind: 'rules', robot, allowed: { allowed: true, crawlDelayMs: crawlDelayMs(robot) } };
      } catch {
        // The site's file, not our bug: a robots.txt the parser chokes on has no rules we can read.
        return { kind: 'allow-all' };
      }
    }
    if (result.kind === 'failure') {
      const { code, status } = result.failure;
      if (code === 'TIMEOUT') return denyAll('robots.txt timed out');
      if (code === 'HTTP_STATUS' && status !== null && status >= 500) return denyAll(`robots.txt answered ${status}`);
    }
    return { kind: 'allow-all' };
  }

  const policyFor = (origin: string, enter: Enter | null): Promise<Policy> => {
    let policy = cache.get(origin);
    if (!policy) {
      policy = enter ? enter(() => load(origin)) : load(origin);
      cache.set(origin, policy);
    }
    return policy;
  };

  const verdictOf = (p: Policy, url: string): RobotsVerdict => {
    if (p.kind === 'allow-all') return ALLOW_ALL;
    if (p.kind === 'deny-all') return p.verdict;
    return p.robot.isDisallowed(url, ROBOTS_AGENT) === true ? DISALLOWED : p.allowed;
  };

  return {
    async verdict(target, enter) {
      return verdictOf(await policyFor(target.origin, enter), target.url);
    },
    async refusal(hop) {
      const v = verdictOf(await policyFor(hop.origin, null), hop.url);
      return v.allowed ? null : v.error;
    },
  };
}
