import type { Dispatcher } from 'undici';
import { attempt, type AttemptResult, type RequestTarget } from '../fetch/attempt.js';
import type { AttemptFailure } from '../fetch/failure.js';
import type { ErrorCode, RecordError } from '../record/record.js';
import type { Enter } from './host-gate.js';
import { afterFailure, type RetrySettings } from './retry-policy.js';
import { compileRobots, type RobotsRules } from './robots-rules.js';

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
   * its origin's robots.txt the first time, as requests like any other: each
   * attempt inside a global slot, taken through `enter`.
   */
  verdict(target: RequestTarget, enter: Enter): Promise<RobotsVerdict>;
  /** A redirect hop's refusal, or null: a hop is another URL, asked from within the attempt's slot. */
  refusal(hop: RequestTarget): Promise<RecordError | null>;
}

export interface RobotsOptions {
  dispatcher: Dispatcher;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** The product token matched against `User-agent:` lines (--robots-agent). */
  agent: string;
  /** --retries and --retry-max-wait, for the robots.txt fetch as for any URL. */
  retry: RetrySettings;
  monotonic(): number;
  now(): number;
  /** Back-off waits between robots.txt attempts: true after `ms`, false once `stop` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
  random(): number;
  /** Ends those waits (the run abandons requests in flight): the last failure then stands. */
  stop: AbortSignal;
}

type Policy =
  | { kind: 'rules'; rules: RobotsRules; allowed: RobotsVerdict }
  | { kind: 'allow-all' }
  | { kind: 'deny-all'; verdict: RobotsVerdict & { allowed: false } };

/** RFC 9309 2.5: parse at least 500 KiB; what is past the cap is not read, and what was read is obeyed. */
export const ROBOTS_MAX_BYTES = 512 * 1024;
/** RFC 9309 2.3.1.2: follow at least five redirects; more means "unavailable". */
const ROBOTS_MAX_REDIRECTS = 5;
/** A Crawl-delay above this is read as this: one URL a minute is as slow as a run can usefully go. */
export const MAX_CRAWL_DELAY_MS = 60_000;
const ALLOW_ALL = Object.freeze<RobotsVerdict>({ allowed: true, crawlDelayMs: 0 });
const DISALLOWED = Object.freeze<RobotsVerdict>({ allowed: false, error: { code: 'ROBOTS_DISALLOWED', message: 'disallowed by robots.txt' } });
/** robots.txt is read to its end whatever the run does: its verdict is shared by every URL of the origin. */
const NEVER = new AbortController().signal;

/**
 * Failures to reach the host at all, not answers about robots.txt: its URLs
 * are not requested, and their records keep the code, which says more than
 * ROBOTS_DISALLOWED would (a host that is down, a name that does not resolve,
 * a certificate that fails, an address --deny-private refuses, a proxy that
 * fails or refuses).
 */
const HOST_UNREACHABLE: ReadonlySet<ErrorCode> = new Set(['CONNECTION', 'DNS', 'TLS', 'BLOCKED_ADDRESS', 'PROXY']);

function crawlDelayMs(rules: RobotsRules): number {
  const delay = rules.crawlDelaySec;
  return delay !== null && delay > 0 ? Math.min(delay * 1000, MAX_CRAWL_DELAY_MS) : 0;
}

function denyAll(reason: string, code: ErrorCode = 'ROBOTS_DISALLOWED'): Policy {
  return { kind: 'deny-all', verdict: { allowed: false, error: { code, message: `${reason}; treated as disallow-all` } } };
}

/**
 * What a robots.txt fetch that ended without a 2xx means (RFC 9309 2.3.1):
 * - 4xx ("unavailable"), or more than five redirects: no rules, allow all.
 * - Anything else ("unreachable"): disallow all for this run, after the
 *   retries --retries allows. 429, 5xx, a timeout, malformed HTTP and a body
 *   that cannot be decoded say ROBOTS_DISALLOWED; a host that cannot be
 *   reached at all (HOST_UNREACHABLE) keeps its own code.
 */
function policyAfter(failure: AttemptFailure): Policy {
  const { code, status } = failure;
  if (code === 'HTTP_STATUS' && status !== null) {
    return status === 429 || status >= 500 ? denyAll(`robots.txt answered ${status}`) : { kind: 'allow-all' };
  }
  if (code === 'TOO_MANY_REDIRECTS' || code === 'BAD_REDIRECT') return { kind: 'allow-all' };
  if (code === 'TIMEOUT') return denyAll('robots.txt timed out');
  if (HOST_UNREACHABLE.has(code)) return denyAll(`robots.txt: ${failure.message}`, code);
  return denyAll(`robots.txt unreachable (${code}: ${failure.message})`);
}

/**
 * robots.txt, fetched once per origin per run and cached (the promise is
 * cached, so concurrent first requests to one host share one fetch), compiled
 * once for the run's product token. How each answer is read: `policyAfter`.
 */
export function createRobots(opts: RobotsOptions): Robots {
  const cache = new Map<string, Promise<Policy>>();
  const settings = {
    maxBytes: ROBOTS_MAX_BYTES,
    truncate: true,
    maxRedirects: ROBOTS_MAX_REDIRECTS,
    headers: opts.headers,
    timeoutMs: Math.min(opts.timeoutMs, 10_000),
  };
  const deps = { dispatcher: opts.dispatcher, monotonic: opts.monotonic, now: opts.now };

  async function load(origin: string, enter: Enter | null): Promise<Policy> {
    const target = { url: `${origin}/robots.txt`, origin, path: '/robots.txt' };
    const once = (): Promise<AttemptResult> => attempt(target, settings, deps, NEVER);
    for (let attempts = 1; ; attempts++) {
      const result = await (enter ? enter(once) : once());
      if (result.kind === 'response') {
        const rules = compileRobots(result.response.body, opts.agent);
        return { kind: 'rules', rules, allowed: { allowed: true, crawlDelayMs: crawlDelayMs(rules) } };
      }
      // Not reached: NEVER does not abort.
      if (result.kind === 'stopped') return { kind: 'allow-all' };
      const next = afterFailure(result.failure, attempts, opts.retry, opts.random);
      // The wait is outside any slot: a struggling host's robots.txt holds none.
      if (!next.retry || !(await opts.sleep(next.waitMs, opts.stop))) return policyAfter(result.failure);
    }
  }

  const policyFor = (origin: string, enter: Enter | null): Promise<Policy> => {
    let policy = cache.get(origin);
    if (!policy) {
      policy = load(origin, enter);
      cache.set(origin, policy);
    }
    return policy;
  };

  const verdictOf = (p: Policy, path: string): RobotsVerdict => {
    if (p.kind === 'allow-all') return ALLOW_ALL;
    if (p.kind === 'deny-all') return p.verdict;
    return p.rules.allows(path) ? p.allowed : DISALLOWED;
  };

  return {
    async verdict(target, enter) {
      return verdictOf(await policyFor(target.origin, enter), target.path);
    },
    async refusal(hop) {
      const v = verdictOf(await policyFor(hop.origin, null), hop.path);
      if (v.allowed) return null;
      // The URL itself was reached: what refused the hop is its host's robots.txt
      // policy, whatever made it. As ROBOTS_DISALLOWED it is not retried and
      // costs no attempt (fetch-target.ts), since a retry would meet the same policy.
      return v.error.code === 'ROBOTS_DISALLOWED' ? v.error : { code: 'ROBOTS_DISALLOWED', message: `redirect to ${hop.origin}: ${v.error.message}` };
    },
  };
}
