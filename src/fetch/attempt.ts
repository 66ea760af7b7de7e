import type { Dispatcher } from 'undici';
import type { ErrorCode, RecordError, Redirect } from '../record/record.js';
import { request, type RequestLocation } from './undici.js';
import { discardBody, readBody } from './body.js';
import { classify } from './classify.js';
import { chainCookies, type Cookies } from './cookies.js';
import { basicAuthorization } from './credentials.js';
import { httpVersionOf, type HttpVersion } from './http-version.js';
import type { AttemptFailure, ResponseHeaders } from './failure.js';
import { parseRetryAfter } from './retry-after.js';

/** Where an attempt goes: a URL whose parts were parsed once (input/targets.ts), never again per request. */
export interface RequestTarget extends RequestLocation {
  /** The absolute URL, fragment dropped, password masked (`user:***@`): the record's `url`. */
  readonly url: string;
  /** `Basic …` from the URL's user and password (fetch/credentials.ts); absent when it has none. */
  readonly authorization?: string;
}

export interface AttemptSettings {
  maxBytes: number;
  maxRedirects: number;
  /** Lower-cased request headers. */
  headers: Readonly<Record<string, string>>;
  /** The attempt's hard deadline, every hop and the whole body included (--timeout). */
  timeoutMs: number;
  /**
   * Keep the first `maxBytes` of a bigger body instead of failing TOO_LARGE:
   * robots.txt, which RFC 9309 2.5 asks to be parsed up to a limit, not refused.
   */
  truncate?: boolean;
}

export interface AttemptDeps {
  dispatcher: Dispatcher;
  /** Monotonic milliseconds, for TTFB. */
  monotonic(): number;
  /** Epoch milliseconds, for Retry-After dates. */
  now(): number;
  /**
   * A redirect hop's refusal by policy (robots.txt), or null when it may be
   * fetched. Not asked for the attempt's own URL: the scheduler asked robots.txt
   * once before the first attempt. A hop is another URL, so it is asked here.
   */
  allowHop?(hop: RequestTarget): Promise<RecordError | null>;
  /**
   * A crawl (--follow) requests each URL once: true when a redirect hop's URL
   * was fetched or queued already. The attempt then ends at the redirect, as
   * a response: the 3xx status, `finalUrl` the hop's URL, no body.
   */
  knownHop?(hop: RequestTarget): boolean;
  /** The run's cookie jar (--cookie-jar); absent: each attempt keeps its own chain's cookies only. */
  cookies?: Cookies;
}

/** What a record can say of the responses: the last one's version and headers, and the redirects before it. */
export interface ResponseMeta {
  /** "1.1" or "2"; null when no response arrived. */
  readonly httpVersion: HttpVersion | null;
  /** The last response's headers, unformatted (--headers formats them: response-headers.ts); null when none arrived. */
  readonly headers: ResponseHeaders | null;
  /** Each redirect response, in order: the URL that answered and its 3xx. */
  readonly redirects: readonly Redirect[];
}

export interface FinalResponse extends ResponseMeta {
  status: number;
  finalUrl: string;
  contentType: string | null;
  body: Buffer;
  /** From the start of the attempt to the last response's headers. */
  ttfbMs: number;
  /** Validators for a later conditional request. */
  etag: string | null;
  lastModified: string | null;
}

/**
 * One attempt, as data: a response, a failure (with what was known of the
 * response, and its Retry-After), or `stopped` when the caller's stop signal
 * cut it short in flight (no record: it was not finished).
 */
export type AttemptResult =
  | { readonly kind: 'response'; readonly response: FinalResponse }
  | { readonly kind: 'failure'; readonly failure: AttemptFailure }
  | { readonly kind: 'stopped' };

const STOPPED: AttemptResult = Object.freeze({ kind: 'stopped' });
const DROP_ON_CROSS_ORIGIN = ['authorization', 'cookie', 'proxy-authorization'];
// Bodies of redirects and error pages are drained (up to this much) to keep the
// connection reusable; anything bigger is cheaper to drop with the socket.
const DRAIN_LIMIT = 64 * 1024;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  return v === undefined ? null : Array.isArray(v) ? (v[0] ?? null) : v;
}

