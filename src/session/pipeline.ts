import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { buildRecord, invalidRecord, type RecordShape } from '../record/build.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../config/resolve.js';
import { bodyHash, type ChangeTracker } from '../cache/changes.js';
import { createAgent } from '../fetch/agent.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { createRobots } from '../schedule/robots.js';
import { throttleOf } from '../schedule/throttle.js';
import { createHostGate, realGateTime } from '../schedule/host-gate.js';
import { readLines } from '../input/lines.js';
import { shardTargets } from '../input/shard.js';
import { toTargets, type Target } from '../input/targets.js';
import type { Reporter } from '../log/reporter.js';
import { Stats, type Summary } from '../log/stats.js';
import type { Parser } from '../parse/pool.js';
import { openParseStage } from '../parse/stage.js';
import { createLimiter, forEachBounded } from '../schedule/window.js';
import type { ScrapeRecord } from '../record/record.js';
import type { RecordWriter } from '../write/writer.js';

export interface RunDeps {
  clock: Clock;
  /**
   * Where requests go: an undici Dispatcher (a MockAgent in tests, a proxy
   * agent). Absent: the run makes its own keep-alive Agent and destroys it at
   * the end; a dispatcher passed in is left open for its owner.
   */
  dispatcher?: Dispatcher;
  reporter: Reporter;
  /** Where records go; null for the sequential baseline, which only measures. */
  writer: RecordWriter | null;
  /** Aborted to stop dispatching new URLs (first signal, broken pipe). */
  stopDispatch: AbortSignal;
  /** Aborted to abandon requests in flight (grace period over, second signal). */
  abortInflight: AbortSignal;
  /** --cache-dir: conditional requests and `changed`; absent or null otherwise. */
  changes?: ChangeTracker | null;
}

export interface RunResult {
  summary: Summary;
  /** URLs dispatched whose requests were abandoned by a stop and so have no record. */
  abandoned: number;
}

/** Input lines → targets, from the config's inputs (files, or stdin for `-`). */
export function targetsFrom(config: Config, stdin: Readable): AsyncIterable<Target> {
  return shardTargets(toTargets(readLines(config.inputs, stdin)), config.shard);
}

/** Fetch outcome → parse → record. Parse failures become record data like any other. */
async function toRecord(
  url: string,
  outcome: Awaited<ReturnType<Fetcher>>,
  parser: Parser,
  shape: RecordShape,
  changes: ChangeTracker | null,
): Promise<ScrapeRecord> {
  if (!outcome.ok) return buildRecord(url, { ...outcome, bytes: 0 }, null, outcome.error, shape);
  if (changes && outcome.status === 304) {
    // Not modified: no body, so the fields are the ones the last full fetch extracted.
    const last = changes.replay(url);
    return buildRecord(url, { ...outcome, contentType: last?.contentType ?? outcome.contentType, bytes: 0 }, last?.extracted ?? null, null, shape, false);
  }
  const bytes = outcome.body.length;
  // Hashed before parsing: a parse worker may take the buffer.
  const hash = changes ? bodyHash(outcome.body) : '';
  const { extracted, error } = await parser.parse({ body: outcome.body, contentType: outcome.contentType, url: outcome.finalUrl ?? url });
  const changed =
    changes && error === null
      ? changes.remember(url, { hash, contentType: outcome.contentType, etag: outcome.etag ?? null, lastModified: outcome.lastModified ?? null, extracted })
      : null;
  return buildRecord(url, { ...outcome, bytes }, extracted, error, shape, changed);
}

/**
 * Pages fetched and waiting for the parser, at most (about: fetches already in
 * flight still land). Twice the concurrency, so a whole round of responses
 * landing at once (the latency-bound case) never makes the next requests wait;
 * the bound only bites when parsing falls behind a fast server, where fetching
 * further ahead would just hold bodies in memory.
 */
function parseBacklog(concurrency: number): number {
  return Math.max(64, 2 * concurrency);
}

/** The per-host limit's key: the URL's host (with port); invalid lines have none. */
function hostOf(target: Target): string | null {
  return target.kind === 'invalid' ? null : new URL(target.url).host;
}

/** Pass targets through, and say how many there were once the input ends. */
async function* counted(targets: AsyncIterable<Target>, onEnd: (total: number) => void): AsyncGenerator<Target> {
  let n = 0;
  for await (const t of targets) {
    n++;
    yield t;
  }
  onEnd(n);
}

/**
 * The pipeline: targets → bounded fetch pool → parse → writer, with a log line
 * per finished URL. Returns the summary; never throws for a URL's failure.
 */
export async function run(config: Config, targets: AsyncIterable<Target>, deps: RunDeps): Promise<RunResult> {
  const { clock, reporter, writer } = deps;
  const ownAgent = deps.dispatcher ? null : createAgent({ connectionsPerOrigin: config.perHost, timeoutMs: config.timeoutMs, denyPrivate: config.denyPrivate });
  const agent: Dispatcher = deps.dispatcher ?? ownAgent!;
  const robots =
    config.robots
      ? createRobots({ dispatcher: agent, headers: config.headers, timeoutMs: config.timeoutMs, monotonic: clock.monotonic, now: clock.now })
      : null;
  const fetcher = createFetcher(config, { dispatcher: agent, clock, ...(robots ? { allow: robots.check } : {}) });
  const gate = createHostGate(
    { ratePerSec: config.rate, maxPauseMs: config.retryMaxWaitMs, policy: robots ? robots.pacing : undefined, throttleOf },
    realGateTime(clock.monotonic),
  );
  const limit = createLimiter(config, { gate, stopDispatch: deps.stopDispatch, abortInflight: deps.abortInflight });
  const changes = deps.changes ?? null;
  const parser = openParseStage({ selectors: config.selectors, links: config.links }, config.workers, parseBacklog(config.concurrency));
  const stats = new Stats();
  const shape: RecordShape = config;
  let abandoned = 0;
  const t0 = clock.monotonic();

  const emit = async (rec: ScrapeRecord): Promise<void> => {
    stats.add(rec);
    reporter.requestDone(rec);
    if (writer) await writer.write(rec);
  };

  const maxPending = Math.max(256, config.concurrency * 8);
  // The run's wall ends with its last record; closing sockets and parse workers
  // afterwards (3 ms for 50 sockets) is not scraping time.
  let wallMs = 0;
  try {
    const dispatch = { maxPending, stop: deps.stopDispatch, keyOf: hostOf, perKey: config.perHost };
    await forEachBounded(counted(targets, (n) => reporter.inputEnded?.(n)), dispatch, async (target, releaseHost, host) => {
      if (target.kind === 'invalid') return emit(invalidRecord(target.raw, clock.now(), shape));
      const headers = changes?.conditionalHeaders(target.url);
      await parser.room();
      const outcome = await limit(host!, target.url, (slot) => fetcher(target.url, deps.abortInflight, { headers, slot }));
      // The host's turn ends with its response (retries included), not with the parse.
      releaseHost();
      // Stopped before it started (no attempt made), or abandoned mid-flight: no record, it was not finished.
      if (!outcome.ok && outcome.error.code === 'ABORTED') {
        if (outcome.attempts > 0) abandoned++;
        return;
      }
      return emit(await toRecord(target.url, outcome, parser, shape, changes));
    });
    wallMs = clock.monotonic() - t0;
  } finally {
    reporter.close();
    await Promise.all([ownAgent?.destroy().catch(() => {}), parser.close()]);
  }
  return { summary: stats.summary(wallMs), abandoned };
}
