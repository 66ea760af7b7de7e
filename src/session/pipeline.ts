import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { buildRecord, FROM_INPUT, FROM_SITEMAP, invalidRecord, type RecordShape, type RequestFacts } from '../record/build.js';
import type { OnPage } from './crawl.js';
import type { ResponseHeaders } from '../fetch/failure.js';
import { watchHttpVersions, type HttpVersion } from '../fetch/http-version.js';
import { recordHeaders } from '../fetch/response-headers.js';
import type { Clock } from '../platform/clock.js';
import { recordsSayWhereFrom, type Config } from '../config/resolve.js';
import { maskPassword } from '../log/redact.js';
import type { SitemapOptions } from '../input/sitemap.js';
import { bodyHash, type ChangeTracker } from '../cache/changes.js';
import { createAgent, HTTP2_BY_DEFAULT } from '../fetch/agent.js';
import { jarCookies } from '../fetch/cookies.js';
import { readLines } from '../input/lines.js';
import { listFrontier } from '../input/list-frontier.js';
import { shardTargets } from '../input/shard.js';
import { toTargets, type Target, type UrlTarget } from '../input/targets.js';
import type { Reporter } from '../log/reporter.js';
import { Stats, type Summary } from '../log/stats.js';
import type { Parser } from '../parse/inline.js';
import { openParseStage } from '../parse/stage.js';
import type { TargetOutcome } from '../schedule/fetch-target.js';
import { createScheduler } from '../schedule/scheduler.js';
import { type Redirect, type ScrapeRecord, UNFINISHED_CODES } from '../record/record.js';
import type { RecordWriter } from '../write/writer.js';
import { loadCookieJar, saveCookieJar } from './cookie-jar.js';
import type { AlreadyRecorded } from './resume.js';
import { skipFinished } from '../input/skip-finished.js';
import { finishedKey } from '../record/finished-key.js';

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
  /** --max-time: aborted at the deadline; absent without it. */
  deadline?: AbortSignal;
  /** --resume: targets the output file has a record for are skipped, sitemap entries and crawled links included. */
  finished?: AlreadyRecorded | null;
  /** Hears each target the run takes in (--compare remembers them). */
  admitted?: (target: Target) => void;
  /** --follow: the crawl's state could not be written; the hook stops the run (start-run.ts). */
  stateFailed?: (message: string) => void;
}

export interface RunResult {
  summary: Summary;
  /** URLs dispatched whose requests were abandoned by a stop and so have no record. */
  abandoned: number;
}

/** Input lines → targets, from the config's inputs (files, or stdin for `-`). */
export function targetsFrom(config: Config, stdin: Readable): AsyncIterable<Target> {
  // --sitemap and no input file: the sitemaps are the whole input; standard input is read only when named ("-").
  if (config.inputs.length === 0 && config.sitemaps.length > 0) return noTargets();
  return shardTargets(toTargets(readLines(config.inputs, stdin)), config.shard);
}

async function* noTargets(): AsyncGenerator<Target> {}

/** The targets as they are, with `admitted` told of each on its way in (--compare). */
async function* tap(targets: AsyncIterable<Target>, admitted: (target: Target) => void): AsyncGenerator<Target> {
  for await (const t of targets) {
    admitted(t);
    yield t;
  }
}


/** A URL's outcome → parse → record. Parse failures become record data like any other. */
async function toRecord(
  target: UrlTarget,
  outcome: Exclude<TargetOutcome, { kind: 'stopped' }>,
  parser: Parser,
  shape: RecordShape,
  changes: ChangeTracker | null,
  onPage: OnPage | null,
): Promise<ScrapeRecord> {
  const { url } = target;
  const found = target.found ?? (target.fromSitemap ? FROM_SITEMAP : FROM_INPUT);
  const { timing, attempts } = outcome;
  if (outcome.kind === 'failed') {
    const { status, finalUrl, contentType, meta } = outcome;
    const seen = responseFacts(meta?.httpVersion ?? null, meta?.headers ?? null, meta?.redirects, shape);
    return buildRecord(url, { status, finalUrl, contentType, bytes: 0, timing, attempts, ...seen }, null, outcome.error, shape, null, found);
  }
  const { status, finalUrl, contentType, body, etag, lastModified } = outcome.response;
  const seen = responseFacts(outcome.response.httpVersion, outcome.response.headers, outcome.response.redirects, shape);
  if (changes && status === 304) {
    // Not modified: no body, so the fields are the ones the last full fetch extracted.
    const last = changes.replay(url);
    const facts = { status, finalUrl, contentType: last?.contentType ?? contentType, bytes: 0, timing, attempts, ...seen };
    return buildRecord(url, facts, last?.extracted ?? null, null, shape, false, found);
  }
  const bytes = body.length;
  // Hashed before parsing: a parse worker may take the buffer.
  const hash = changes ? bodyHash(body) : '';
  const { extracted, error } = await parser.parse({ body, contentType, url: finalUrl });
  const changed = changes && error === null ? changes.remember(url, { hash, contentType, etag, lastModified, extracted }) : null;
  if (onPage && extracted) onPage(extracted, outcome.response);
  return buildRecord(url, { status, finalUrl, contentType, bytes, timing, attempts, ...seen }, extracted, error, shape, changed, found);
}

