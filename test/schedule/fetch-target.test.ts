/**
 * The per-URL loop on a fake clock, over undici's MockAgent (no socket): robots.txt
 * asked once per URL, attempts through the host gate, 429/503 and Retry-After
 * read from the attempt's data, and the stopped outcomes that have no record.
 */
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../src/fetch/attempt.js';
import { toTarget, type UrlTarget } from '../../src/input/targets.js';
import { createTargetFetcher, type TargetOutcome } from '../../src/schedule/fetch-target.js';
import { createHostGate, type Enter } from '../../src/schedule/host-gate.js';
import type { Robots, RobotsVerdict } from '../../src/schedule/robots.js';
import { throttleOf } from '../../src/schedule/throttle.js';
import { fakeTime } from '../helpers/fake-time.js';

const ORIGIN = 'http://127.0.0.1:9001';
const EPOCH = 1_800_000_000_000;
const open: Enter = (fn) => fn();

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}
/** One request the mock saw: its path and the fake time it arrived at. */
interface Hit {
  path: string;
  at: number;
}

/** A fake robots.txt: a fixed verdict per path, counting how often it is asked. */
function fakeRobots(verdictOf: (url: string) => RobotsVerdict): Robots & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async verdict(target) {
      asked.push(target.url);
      return verdictOf(target.url);
    },
    async refusal() {
      return null;
    },
  };
}

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function setup(opts: {
  answer: (path: string, n: number) => Answer;
  /** A path whose answer never comes (in the run's time). */
  hang?: string;
  robots?: Robots;
  rate?: number;
  retries?: number;
  retryMaxWaitMs?: number;
}) {
  const time = fakeTime();
  const clock = { now: () => EPOCH + time.now(), monotonic: time.now };
  const agent = new MockAgent();
  agents.push(agent);
  agent.disableNetConnect();
  const hits: Hit[] = [];
  const counts = new Map<string, number>();
  const pool = agent.get(ORIGIN);
  if (opts.hang) pool.intercept({ path: opts.hang }).reply(200, 'late').delay(600_000);
  pool
    .intercept({ path: () => true })
    .reply(({ path }) => {
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      hits.push({ path, at: time.now() });
      const a = opts.answer(path, n);
      return { statusCode: a.status, data: a.body ?? '', responseOptions: { headers: { 'content-type': 'text/html', ...a.headers } } };
    })
    .persist();
  const stopDispatch = new AbortController();
  const abortInflight = new AbortController();
  const retryMaxWaitMs = opts.retryMaxWaitMs ?? 30_000;
  const gate = createHostGate<AttemptResult>({ ratePerSec: opts.rate ?? null, maxPauseMs: retryMaxWaitMs, enter: open, throttleOf }, time);
  const settings = { maxBytes: 1 << 20, maxRedirects: 5, headers: {}, timeoutMs: 60_000, retries: opts.retries ?? 2, retryMaxWaitMs };
  const fetchTarget = createTargetFetcher(settings, {
    gate,
    robots: opts.robots ?? null,
    enter: open,
    attemptDeps: { dispatcher: agent, monotonic: clock.monotonic, now: clock.now },
    clock,
    sleep: time.sleep,
    random: () => 0.5,
    stopDispatch: stopDispatch.signal,
    abortInflight: abortInflight.signal,
  });
  const url = (path: string): UrlTarget => toTarget(`${ORIGIN}${path}`) as UrlTarget;
  return { time, gate, hits, fetchTarget, url, stopDispatch, abortInflight };
}

/** Advance the fake clock in steps until the promise settles (real I/O of the mock happens between steps). */
async function settle<T>(time: ReturnType<typeof fakeTime>, p: Promise<T>, stepMs = 100, maxMs = 60_000): Promise<T> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let t = 0; t <= maxMs && !done; t += stepMs) await time.advance(stepMs);
  return p;
}

const page = (title: string): Answer => ({ status: 200, body: `<title>${title}</title>` });