const NO_REDIRECTS: readonly Redirect[] = Object.freeze([]);

/** What was known of the last response when an attempt failed after it arrived. */
interface Seen {
  finalUrl: string;
  contentType: string | null;
  ttfbMs: number;
  httpVersion: HttpVersion;
  headers: ResponseHeaders;
}

/** A failed attempt, with what was known of the response when it failed. */
function failed(code: ErrorCode, message: string, status: number | null, seen: Seen | null, redirects: readonly Redirect[], retryAfterMs: number | null = null): AttemptResult {
  const failure: AttemptFailure = {
    code,
    message,
    status,
    finalUrl: seen?.finalUrl ?? null,
    contentType: seen?.contentType ?? null,
    ttfbMs: seen === null ? null : Math.round(seen.ttfbMs),
    retryAfterMs,
    httpVersion: seen?.httpVersion ?? null,
    headers: seen?.headers ?? null,
    redirects,
  };
  return { kind: 'failure', failure };
}

/**
 * One attempt: the request and every redirect hop, ending in a 2xx whose body
 * is read within limits, or a failure, within a hard total deadline of our own
 * (so a trickling body cannot outlive --timeout). `stop` aborts it in flight.
 * Never throws for a URL's failure: foreign errors are translated by
 * classify.ts, the one place that maps them to codes.
 */
export async function attempt(target: RequestTarget, settings: AttemptSettings, deps: AttemptDeps, stop: AbortSignal): Promise<AttemptResult> {
  const deadline = new AbortController();
  const abort = (): void => deadline.abort();
  const timer = setTimeout(abort, settings.timeoutMs);
  // One signal per attempt that a stop also aborts: AbortSignal.any() costs
  // more per request on Node 20 (it showed in the W1 profile).
  if (stop.aborted) deadline.abort();
  else stop.addEventListener('abort', abort, { once: true });
  let failure: AttemptFailure;
  try {
    const result = await follow(target, settings, deps, deadline.signal);
    if (result.kind !== 'failure') return result;
    failure = result.failure;
  } catch (err) {
    failure = classify(err).toData();
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', abort);
  }
  if (stop.aborted) return STOPPED;
  if (deadline.signal.aborted) {
    return { kind: 'failure', failure: { ...failure, code: 'TIMEOUT', message: `no complete response within --timeout ${settings.timeoutMs} ms`, retryAfterMs: null } };
  }
  return { kind: 'failure', failure };
}

/**
 * The hops of one attempt. Redirects are followed here rather than by undici's
 * interceptor, which hands back the last 3xx as if it had succeeded. Failures
 * we recognise come back as data; undici's and the network's are thrown and
 * classified by the caller.
 */
