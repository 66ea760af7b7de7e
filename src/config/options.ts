import { LOG_LEVELS } from '../log/levels.js';
import { DEFAULT_USER_AGENT } from '../platform/version.js';
import { DEFAULT_ROBOTS_AGENT } from '../schedule/robots-agent.js';
import { FORMAT_NAMES } from '../write/formats/format.js';
import type { AnyRow, Kind, OptionTable, OptionValues, RawValue } from './option-row.js';
import { SCOPES } from '../input/scopes.js';
import { parseLinkSelector, parseSelectors } from './selectors.js';
import { parseShard } from './shard-option.js';
import {
  byteSize,
  countOrAuto,
  duration,
  instant,
  oneOf,
  parseHeaders,
  parseRegexes,
  parseRobotsAgent,
  parseUserAgent,
  positiveNumber,
  proxyUrl,
  sitemapUrls,
  text,
  wholeNumber,
} from './value-parsers.js';

const asIs = <T>(value: T): T => value;
/** `a, b or c`: choices in help, from the list the parser checks. */
const orList = (items: readonly string[]): string => `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/**
 * THE option table: every option of a run, once. The command line (cli/main.ts
 * builds commander from it), `--help`, the --config file keys and value kinds
 * (config-file.ts), the defaults, the typed Config (resolve.ts) and the
 * README's Options table (options-readme.ts, `npm run docs:options`) are all
 * read off these rows. A new option is a row here and a field in Config, and
 * nothing else.
 *
 * Loaded by `--help` and `--version`: import nothing heavy here. Parsers that
 * need a library load it when first called (selectors.ts).
 */
export const OPTIONS = {
  concurrency: {
    short: 'c',
    long: 'concurrency',
    value: 'n',
    kind: 'number',
    default: '16',
    parse: wholeNumber(1),
    help: 'requests in flight at once, all hosts together',
  },
  perHost: {
    long: 'per-host',
    value: 'n',
    kind: 'number',
    default: '8',
    parse: wholeNumber(1),
    help: 'requests in flight at once to one host',
    readme: { text: 'requests in flight at once to one host (`host:port`)' },
  },
  timeoutMs: {
    long: 'timeout',
    value: 'ms',
    kind: 'number',
    default: '30000',
    parse: wholeNumber(1),
    help: 'deadline for one attempt, body included',
    readme: { text: 'deadline for one attempt: connect, redirects, headers and the whole body' },
  },
  retries: {
    long: 'retries',
    value: 'n',
    kind: 'number',
    default: '2',
    parse: wholeNumber(0),
    help: 'extra attempts after connection errors, timeouts, 429 and 5xx',
    readme: {
      text: 'extra attempts after connection errors, timeouts, 429 and 5xx; `Retry-After` is honoured (up to 30 s; a longer wait fails at once with the status); never after other 4xx',
    },
  },
  maxBytes: {
    long: 'max-bytes',
    value: 'n',
    kind: 'number',
    default: '10M',
    parse: byteSize,
    help: 'largest decoded body to read; K/M/G suffixes allowed',
    readme: { text: 'largest decoded body read; `K`, `M`, `G` suffixes (binary); larger bodies end as `TOO_LARGE`' },
  },
  maxRedirects: {
    long: 'max-redirects',
    value: 'n',
    kind: 'number',
    default: '10',
    parse: wholeNumber(0),
    help: 'redirects to follow',
    readme: { text: 'redirects followed per attempt; more is `TOO_MANY_REDIRECTS`' },
  },
  retryMaxWaitMs: {
    long: 'retry-max-wait',
    value: 'ms',
    kind: 'number',
    default: '30000',
    parse: wholeNumber(0),
    help: 'longest Retry-After to wait for; a longer one fails the URL at once',
    readme: { text: 'longest `Retry-After` (or back-off pause) waited for; a longer one fails the URL at once with its status' },
  },
  denyPrivate: {
    long: 'deny-private',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'refuse loopback, private, link-local and cloud-metadata addresses (checked on the address connected to)',
    readme: {
      text: 'refuse loopback, private, link-local, unique-local and cloud-metadata addresses, checked on the address actually connected to (see [Security](#security))',
    },
  },
  proxy: {
    long: 'proxy',
    value: 'url',
    kind: 'string',
    parse: proxyUrl,
    help: 'send every request through this HTTP(S) proxy, ignoring HTTP_PROXY etc.; "none" ignores them too',
    readme: {
      default: 'from the environment',
      text: 'send every request through this proxy (`http://[user:pass@]host:port`, `https://…`); overrides `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`; `none` ignores them (see [Behind a proxy](#behind-a-proxy))',
    },
  },
  http1: {
    long: 'http1.1',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'use HTTP/1.1 only (the default)',
    readme: { text: 'use HTTP/1.1 only: the default, chosen by the HTTPS benchmark (see [HTTP/2 and TLS](#http2-and-tls))' },
  },
  http2: {
    long: 'http2',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'offer HTTP/2 to https:// servers by ALPN (servers without it, and http://, get HTTP/1.1)',
    readme: { text: 'offer HTTP/2 to https:// servers (ALPN); a server that offers only HTTP/1.1, and plain http://, still get HTTP/1.1' },
  },
  caCert: {
    long: 'ca-cert',
    value: 'file',
    kind: 'path',
    parse: text,
    help: 'also trust the PEM certificates in FILE (an internal CA); NODE_EXTRA_CA_CERTS works too',
    readme: { text: 'also trust the PEM certificates in FILE (for an internal CA), on top of the usual roots; `NODE_EXTRA_CA_CERTS` works too' },
  },
  cookieJar: {
    long: 'cookie-jar',
    value: 'file',
    kind: 'path',
    parse: text,
    help: 'load cookies from FILE (Netscape cookies.txt), send them, save the run\'s cookies back to it',
    readme: {
      text: "read cookies from FILE (Netscape `cookies.txt`, as curl and wget write it; missing = empty), send them where they apply, write the jar back atomically at the end (see [Logging in](#logging-in-cookies))",
    },
  },
  headers: {
    short: 'H',
    long: 'header',
    value: 'header',
    kind: 'strings',
    default: [],
    parse: parseHeaders,
    help: 'extra request header "Name: value" (repeatable)',
    readme: { value: '"K: V"', text: 'extra request header, repeatable' },
  },
  userAgent: {
    long: 'user-agent',
    value: 'string',
    kind: 'string',
    default: DEFAULT_USER_AGENT,
    parse: parseUserAgent,
    help: 'User-Agent header',
    // The version changes with every release; the README names it.
    readme: { value: 'S', default: '`scrape/<version> (+https://github.com/scrape-cli/scrape)`' },
  },
  responseHeaders: {
    long: 'headers',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'add "headers": the final response\'s headers',
    readme: { text: 'add `headers`: the final response\'s headers (names lower-case, repeated ones as arrays, `set-cookie` values redacted)' },
  },
  chain: {
    long: 'chain',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'add "redirects": each redirect\'s URL and status, in order',
    readme: { text: 'add `redirects`: one `{url, status}` per redirect response, in order (`[]` when there was none)' },
  },
  selectors: {
    short: 's',
    long: 'select',
    value: 'spec',
    kind: 'strings',
    default: [],
    parse: parseSelectors,
    help: 'extract NAME=CSS, NAME=CSS@ATTR, NAME[]=CSS or NAME[]=CSS@ATTR into data (repeatable); @textContent keeps the text\'s whitespace',
    readme: { text: 'extract into `data` (repeatable), see below' },
  },
  links: {
    long: 'links',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'add "links": every absolute http(s) link on the page',
    readme: { text: 'add `links`: every absolute http(s) link on the page' },
  },
  follow: {
    long: 'follow',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'crawl: the input URLs are seeds, and the links of every HTML page fetched are fetched too',
    readme: { text: 'crawl: the input URLs are seeds; the links of every HTML page fetched are followed (see [Crawling](#crawling))' },
  },
  depth: {
    long: 'depth',
    value: 'n',
    kind: 'number',
    default: '3',
    parse: wholeNumber(0),
    help: 'with --follow: link hops from a seed (0 = the seeds only)',
    readme: { text: 'with `--follow`: link hops from a seed; seeds are depth 0, so `0` fetches the seeds only' },
  },
  scope: {
    long: 'scope',
    value: 'scope',
    kind: 'string',
    default: 'host',
    parse: oneOf(SCOPES),
    help: `with --follow: which links to follow, relative to their seed: ${orList(SCOPES)}`,
    readme: {
      value: 'S',
      text: "with `--follow`: follow links on the seed's `host`, its registrable `domain` (Public Suffix List), under its path `prefix`, or `any`where",
    },
  },
  include: {
    long: 'include',
    value: 'regex',
    kind: 'strings',
    default: [],
    parse: parseRegexes,
    help: 'with --follow: follow only links matching this JavaScript regex (repeatable: any one)',
    readme: { value: 'RE', text: 'with `--follow`: follow only links whose absolute URL matches one of these JavaScript regexes (repeatable)' },
  },
  exclude: {
    long: 'exclude',
    value: 'regex',
    kind: 'strings',
    default: [],
    parse: parseRegexes,
    help: 'with --follow: never follow links matching this JavaScript regex (repeatable; wins over --include)',
    readme: { value: 'RE', text: 'with `--follow`: never follow links whose absolute URL matches one of these (repeatable; wins over `--include`)' },
  },
  maxPages: {
    long: 'max-pages',
    value: 'n',
    kind: 'number',
    parse: wholeNumber(1),
    help: 'with --follow: at most N records in the whole run, seeds included; the rest is dropped and counted',
    readme: { default: 'no limit', text: 'with `--follow`: at most N records in the run, seeds included; the URLs left are dropped, and the summary counts them' },
  },
  linkSelector: {
    long: 'link-selector',
    value: 'css',
    kind: 'string',
    default: 'a[href], area[href]',
    parse: parseLinkSelector,
    help: "with --follow: the elements whose href is followed",
    readme: { value: 'CSS', text: 'with `--follow`: the elements whose `href` is followed' },
  },
  ignoreNofollow: {
    long: 'ignore-nofollow',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'with --follow: follow rel="nofollow" links and pages that say nofollow (meta robots, X-Robots-Tag)',
    readme: { text: 'with `--follow`: also follow `rel="nofollow"` links, and the links of pages whose `<meta name="robots">` or `X-Robots-Tag` says `nofollow`' },
  },
  stateDir: {
    long: 'state-dir',
    value: 'dir',
    kind: 'path',
    parse: text,
    help: 'with --follow: keep the crawl\'s queue and seen URLs in DIR (default: an unnamed temporary file; with --resume, FILE.crawl beside -o FILE)',
    readme: {
      default: 'a temporary folder',
      text: 'with `--follow`: the folder that holds the crawl\'s queue and seen set (`DIR/frontier`), kept after the run; by default a temporary file (beside `-o FILE`, else in the system\'s temporary folder), unlinked as soon as it is open (nothing is left behind, even by `kill -9`), or with `--resume` the folder `FILE.crawl` beside `-o FILE`, removed once the crawl is complete (see [Resuming a crawl](#resuming-a-crawl))',
    },
  },
  sitemaps: {
    long: 'sitemap',
    value: 'url',
    kind: 'strings',
    default: [],
    parse: sitemapUrls,
    help: 'read a sitemap (XML, .xml.gz, index or text) and take its URLs as input lines (repeatable); alone, no stdin is read',
    readme: {
      value: 'URL',
      text: 'read a sitemap (XML, `.xml.gz`, an index, or plain text) and take its `<loc>` URLs as input lines, `source: "sitemap"` (repeatable); with no input file, standard input is not read (see [Sitemaps](#sitemaps))',
    },
  },
  sitemapsFromRobots: {
    long: 'sitemaps-from-robots',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: "also read the sitemaps each input host's robots.txt lists (Sitemap: lines)",
    readme: { text: "also read the sitemaps each input URL's host lists in its robots.txt (`Sitemap:` lines)" },
  },
  sinceMs: {
    long: 'since',
    value: 'date',
    kind: 'string',
    parse: instant,
    help: 'keep only sitemap entries whose <lastmod> is at or after DATE (ISO 8601); entries without one are kept',
    readme: { default: 'none', text: 'keep only sitemap entries whose `<lastmod>` is at or after DATE (ISO 8601, compared as instants; a time without a zone is UTC); entries without `<lastmod>` are kept' },
  },
  output: {
    short: 'o',
    long: 'output',
    value: 'file',
    kind: 'path',
    parse: text,
    help: 'write records to FILE atomically instead of stdout',
    readme: { default: 'stdout', text: 'write to FILE atomically (temp file in the same folder, renamed at the end)' },
  },
  format: {
    short: 'f',
    long: 'format',
    value: 'format',
    kind: 'string',
    default: 'jsonl',
    parse: oneOf(FORMAT_NAMES),
    help: `output format: ${orList(FORMAT_NAMES)}`,
    readme: { value: 'F', text: '`jsonl`, `json` (one array) or `csv`' },
  },
  robots: {
    long: 'no-robots',
    kind: 'boolean',
    default: true,
    parse: asIs,
    help: 'do not fetch or obey robots.txt',
    readme: { default: 'robots obeyed' },
  },
  robotsAgent: {
    long: 'robots-agent',
    value: 'token',
    kind: 'string',
    // Resolved from the User-Agent sent when not given (resolve.ts); this is the default User-Agent's.
    default: DEFAULT_ROBOTS_AGENT,
    parse: parseRobotsAgent,
    help: 'product token matched against robots.txt User-agent lines',
    helpDefault: "scrape, or the leading token of --user-agent",
    readme: {
      value: 'TOKEN',
      text: 'the token robots.txt `User-agent:` lines are matched against (letters, `_`, `-`); when not given, the leading token of the User-Agent sent, so `--user-agent "AcmeBot/1.2 (+https://acme.example/bot)"` obeys the rules for `AcmeBot`',
    },
  },
  compare: {
    long: 'compare',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'also run a sequential baseline (concurrency 1) and report the speedup',
    readme: {
      text: 'after the run, fetch the same URLs again one at a time and report both walls and the speedup (the URL list is kept in memory for the second pass)',
    },
  },
  workers: {
    long: 'workers',
    value: 'n',
    kind: 'number',
    default: 'auto',
    parse: countOrAuto,
    help: 'parse worker threads: a number (0 = main thread only) or auto',
    helpDefault: 'auto: big pages go to workers',
    readme: {
      value: 'N|auto',
      text: 'parse worker threads; `0` parses in the main thread; `auto` uses one worker per core (at most 4, none on one core) for pages of 96 KiB and more, and parses smaller pages in the main thread, which the benchmark shows is faster for them',
    },
  },
  rate: {
    long: 'rate',
    value: 'n',
    kind: 'number',
    parse: positiveNumber,
    help: 'at most N request starts per second to each host, e.g. 2 or 0.5 (default: no limit)',
    readme: {
      default: 'no limit',
      text: 'at most N request starts per second to each host (decimals allowed: `0.5` = one every 2 s), no bursts',
    },
  },
  cacheDir: {
    long: 'cache-dir',
    value: 'dir',
    kind: 'path',
    parse: text,
    help: 'remember ETag/Last-Modified and body hashes here; send conditional requests; add "changed" to records',
    readme: {
      text: "keep each URL's ETag, Last-Modified, body hash and extracted fields in `DIR/pages.sqlite`; send conditional requests next time; records gain `changed`",
    },
  },
  changedOnly: {
    long: 'changed-only',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'write records only for new or changed pages, and failures (needs --cache-dir)',
    readme: { text: 'write records only for new or changed pages, and for every failure (needs `--cache-dir`)' },
  },
  resume: {
    long: 'resume',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'with -o FILE (jsonl): skip URLs FILE already has a record for, append the rest',
    readme: { text: 'with `-o FILE` (JSON Lines only): skip URLs FILE already has a record for, append the rest' },
  },
  summaryFile: {
    long: 'summary-file',
    value: 'file',
    kind: 'path',
    parse: text,
    help: 'write the end-of-run summary as one JSON document to FILE (atomically)',
    readme: { text: 'write the end-of-run summary to FILE as one JSON document, atomically' },
  },
  shard: {
    long: 'shard',
    value: 'i/n',
    kind: 'string',
    parse: parseShard,
    help: 'take only the URLs whose host falls in shard I of N (1-based, stable across machines)',
    readme: { text: 'take only the URLs whose host falls in shard I of N (1-based)' },
  },
  maxTimeMs: {
    long: 'max-time',
    value: 'duration',
    kind: 'number',
    parse: duration,
    help: 'deadline for the whole run: 90 (seconds), 90s, 15m, 2h; URLs left get DEADLINE records',
    readme: {
      default: 'none',
      text: 'deadline for the whole run (`90` seconds, `90s`, `15m`, `2h`): then no request starts, requests in flight get 2 s, and every URL without a record gets a `DEADLINE` one; exit 1',
    },
  },
  hostErrors: {
    long: 'host-errors',
    value: 'n',
    kind: 'number',
    default: '10',
    parse: wholeNumber(0),
    help: 'after N connection failures in a row on a host, skip its remaining URLs (0 = never)',
    readme: {
      text: 'after N connection-level failures in a row on one host (CONNECTION, DNS, TLS, PROXY, or TIMEOUT before any response headers), its remaining URLs get `HOST_SKIPPED` records without a request; `0` = never',
    },
  },
  configFile: {
    long: 'config',
    value: 'file',
    kind: 'path',
    parse: text,
    inFile: false,
    help: 'read options from a JSON file (keys are long option names, e.g. "per-host" or "perHost"); flags win',
    readme: { text: 'read options from a JSON file; command-line flags win' },
  },
  quiet: {
    long: 'quiet',
    kind: 'boolean',
    default: false,
    parse: asIs,
    help: 'no per-request logs, progress or summary; only warnings and errors',
    readme: { text: 'no per-request log lines, progress or summary; warnings and errors only' },
  },
  logLevel: {
    long: 'log-level',
    value: 'level',
    kind: 'string',
    default: 'info',
    parse: oneOf(LOG_LEVELS),
    help: `log level: ${LOG_LEVELS.join(', ')}`,
    readme: { value: 'L', text: orList(LOG_LEVELS.map((l) => `\`${l}\``)) },
  },
} as const satisfies OptionTable;

