import type { ProxyRoutes } from '../fetch/proxy-routes.js';
import type { Scope } from '../input/scopes.js';
import type { Shard } from '../input/shard.js';
import type { LogLevel } from '../log/levels.js';
import type { WorkersSetting } from '../parse/workers.js';
import type { SelectorSpec } from '../record/extraction.js';
import type { FormatName } from '../write/formats/format.js';

/**
 * The validated, typed configuration every stage reads. Built once by
 * buildConfig (resolve.ts), frozen.
 *
 * Every field but `inputs` and `graceMs` is one row of the option table
 * (options.ts), which is typed against this interface: a field without a row,
 * or a row without a field, does not compile.
 */
export interface Config {
  /** Files of URLs, "-" for standard input: the command's arguments, not an option. */
  readonly inputs: readonly string[];
  readonly concurrency: number;
  readonly perHost: number;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Longest Retry-After honoured (and host pause); a longer one fails the URL at once. */
  readonly retryMaxWaitMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** Lower-cased header names → values, User-Agent included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The User-Agent sent (also in `headers`): --user-agent, else a -H "User-Agent: …", else ours. */
  readonly userAgent: string;
  readonly links: boolean;
  /** --follow: crawl from the input URLs (input/crawl-frontier.ts); every option below up to `ignoreNofollow` needs it. */
  readonly follow: boolean;
  /** --depth: link hops from a seed. */
  readonly depth: number;
  readonly scope: Scope;
  /** --include: a discovered URL is followed only if one of these matches it (none given: any). */
  readonly include: readonly RegExp[];
  /** --exclude: a discovered URL that one of these matches is not followed. */
  readonly exclude: readonly RegExp[];
  /** --max-pages: records in the whole run, at most; null = no limit. */
  readonly maxPages: number | null;
  /** --link-selector: the elements whose href a crawl follows. */
  readonly linkSelector: string;
  /** --ignore-nofollow: follow rel=nofollow links and nofollow pages too. */
  readonly ignoreNofollow: boolean;
  /** --state-dir: where a crawl keeps its frontier; null: a temporary folder (or, with --resume, FILE.crawl). */
  readonly stateDir: string | null;
  readonly output: string | null;
  readonly format: FormatName;
  readonly robots: boolean;
  /** The product token robots.txt groups are matched against: --robots-agent, else the User-Agent's leading token (`scrape`). */
  readonly robotsAgent: string;
  readonly compare: boolean;
  readonly quiet: boolean;
  readonly logLevel: LogLevel;
  readonly selectors: readonly SelectorSpec[];
  /** How long a first SIGINT/SIGTERM lets requests in flight finish: a constant, not an option. */
  readonly graceMs: number;
  /** Parse worker threads: a count (0 = parse in the main thread) or 'auto'. */
  readonly workers: WorkersSetting;
  /** --deny-private: refuse non-public addresses, checked on the address actually connected to. */
  readonly denyPrivate: boolean;
  /** --proxy: a proxy URL for every request, 'none', or null (the environment decides: see `proxies`). */
  readonly proxy: string | null;
  /** Where requests go, from --proxy and the environment (fetch/proxy-routes.ts): not an option of its own. */
  readonly proxies: ProxyRoutes;
  /** --http1.1: never offer HTTP/2. */
  readonly http1: boolean;
  /** --http2: offer HTTP/2 (the default unless --http1.1). */
  readonly http2: boolean;
  /** --ca-cert FILE: extra trusted certificates. */
  readonly caCert: string | null;
  /** The PEM text of --ca-cert, read once when the config is built (null without it). */
  readonly extraCa: string | null;
  /** --cookie-jar FILE: cookies loaded at start, sent where they apply, saved at the end. */
  readonly cookieJar: string | null;
  /** --headers: records carry `headers`. */
  readonly responseHeaders: boolean;
  /** --chain: records carry `redirects`. */
  readonly chain: boolean;
  /** --rate: request starts per second per host; null = no pacing beyond Crawl-delay and back-off. */
  readonly rate: number | null;
  /** --cache-dir: where validators and body hashes persist between runs; null = no incremental mode. */
  readonly cacheDir: string | null;
  readonly changedOnly: boolean;
  /** --resume: append to `output`, skipping URLs it already has a record for. */
  readonly resume: boolean;
  readonly summaryFile: string | null;
  readonly shard: Shard | null;
  /** --max-time: the whole run's deadline in ms; null = none. */
  readonly maxTimeMs: number | null;
  /** --host-errors: connection-level failures in a row that make a host's remaining URLs HOST_SKIPPED; 0 = never. */
  readonly hostErrors: number;
  /** --sitemap: sitemaps whose entries are read as more input lines (seeds of a crawl). */
  readonly sitemaps: readonly string[];
  /** --sitemaps-from-robots: also the sitemaps each input host's robots.txt lists. */
  readonly sitemapsFromRobots: boolean;
  /** --since: keep only sitemap entries whose lastmod is at or after this instant (epoch ms); null = all. */
  readonly sinceMs: number | null;
  /** --config: the JSON file the other options were read from (flags won over it), or null. */
  readonly configFile: string | null;
}
