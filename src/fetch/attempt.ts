import type { Dispatcher } from 'undici';
import { request } from './undici.js';
import { discardBody, readBody } from './body.js';
import { classify } from './classify.js';
import { FetchFailure } from './failure.js';
import { isRetryableStatus, parseRetryAfter } from './retry.js';

export interface AttemptSettings {
  maxBytes: number;
  maxRedirects: number;
  /** Lower-cased request headers. */
  headers: Readonly<Record<string, string>>;
}

export interface AttemptDeps {
  dispatcher: Dispatcher;
  /** Monotonic milliseconds, for TTFB. */
  monotonic(): number;
  /** Epoch milliseconds, for Retry-After dates. */
  now(): number;
  /** Resolves to a failure when robots.txt (or another policy) forbids fetching this URL. */
  allow?(url: string, signal: AbortSignal): Promise<FetchFailure | null>;
}

export interface FinalResponse {
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

const DROP_ON_CROSS_ORIGIN = ['authorization', 'cookie', 'proxy-authorization'];
// Bodies of redirects and error pages are drained (up to this much) to keep the
// connection reusable; anything bigger is cheaper to drop with the socket.
const DRAIN_LIMIT = 64 * 1024;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  return v === undefined ? null : Array.isArray(v) ? (v[0] ?? null) : v;
}

/**
 * One attempt: the request and every redirect hop, ending in a 2xx whose body is
 * read within limits, or a FetchFailure. Redirects are followed here rather than
 * by undici's interceptor, which hands back the last 3xx as if it had succeeded.
 */
export async function attempt(
  url: string,
  settings: AttemptSettings,
  deps: AttemptDeps,
  signal: AbortSignal,
): Promise<FinalResponse> {
  const started = deps.monotonic();
  const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-encoding': 'gzip, deflate, br', ...settings.headers };
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const blocked = deps.allow ? await deps.allow(current.href, signal) : null;
    if (blocked) throw blocked;
    const res = await request(current, { dispatcher: deps.dispatcher, method: 'GET', headers, signal });
    const ttfbMs = deps.monotonic() - started;
    const status = res.statusCode;
    const contentType = header(res.headers, 'content-type');
    const known = { finalUrl: current.href, contentType, ttfbMs: Math.round(ttfbMs) };
    const location = header(res.headers, 'location');
    if (status >= 300 && status < 400 && location !== null) {
      await res.body.dump({ limit: DRAIN_LIMIT, signal }).catch(() => discardBody(res.body));
      if (hop >= settings.maxRedirects) {
        throw new FetchFailure('TOO_MANY_REDIRECTS', `more than ${settings.maxRedirects} redirects`, status, known);
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new FetchFailure('BAD_REDIRECT', `unparseable Location "${location.slice(0, 200)}"`, status, known);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new FetchFailure('BAD_REDIRECT', `redirect to unsupported scheme ${next.protocol}`, status, known);
      }
      if (next.origin !== current.origin) for (const h of DROP_ON_CROSS_ORIGIN) delete headers[h];
      next.hash = '';
      current = next;
      continue;
    }
    const etag = header(res.headers, 'etag');
    const lastModified = header(res.headers, 'last-modified');
    // 304 answers only the conditional request we sent (--cache-dir): the page is
    // unchanged and has no body. Unasked-for, it stays an HTTP_STATUS failure.
    if (status === 304 && ('if-none-match' in headers || 'if-modified-since' in headers)) {
      await res.body.dump({ limit: DRAIN_LIMIT, signal }).catch(() => discardBody(res.body));
      return { status, finalUrl: current.href, contentType, body: Buffer.alloc(0), ttfbMs, etag, lastModified };
    }
    if (status < 200 || status >= 300) {
      await res.body.dump({ limit: DRAIN_LIMIT, signal }).catch(() => discardBody(res.body));
      const retryAfterMs = isRetryableStatus(status) ? parseRetryAfter(res.headers['retry-after'], deps.now()) : null;
      throw new FetchFailure('HTTP_STATUS', `HTTP ${status}`, status, known, retryAfterMs);
    }
    const declared = Number(header(res.headers, 'content-length') ?? NaN);
    const encoded = header(res.headers, 'content-encoding');
    if (Number.isFinite(declared) && declared > settings.maxBytes && (encoded === null || encoded === 'identity')) {
      discardBody(res.body);
      throw new FetchFailure('TOO_LARGE', `Content-Length ${declared} exceeds --max-bytes ${settings.maxBytes}`, status, known);
    }
    let body: Buffer;
    try {
      body = await readBody(res.body, res.headers['content-encoding'], settings.maxBytes, signal);
    } catch (err) {
      discardBody(res.body);
      const f = classify(err);
      throw new FetchFailure(f.code, f.message, status, known);
    }
    return { status, finalUrl: current.href, contentType, body, ttfbMs, etag, lastModified };
  }
}
