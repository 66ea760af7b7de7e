import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import { attempt } from '../fetch/attempt.js';
import { classify } from '../fetch/classify.js';
import type { HostPolicy } from './host-gate.js';
import { FetchFailure } from '../fetch/failure.js';

interface Robot {
  isDisallowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS whose typings claim a default export it does not have under ESM.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, contents: string) => Robot;

/** Product token matched against `User-agent:` lines. */
export const ROBOTS_AGENT = 'scrape';

type Policy =
  | { kind: 'rules'; robot: Robot }
  | { kind: 'allow-all' }
  | { kind: 'deny-all'; reason: string };

export interface Robots {
  /** A ROBOTS_DISALLOWED failure for `url`, or null when it may be fetched. */
  check(url: string, signal: AbortSignal): Promise<FetchFailure | null>;
  /** What the host gate needs before `url`'s request: its Crawl-delay for us, and whether it is disallowed anyway. */
  pacing(url: string): Promise<HostPolicy>;
}

export interface RobotsOptions {
  dispatcher: Dispatcher;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  monotonic(): number;
  now(): number;
}

const ROBOTS_MAX_BYTES = 512 * 1024; // Google reads the first 500 KiB.
const ROBOTS_MAX_REDIRECTS = 5;
/** A Crawl-delay above this is read as this: one URL a minute is as slow as a run can usefully go. */
export const MAX_CRAWL_DELAY_MS = 60_000;

/**
 * robots.txt, fetched once per origin per run and cached (the promise is cached,
 * so concurrent first requests to one host share one fetch). Status handling
 * follows Google's documented behaviour: 4xx means no rules (allow all); 5xx
 * and timeouts mean disallow all, since the site may be struggling. A refused
 * connection or DNS failure allows, so the page's own record shows the real error.
 */
export function createRobots(opts: RobotsOptions): Robots {
  const cache = new Map<string, Promise<Policy>>();

  async function load(origin: string): Promise<Policy> {
    const url = `${origin}/robots.txt`;
    const deadline = AbortSignal.timeout(Math.min(opts.timeoutMs, 10_000));
    try {
      const res = await attempt(
        url,
        { maxBytes: ROBOTS_MAX_BYTES, maxRedirects: ROBOTS_MAX_REDIRECTS, headers: opts.headers },
        { dispatcher: opts.dispatcher, monotonic: opts.monotonic, now: opts.now },
        deadline,
      );
      return { kind: 'rules', robot: robotsParser(url, res.body.toString('utf8')) };
    } catch (err) {
      if (deadline.aborted) return { kind: 'deny-all', reason: 'robots.txt timed out' };
      const f = classify(err);
      if (f.code === 'HTTP_STATUS' && f.status !== null && f.status >= 500) {
        return { kind: 'deny-all', reason: `robots.txt answered ${f.status}` };
      }
      return { kind: 'allow-all' };
    }
  }

  const policyFor = (url: string): Promise<Policy> => {
    const origin = new URL(url).origin;
    let policy = cache.get(origin);
    if (!policy) {
      policy = load(origin);
      cache.set(origin, policy);
    }
    return policy;
  };

  return {
    async pacing(url) {
      const p = await policyFor(url);
      if (p.kind === 'allow-all') return { minIntervalMs: 0, exempt: false };
      if (p.kind === 'deny-all') return { minIntervalMs: 0, exempt: true };
      const delay = p.robot.getCrawlDelay(ROBOTS_AGENT);
      const minIntervalMs = typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? Math.min(delay * 1000, MAX_CRAWL_DELAY_MS) : 0;
      return { minIntervalMs, exempt: p.robot.isDisallowed(url, ROBOTS_AGENT) === true };
    },
    async check(url) {
      const p = await policyFor(url);
      if (p.kind === 'allow-all') return null;
      if (p.kind === 'deny-all') return new FetchFailure('ROBOTS_DISALLOWED', `${p.reason}; treated as disallow-all`);
      return p.robot.isDisallowed(url, ROBOTS_AGENT) === true
        ? new FetchFailure('ROBOTS_DISALLOWED', 'disallowed by robots.txt')
        : null;
    },
  };
}
