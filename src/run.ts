import type { Readable } from 'node:stream';
import { buildRecord, invalidRecord, type RecordShape } from './build-record.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createAgent } from './fetch/agent.js';
import { createFetcher, type Fetcher } from './fetch/fetcher.js';
import { createRobots } from './fetch/robots.js';
import { readLines } from './input/lines.js';
import { toTargets, type Target } from './input/targets.js';
import type { Reporter } from './log/reporter.js';
import { Stats, type Summary } from './log/stats.js';
import { createParser, type Parser } from './parse/pool.js';
import { createLimiter, forEachBounded } from './pool.js';
import type { ScrapeRecord } from './record.js';
import type { RecordWriter } from './write/writer.js';

export interface RunDeps {
  clock: Clock;
  reporter: Reporter;
  /** Where records go; null for the sequential baseline, which only measures. */
  writer: RecordWriter | null;
  /** Aborted to stop dispatching new URLs (first signal, broken pipe). */
  stopDispatch: AbortSignal;
  /** Aborted to abandon requests in flight (grace period over, second signal). */
  abortInflight: AbortSignal;
  /** Injected for tests and for --compare's second pass; defaults to the real undici fetcher. */
  fetcher?: Fetcher;
}

export interface RunResult {
  summary: Summary;
  /** URLs dispatched whose requests were abandoned by a stop and so have no record. */
  abandoned: number;
}

/** Input lines → targets, from the config's inputs (files, or stdin for `-`). */
export function targetsFrom(config: Config, stdin: Readable): AsyncIterable<Target> {
  return toTargets(readLines(config.inputs, stdin));
}

/** Fetch outcome → parse → record. Parse failures become record data like any other. */
async function toRecord(url: string, outcome: Awaited<ReturnType<Fetcher>>, parser: Parser, shape: RecordShape): Promise<ScrapeRecord> {
  if (!outcome.ok) return buildRecord(url, { ...outcome, bytes: 0 }, null, outcome.error, shape);
  const bytes = outcome.body.length;
  const { extracted, error } = await parser.parse({ body: outcome.body, contentType: outcome.contentType, url: outcome.finalUrl ?? url });
  return buildRecord(url, { ...outcome, bytes }, extracted, error, shape);
}

/**
 * The pipeline: targets → bounded fetch pool → parse → writer, with a log line
 * per finished URL. Returns the summary; never throws for a URL's failure.
 */
export async function run(config: Config, targets: AsyncIterable<Target>, deps: RunDeps): Promise<RunResult> {
  const { clock, reporter, writer } = deps;
  const agent = deps.fetcher ? null : createAgent({ connectionsPerOrigin: config.perHost, timeoutMs: config.timeoutMs });
  const robots =
    agent && config.robots
      ? createRobots({ dispatcher: agent, headers: config.headers, timeoutMs: config.timeoutMs, monotonic: clock.monotonic, now: clock.now })
      : null;
  const fetcher = deps.fetcher ?? createFetcher(config, { dispatcher: agent!, clock, robots });
  const limit = createLimiter(config);
  const parser = createParser({ selectors: config.selectors, links: config.links }, config.workers);
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
  try {
    await forEachBounded(targets, maxPending, deps.stopDispatch, async (target) => {
      if (target.kind === 'invalid') return emit(invalidRecord(target.raw, clock.now(), shape));
      const host = new URL(target.url).host;
      const outcome = await limit(host, async () => (deps.stopDispatch.aborted ? null : fetcher(target.url, deps.abortInflight)));
      // Stopped before it started, or abandoned mid-flight: no record, it was not finished.
      if (outcome === null || (!outcome.ok && outcome.error.code === 'ABORTED')) {
        if (outcome !== null) abandoned++;
        return;
      }
      return emit(await toRecord(target.url, outcome, parser, shape));
    });
  } finally {
    reporter.close();
    await Promise.all([agent?.destroy().catch(() => {}), parser.close()]);
  }
  return { summary: stats.summary(clock.monotonic() - t0), abandoned };
}