/** The response facts a record carries: its version always, headers (formatted) and redirects only when asked. */
function responseFacts(
  httpVersion: HttpVersion | null,
  headers: ResponseHeaders | null,
  redirects: readonly Redirect[] | undefined,
  shape: RecordShape,
): Pick<RequestFacts, 'httpVersion' | 'headers' | 'redirects'> {
  return {
    httpVersion,
    ...(shape.responseHeaders ? { headers: headers === null ? null : recordHeaders(headers) } : {}),
    ...(shape.chain && redirects ? { redirects } : {}),
  };
}

function withoutProxyAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  const { 'proxy-authorization': _, ...rest } = headers;
  return rest;
}


/**
 * --sitemap, --sitemaps-from-robots: the run's input with the sitemaps'
 * entries after it (input/sitemap-input.ts, loaded only then); otherwise the
 * input as it is. A sitemap that cannot be read at all goes to `failed`.
 */
async function withSitemapsIfAsked(
  config: Config,
  targets: AsyncIterable<Target>,
  reader: Pick<SitemapOptions, 'dispatcher' | 'headers' | 'warn' | 'failed'>,
): Promise<AsyncIterable<Target>> {
  if (config.sitemaps.length === 0 && !config.sitemapsFromRobots) return targets;
  const { withSitemaps } = await import('../input/sitemap-input.js');
  return withSitemaps(targets, {
    sitemaps: config.sitemaps,
    fromRobots: config.sitemapsFromRobots,
    shard: config.shard,
    reader: { ...reader, timeoutMs: config.timeoutMs, since: config.sinceMs },
  });
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

/**
 * The pipeline: targets → scheduler (window, robots.txt, host gate, retries,
 * fetch) → parse → writer, with a log line per finished URL. Returns the
 * summary; never throws for a URL's failure.
 */
export async function run(config: Config, targets: AsyncIterable<Target>, deps: RunDeps): Promise<RunResult> {
  const { clock, reporter, writer } = deps;
  watchHttpVersions();
  const proxied = config.proxies.http !== null || config.proxies.https !== null;
  // -H "Proxy-Authorization: …" is the proxy's: handed to the proxy agents, not sent to targets.
  const proxyAuthorization = proxied && !deps.dispatcher ? (config.headers['proxy-authorization'] ?? null) : null;
  const ownAgent = deps.dispatcher
    ? null
    : createAgent({
        connectionsPerOrigin: config.perHost,
        timeoutMs: config.timeoutMs,
        denyPrivate: config.denyPrivate,
        allowH2: config.http2 || (!config.http1 && HTTP2_BY_DEFAULT),
        extraCa: config.extraCa,
        proxies: config.proxies,
        proxyAuthorization,
      });
  const dispatcher: Dispatcher = deps.dispatcher ?? ownAgent!;
  const requestConfig = proxyAuthorization === null ? config : { ...config, headers: withoutProxyAuthorization(config.headers) };
  const shape: RecordShape = recordsSayWhereFrom(config) && !config.follow ? { ...config, follow: true } : config;
  /** Records of sitemaps that could not be read, on their way out: awaited before the run ends. */
  const sitemapRecords: Promise<void>[] = [];
  const finished = deps.finished ?? null;
  const input = await withSitemapsIfAsked(config, targets, {
    dispatcher,
    headers: requestConfig.headers,
    warn: (message, fields) => reporter.warn(message, fields),
    failed: (url, error, status) => {
      const recordUrl = maskPassword(url);
      // --resume: the file has this sitemap's failure already.
      if (finished?.keys.has(finishedKey(recordUrl))) return;
      const timing = { startMs: clock.now(), ttfbMs: null, totalMs: 0, waitMs: 0 };
      const facts = { status, finalUrl: null, contentType: null, bytes: 0, timing, attempts: 1 };
      sitemapRecords.push(emit(buildRecord(recordUrl, facts, null, error, shape, null, FROM_SITEMAP)));
    },
  });
  const skipped = finished ? skipFinished(input, finished.keys, finished.count) : input;
  const taken = deps.admitted ? tap(skipped, deps.admitted) : skipped;
  /** The crawl's state could not be written: from then on no record goes out, as its links would not be known to --resume. */
  let stateBroken = false;
  // Loaded only for a crawl: the Public Suffix List (tldts) is not a list run's start-up cost.
  const crawl = config.follow ? (await import('./crawl.js')).openCrawl(config, taken, {
        finished: finished?.keys ?? null,
        reporter,
        deadline: deps.deadline,
        failed: (message) => {
          stateBroken = true;
          deps.stateFailed?.(message);
        },
      }) : null;
  const jar = config.cookieJar === null ? null : loadCookieJar(config.cookieJar, clock.now());
  const scheduler = createScheduler(requestConfig, {
    dispatcher,
    ...(jar ? { cookies: jarCookies(jar) } : {}),
    clock,
    stopDispatch: deps.stopDispatch,
    abortInflight: deps.abortInflight,
    ...(deps.deadline ? { deadline: deps.deadline } : {}),
    notices: {
      hostSkipped: (host, failures, code) =>
        reporter.warn(`${host}: ${failures} connection failures in a row (${code}); its remaining URLs get HOST_SKIPPED records (--host-errors)`, { host }),
      longWait: (host, ms, why) => reporter.info(`${host}: waiting ${Math.round(ms / 100) / 10} s (${why})`, { host, waitMs: Math.round(ms) }),
    },
    ...(crawl ? { claimHop: (url: string, owner: UrlTarget) => crawl.frontier.claimHop(url, owner) } : {}),
  });
  const changes = deps.changes ?? null;
  const follow = config.follow ? { selector: config.linkSelector, obeyNofollow: !config.ignoreNofollow } : null;
  const parser = openParseStage({ selectors: config.selectors, links: config.links, follow }, config.workers, parseBacklog(config.concurrency));
  const stats = new Stats();
  let abandoned = 0;
  const t0 = clock.monotonic();

  const emit = async (rec: ScrapeRecord): Promise<void> => {
    stats.add(rec);
    reporter.requestDone(rec);
    if (writer) await writer.write(rec);
  };

  // The run's wall ends with its last record; closing sockets and parse workers
  // afterwards (3 ms for 50 sockets) is not scraping time.
  let wallMs = 0;
  try {
    await scheduler.run(crawl?.frontier ?? listFrontier(taken, (n) => reporter.inputEnded?.(n)), {
      room: () => parser.room(),
      // A crawl needs every page's body for its links: no conditional requests (`changed` still comes from the body's hash).
      ...(changes && !crawl ? { headersFor: (target) => changes.conditionalHeaders(target.url) } : {}),
      invalid: (target) => emit(invalidRecord(target.raw, clock.now(), shape)),
      settled: async (target, outcome) => {
        // Stopped before it started, or abandoned in flight: no record, it was not finished.
        if (outcome.kind === 'stopped') {
          if (outcome.attempted) abandoned++;
          return;
        }
        if (crawl && target.found && outcome.kind === 'failed') {
          // A found URL robots.txt disallows is counted and skipped: only input lines get ROBOTS_DISALLOWED records.
          if (outcome.error.code === 'ROBOTS_DISALLOWED') return crawl.frontier.skipped(target);
          // Cut off by --max-time or --host-errors: no record, so a --resume run fetches it once, and its record is the only one.
          if (UNFINISHED_CODES.has(outcome.error.code)) return crawl.frontier.unfinished(target);
        }
        const rec = await toRecord(target, outcome, parser, shape, changes, crawl ? crawl.onPage(target) : null);
        if (stateBroken) {
          abandoned++;
          return;
        }
        return emit(rec);
      },
    });
    await Promise.all(sitemapRecords);
    wallMs = clock.monotonic() - t0;
  } finally {
    // Saved however the run ended (its end, a first signal's grace, a broken pipe): what it learned is kept.
    if (jar) await saveCookieJar(config.cookieJar!, jar, clock.now()).catch((err) => reporter.warn(`could not save --cookie-jar: ${(err as Error).message}`, { file: config.cookieJar }));
    // The crawl's state folder: removed when it was temporary, or when the crawl is complete and nothing stopped it.
    crawl?.close(!deps.stopDispatch.aborted && deps.deadline?.aborted !== true);
    reporter.close();
    await Promise.all([ownAgent?.destroy().catch(() => {}), parser.close()]);
  }
  const summary = stats.summary(wallMs);
  return { summary: crawl ? { ...summary, crawl: crawl.frontier.counts() } : summary, abandoned };
}