async function follow(target: RequestTarget, settings: AttemptSettings, deps: AttemptDeps, signal: AbortSignal): Promise<AttemptResult> {
  const started = deps.monotonic();
  const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-encoding': 'gzip, deflate, br', ...settings.headers };
  // The URL's own credentials; an explicit -H Authorization wins over them.
  if (target.authorization !== undefined && headers.authorization === undefined) headers.authorization = target.authorization;
  const cookies = deps.cookies ?? chainCookies();
  // A -H "Cookie: …" goes first, on the hops it is kept for (not off-origin); the jar's follow RFC 6265.
  let given: string | undefined = headers.cookie;
  let current: RequestTarget = target;
  // --chain: made on the first redirect; most pages have none.
  let redirects: Redirect[] | null = null;
  for (let hop = 0; ; hop++) {
    if (hop > 0 && deps.allowHop) {
      const refused = await deps.allowHop(current);
      if (refused) return failed(refused.code, refused.message, null, null, redirects ?? NO_REDIRECTS);
    }
    const fromJar = cookies.header(current.url);
    const cookie = fromJar === null ? given : given === undefined ? fromJar : `${given}; ${fromJar}`;
    if (cookie !== undefined) headers.cookie = cookie;
    else if ('cookie' in headers) delete headers.cookie;
    const res = await request(current, { dispatcher: deps.dispatcher, method: 'GET', headers, signal });
    const setCookie = res.headers['set-cookie'];
    if (setCookie !== undefined) cookies.remember(current.url, setCookie);
    const ttfbMs = deps.monotonic() - started;
    const status = res.statusCode;
    const contentType = header(res.headers, 'content-type');
    const location = header(res.headers, 'location');
    const seen: Seen = { finalUrl: current.url, contentType, ttfbMs, httpVersion: httpVersionOf(current.origin), headers: res.headers };
    if (status >= 300 && status < 400 && location !== null) {
      await res.body.dump({ limit: DRAIN_LIMIT, signal }).catch(() => discardBody(res.body));
      if (hop >= settings.maxRedirects) {
        return failed('TOO_MANY_REDIRECTS', `more than ${settings.maxRedirects} redirects`, status, seen, [...(redirects ?? []), { url: current.url, status }]);
      }
      let next: URL;
      try {
        next = new URL(location, current.url);
      } catch {
        return failed('BAD_REDIRECT', `unparseable Location "${location.slice(0, 200)}"`, status, seen, redirects ?? NO_REDIRECTS);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return failed('BAD_REDIRECT', `redirect to unsupported scheme ${next.protocol}`, status, seen, redirects ?? NO_REDIRECTS);
      }
      redirects ??= [];
      redirects.push({ url: current.url, status });
      const origin = next.origin;
      if (origin !== current.origin) {
        for (const h of DROP_ON_CROSS_ORIGIN) delete headers[h];
        given = undefined;
      }
      next.hash = '';
      // A Location with credentials of its own: they are this hop's (a
      // relative Location inherits our masked `user:***@`, which is not).
      if (next.password !== '' && next.password !== '***') {
        headers.authorization = basicAuthorization(next)!;
        next.password = '***';
      }
      const hopTarget: RequestTarget = { url: next.href, origin, path: `${next.pathname}${next.search}` };
      if (deps.knownHop?.(hopTarget)) {
        return { kind: 'response', response: { ...seen, status, finalUrl: hopTarget.url, contentType: null, body: Buffer.alloc(0), etag: null, lastModified: null, redirects } };
      }
      current = hopTarget;
      continue;
    }
    const etag = header(res.headers, 'etag');
    const lastModified = header(res.headers, 'last-modified');
    // 304 answers only the conditional request we sent (--cache-dir): the page is
    // unchanged and has no body. Unasked-for, it stays an HTTP_STATUS failure.
    if (status === 304 && ('if-none-match' in headers || 'if-modified-since' in headers)) {
      await res.body.dump({ limit: DRAIN_LIMIT, signal }).catch(() => discardBody(res.body));
      return { kind: 'response', response: { ...seen, status, body: Buffer.alloc(0), etag, lastModified, redirects: redirects ?? NO_REDIRECTS } };
    }
    if (status < 200 || status >= 300) {
      await res.body.dump({ limit: DRAIN_LIMIT, signal }).catch(() => discardBody(res.body));
      // Read on any error status: whether to honour it is the scheduler's call.
      return failed('HTTP_STATUS', `HTTP ${status}`, status, seen, redirects ?? NO_REDIRECTS, parseRetryAfter(res.headers['retry-after'], deps.now()));
    }
    const declared = Number(header(res.headers, 'content-length') ?? NaN);
    const encoded = header(res.headers, 'content-encoding');
    if (!settings.truncate && Number.isFinite(declared) && declared > settings.maxBytes && (encoded === null || encoded === 'identity')) {
      discardBody(res.body);
      return failed('TOO_LARGE', `Content-Length ${declared} exceeds --max-bytes ${settings.maxBytes}`, status, seen, redirects ?? NO_REDIRECTS);
    }
    let body: Buffer;
    try {
      body = await readBody(res.body, res.headers['content-encoding'], settings.maxBytes, signal, settings.truncate);
    } catch (err) {
      discardBody(res.body);
      const f = classify(err);
      return failed(f.code, f.message, status, seen, redirects ?? NO_REDIRECTS);
    }
    return { kind: 'response', response: { ...seen, status, body, etag, lastModified, redirects: redirects ?? NO_REDIRECTS } };
  }
}