describe('the per-URL loop', () => {
  it('reads a 429 and its Retry-After from the attempt as data: the retry waits exactly that long, and so does the host', async () => {
    const s = setup({ answer: (path, n) => (path === '/a' && n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : page(path)) });
    const a = s.fetchTarget(s.url('/a'));
    const b = s.fetchTarget(s.url('/b'));
    const [ra, rb] = await settle(s.time, Promise.all([a, b]));
    expect(ra).toMatchObject({ kind: 'fetched', attempts: 2, response: { status: 200 } });
    expect(rb).toMatchObject({ kind: 'fetched', attempts: 1 });
    // /a and /b went out together; /a's retry waited Retry-After (2 s), not back-off.
    expect(s.hits.filter((h) => h.path === '/a').map((h) => h.at)).toEqual([0, 2000]);
    expect(s.gate.intervalMs(s.url('/a').host)).toBeGreaterThan(0);
    // The record's timing spans the wait.
    expect((ra as Extract<TargetOutcome, { kind: 'fetched' }>).timing).toMatchObject({ startMs: EPOCH, totalMs: 2000 });
  });

  it('pauses the host for a 503 Retry-After, so a URL that starts later waits too', async () => {
    const s = setup({ answer: (path, n) => (path === '/a' && n === 1 ? { status: 503, headers: { 'retry-after': '3' } } : page(path)) });
    const a = s.fetchTarget(s.url('/a'));
    await s.time.advance(500);
    const b = s.fetchTarget(s.url('/b'));
    await settle(s.time, Promise.all([a, b]));
    expect(s.hits.find((h) => h.path === '/b')!.at).toBeGreaterThanOrEqual(3000);
  });

  it('gives up after --retries, with the last failure; a status that is not retried makes one attempt', async () => {
    const s = setup({ retries: 2, answer: (path) => (path === '/500' ? { status: 500 } : { status: 404 }) });
    const [r500, r404] = await settle(s.time, Promise.all([s.fetchTarget(s.url('/500')), s.fetchTarget(s.url('/404'))]));
    expect(r500).toMatchObject({ kind: 'failed', attempts: 3, status: 500, error: { code: 'HTTP_STATUS', message: 'HTTP 500' } });
    expect(r404).toMatchObject({ kind: 'failed', attempts: 1, status: 404, error: { code: 'HTTP_STATUS' } });
    // Back-off with jitter (random 0.5): 125 ms, then 250 ms.
    expect(s.hits.filter((h) => h.path === '/500').map((h) => h.at)).toEqual([0, 125, 375]);
  });

  it('fails at once when Retry-After exceeds --retry-max-wait, and says so', async () => {
    const s = setup({ retryMaxWaitMs: 1000, answer: () => ({ status: 503, headers: { 'retry-after': '120' } }) });
    const r = await settle(s.time, s.fetchTarget(s.url('/a')));
    expect(r).toMatchObject({ kind: 'failed', attempts: 1, error: { code: 'HTTP_STATUS', message: 'HTTP 503; Retry-After 120 s exceeds the 1 s cap' } });
    expect(s.hits).toHaveLength(1);
  });

  it('asks robots.txt once per URL, before the first attempt and not for its retries', async () => {
    const robots = fakeRobots(() => ({ allowed: true, crawlDelayMs: 0 }));
    const s = setup({ robots, answer: (path, n) => (n === 1 ? { status: 503 } : page(path)) });
    const rs = await settle(s.time, Promise.all([s.fetchTarget(s.url('/a')), s.fetchTarget(s.url('/b'))]));
    expect(rs.map((r) => r.kind === 'fetched' && r.attempts)).toEqual([2, 2]);
    expect(robots.asked).toEqual([`${ORIGIN}/a`, `${ORIGIN}/b`]);
  });

  it('a URL robots.txt disallows makes no request, counts no attempt and takes no turn at its host', async () => {
    const robots = fakeRobots((url) =>
      url.endsWith('/private') ? { allowed: false, error: { code: 'ROBOTS_DISALLOWED', message: 'disallowed by robots.txt' } } : { allowed: true, crawlDelayMs: 0 },
    );
    const s = setup({ robots, rate: 1, answer: (path) => page(path) });
    const first = s.fetchTarget(s.url('/1'));
    const denied = s.fetchTarget(s.url('/private'));
    const second = s.fetchTarget(s.url('/2'));
    const [, d] = await settle(s.time, Promise.all([first, denied, second]));
    expect(d).toEqual({
      kind: 'failed',
      error: { code: 'ROBOTS_DISALLOWED', message: 'disallowed by robots.txt' },
      status: null,
      finalUrl: null,
      contentType: null,
      timing: { startMs: EPOCH, ttfbMs: null, totalMs: 0, waitMs: 0 },
      attempts: 0,
    });
    // --rate 1: the allowed URLs are a second apart; the disallowed one spent no turn between them.
    expect(s.hits.map((h) => [h.path, h.at])).toEqual([
      ['/1', 0],
      ['/2', 1000],
    ]);
  });

  it("paces the host by the verdict's Crawl-delay", async () => {
    const robots = fakeRobots(() => ({ allowed: true, crawlDelayMs: 1500 }));
    const s = setup({ robots, answer: (path) => page(path) });
    await settle(s.time, Promise.all(['/1', '/2', '/3'].map((p) => s.fetchTarget(s.url(p)))));
    expect(s.hits.map((h) => h.at)).toEqual([0, 1500, 3000]);
  });

  it('a URL stopped before its first attempt is "stopped, not attempted": no record, no error code', async () => {
    const s = setup({ rate: 1, answer: (path) => page(path) });
    const first = s.fetchTarget(s.url('/1'));
    const waiting = s.fetchTarget(s.url('/2'));
    await s.time.advance(100);
    s.stopDispatch.abort();
    expect(await settle(s.time, waiting)).toEqual({ kind: 'stopped', attempted: false });
    expect((await first).kind).toBe('fetched');
    expect(s.hits.map((h) => h.path)).toEqual(['/1']);
  });

  it('a URL whose retry is waiting when requests in flight are abandoned keeps its last failure as its record', async () => {
    const s = setup({ answer: () => ({ status: 503, headers: { 'retry-after': '5' } }) });
    const r = s.fetchTarget(s.url('/a'));
    await s.time.advance(1000);
    s.abortInflight.abort();
    expect(await settle(s.time, r)).toMatchObject({ kind: 'failed', attempts: 1, status: 503, error: { code: 'HTTP_STATUS', message: 'HTTP 503' } });
  });

  it('a URL abandoned in flight is "stopped, attempted": the run counts it, and it has no record', async () => {
    const s = setup({ hang: '/hang', answer: (path) => page(path) });
    const r = s.fetchTarget(s.url('/hang'));
    await s.time.advance(100);
    s.stopDispatch.abort();
    s.abortInflight.abort();
    expect(await settle(s.time, r)).toEqual({ kind: 'stopped', attempted: true });
  });
});
