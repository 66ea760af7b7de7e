import { subscribe } from 'node:diagnostics_channel';

/** The HTTP version a response came over, as records say it. */
export type HttpVersion = '1.1' | '2';

/**
 * Origins whose latest connection negotiated HTTP/2 (ALPN `h2`), learned from
 * undici's `undici:client:connected` diagnostics channel: undici hands a
 * response no version, but every connection it makes, direct or through a
 * proxy's tunnel, is published with it. A server answers ALPN the same way
 * on each connection, so the origin's latest one speaks for its responses.
 * Bounded: past MAX_ORIGINS the oldest origin is forgotten (an origin in use
 * reconnects, and is learned again, long before 10,000 others have connected).
 */
const h2Origins = new Map<string, true>();
const MAX_ORIGINS = 10_000;

interface ConnectedMessage {
  connectParams: { protocol: string; host: string; version?: string };
}

let watching = false;

function onConnected(message: unknown): void {
  const { protocol, host, version } = (message as ConnectedMessage).connectParams;
  const origin = `${protocol}//${host}`;
  h2Origins.delete(origin);
  if (version !== 'h2') return;
  h2Origins.set(origin, true);
  if (h2Origins.size > MAX_ORIGINS) h2Origins.delete(h2Origins.keys().next().value!);
}

/** Start learning versions (once per process; every run shares the channel). */
export function watchHttpVersions(): void {
  if (watching) return;
  watching = true;
  subscribe('undici:client:connected', onConnected);
}

/** The version of a response from `origin` (scheme://host[:port]); plain http:// is always HTTP/1.1 here. */
export function httpVersionOf(origin: string): HttpVersion {
  return h2Origins.has(origin) ? '2' : '1.1';
}