type Table = typeof OPTIONS;

/** Commander's own flags: in `--help` and the README, not in Config. */
export const VERSION_FLAG = { short: 'V', long: 'version', help: 'print the version' } as const;
export const HELP_FLAG = { short: 'h', long: 'help', help: 'show this help', readme: { text: 'show help' } } as const;

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
/** The name commander gives an option's value: camelCase, and `--no-x` sets `x` (to false). */
export type AttributeName<L extends string> = Camel<L extends `no-${infer Rest}` ? Rest : L>;

/** The same at run time: `per-host` → `perHost`, `no-robots` → `robots`. */
export function attributeName(long: string): string {
  return long.replace(/^no-/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/**
 * What commander hands us: strings, booleans and lists, unchecked, keyed as
 * commander names them. Named raw until buildConfig has parsed them.
 */
export type RawOptions = { -readonly [F in keyof Table as AttributeName<Table[F]['long']>]?: RawValue<Table[F]['kind']> };

/** A kind's value as code passes it (the library's options, a parsed config file): a count may be a number. */
type CodeValue<K extends Kind> = K extends 'number' ? number | string : K extends 'boolean' ? boolean : K extends 'strings' ? readonly string[] : string;

/** Every option as code passes it, keyed like RawOptions: `{ perHost: 2, robots: false, select: ['t=h1'] }`. */
export type OptionObject = { -readonly [F in keyof Table as AttributeName<Table[F]['long']>]?: CodeValue<Table[F]['kind']> };

/** The flag as error messages and help name it. */
export const flagName = (row: { readonly long: string }): string => `--${row.long}`;

/** Commander's flags string: `-c, --concurrency <n>`. */
export function flagsOf(row: { readonly short?: string; readonly long: string; readonly value?: string }): string {
  return `${row.short === undefined ? '' : `-${row.short}, `}--${row.long}${row.value === undefined ? '' : ` <${row.value}>`}`;
}

/** A row's line in `--help`: its help text, then the default when it has one a user could type. */
export function helpText(row: AnyRow): string {
  const shown = row.helpDefault ?? (typeof row.default === 'string' ? (/\s/.test(row.default) ? `"${row.default}"` : row.default) : undefined);
  return shown === undefined ? row.help : `${row.help} (default ${shown})`;
}

/** The rows as [Config field, row] pairs, in table (and `--help`) order. */
export const ROWS = Object.entries(OPTIONS) as [keyof OptionValues, AnyRow][];

/**
 * A row's parser on a raw value: the loops over ROWS lose which kind goes with
 * which row, but commander and config-file.ts hand each row the shape its kind
 * asks for.
 */
export function parseOption(row: AnyRow, raw: unknown): unknown {
  return (row.parse as (raw: unknown, flag: string) => unknown)(raw, flagName(row));
}
