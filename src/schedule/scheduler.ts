import pLimit from 'p-limit';
import type { Dispatcher } from 'undici';
import type { Cookies } from '../fetch/cookies.js';
import type { AttemptResult } from '../fetch/attempt.js';
import type { Clock } from '../platform/clock.js';
import { createTargetFetcher, type TargetFetchSettings, type TargetOutcome } from './fetch-target.js';
import type { Frontier } from './frontier.js';
import { createHostGate, realGateTime, type Enter, type GateTime } from './host-gate.js';
import { createRobots } from './robots.js';
import type { InvalidTarget, Target, UrlTarget } from './target.js';
import { throttleOf } from './throttle.js';
import { createHostHealth } from './host-health.js';
import { forEachBounded } from './window.js';

export interface SchedulerSettings extends TargetFetchSettings {
  /** Requests in flight at once, all hosts together. */
  concurrency: number;
  /** Requests in flight at once to one host. */
  perHost: number;
  /** --rate: request starts per second per host; null = unpaced. */
  rate: number | null;
  /** Obey robots.txt (off with --no-robots). */
  robots: boolean;
  /** The product token robots.txt groups are matched against (--robots-agent). */
  robotsAgent: string;
  /** --host-errors: connection-level failures in a row that give a host up; 0 = never. */
  hostErrors: number;
}

export interface SchedulerDeps {
  dispatcher: Dispatcher;
  clock: Clock;
  /** Aborted to stop dispatching new URLs (first signal, broken pipe). */
  stopDispatch: AbortSignal;
  /** Aborted to abandon requests in flight (grace period over, second signal). */
  abortInflight: AbortSignal;
  /** The gate's and the back-off's time: real timers on `clock` unless a test drives them. */
  time?: GateTime;
  /** Back-off jitter. */
  random?: () => number;
  /** --max-time: aborted at the run's deadline (fetch-target.ts says what then); absent without it. */
  deadline?: AbortSignal;
  /** What is worth telling the person: a host given up on (--host-errors), a host held back for long. */
  notices?: SchedulerNotices;
  /** The run's cookie jar (--cookie-jar); absent: cookies live only within one URL's redirect chain. */
  cookies?: Cookies;
  /** --follow: redirect hops are requested only when the crawl claims their URL (fetch-target.ts). */
  claimHop?: (url: string, owner: UrlTarget) => boolean;
}

export interface SchedulerNotices {
  hostSkipped(host: string, failures: number, code: string): void;
  longWait(host: string, ms: number, why: string): void;
}

/** What the stages after the fetch do with each target; the scheduler decides only when and whether. */
export interface SchedulerHooks {
  /** Awaited after a URL's admission, before its first request: back-pressure from the stages after (the parse backlog). */
  room(): Promise<void>;
  /** The URL's own request headers (conditional-request validators), or undefined. */
  headersFor?(target: UrlTarget): Readonly<Record<string, string>> | undefined;
  /**
   * A URL's outcome, once its host's admission is given back: the parse does
   * not hold the host's turn. The target stays in the window until this settles.
   */
  settled(target: UrlTarget, outcome: TargetOutcome): Promise<void>;
  /** A line that is not a URL: no request, but a place in the window like the rest, so it keeps its order. */
  invalid(target: InvalidTarget): Promise<void>;
}

export interface Scheduler {
  /** Take every target from the frontier through the window, robots.txt, the host gate and the retry policy. */
  run(frontier: Frontier, hooks: SchedulerHooks): Promise<void>;
}

/** The per-host key: the URL's host (with port); lines that are not URLs have none. */
const hostOf = (target: Target): string | null => (target.kind === 'url' ? target.host : null);

/**
 * WHEN and WHETHER a URL is fetched: the window (targets started and not
 * finished, at most; per-host admission, --per-host), robots.txt (asked once
 * per URL), the host gate (--rate, Crawl-delay, back-off on 429/503) in front of
 * the global pool (--concurrency), and the retry policy. Each attempt is one
 * call into fetch/, whose result comes back as data.
 *
 * The per-host limit is the window's admission: at most --per-host of a host's
 * URLs are admitted at a time and the rest wait there as plain items, not as
 * started tasks. Each attempt of an admitted URL passes the gate and only then
 * takes a global slot, which it gives back between attempts, so requests
 * waiting on a paced or throttled host never sit on slots other hosts could use.
 */
export function createScheduler(settings: SchedulerSettings, deps: SchedulerDeps): Scheduler {
  const { clock, dispatcher } = deps;
  const time = deps.time ?? realGateTime(clock.monotonic);
  const global = pLimit(settings.concurrency);
  const enter: Enter = (fn) => global(fn);
  const random = deps.random ?? Math.random;
  const robots = settings.robots
    ? createRobots({
        dispatcher,
        headers: settings.headers,
        timeoutMs: settings.timeoutMs,
        agent: settings.robotsAgent,
        retry: settings,
        monotonic: clock.monotonic,
        now: clock.now,
        sleep: time.sleep,
        random,
        stop: deps.abortInflight,
      })
    : null;
  const notices = deps.notices;
  const gate = createHostGate<AttemptResult>(
    { ratePerSec: settings.rate, maxPauseMs: settings.retryMaxWaitMs, enter, throttleOf, ...(notices ? { onLongWait: notices.longWait } : {}) },
    time,
  );
  const health = createHostHealth(settings.hostErrors, (host, failures, code) => notices?.hostSkipped(host, failures, code));
  const fetchTarget = createTargetFetcher(settings, {
    gate,
    robots,
    enter,
    attemptDeps: {
      dispatcher,
      monotonic: clock.monotonic,
      now: clock.now,
      ...(robots ? { allowHop: robots.refusal } : {}),
      ...(deps.cookies ? { cookies: deps.cookies } : {}),
    },
    clock,
    sleep: time.sleep,
    random,
    stopDispatch: deps.stopDispatch,
    abortInflight: deps.abortInflight,
    ...(deps.deadline ? { deadline: deps.deadline } : {}),
    health,
    ...(deps.claimHop ? { claimHop: deps.claimHop } : {}),
  });
  const bounds = { maxPending: Math.max(256, settings.concurrency * 8), stop: deps.stopDispatch, keyOf: hostOf, perKey: settings.perHost };

  /**
   * One target, up to handing its outcome on. `return`, not `await`: a frame
   * awaiting the hook would hold the outcome, and with it the page's body,
   * until the record is written (W1 peaked ~5 MB higher in buffers that way).
   */
  const handle = async (target: Target, releaseHost: () => void, hooks: SchedulerHooks): Promise<void> => {
    if (target.kind === 'invalid') return hooks.invalid(target);
    const headers = hooks.headersFor?.(target);
    await hooks.room();
    const outcome = await fetchTarget(target, headers);
    // The host's turn ends with its response (retries included), not with the parse.
    releaseHost();
    return hooks.settled(target, outcome);
  };

  return {
    run: (frontier, hooks) =>
      forEachBounded(frontier, bounds, (target, releaseHost) => handle(target, releaseHost, hooks).then(() => frontier.done(target))),
  };
}
