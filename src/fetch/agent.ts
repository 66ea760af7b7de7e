import { createSecureContext } from 'node:tls';
import type { Dispatcher } from 'undici';
import type * as Undici from 'undici';
import { Agent, part } from './undici.js';
import { denyPrivateConnector, screenProxiedHost } from './deny-private.js';
import { createProxyAgent, proxiedHandler } from './proxy-agent.js';
import { DIRECT, proxyFor, type ProxyRoutes } from './proxy-routes.js';

const DispatcherClass = part<typeof Undici.Dispatcher>('undici/lib/dispatcher/dispatcher.js', (u) => u.Dispatcher);

/**
 * Whether HTTP/2 is offered when neither --http1.1 nor --http2 is given: the
 * HTTPS benchmark's choice (bench/RESULTS.md, the `https` workload). undici's
 * HTTP/2 cost 12-24% more CPU per page there and was no faster, and its pools
 * open as many connections per host as HTTP/1.1, so it saves no handshakes.
 */
export const HTTP2_BY_DEFAULT = false;

export interface AgentOptions {
  /** Connections kept per origin: as many as requests may run at once to one host. */
  connectionsPerOrigin: number;
  timeoutMs: number;
  /** --deny-private: refuse loopback, private, link-local and metadata addresses at connect time. */
  denyPrivate?: boolean;
  /** Offer HTTP/2 by ALPN on https:// (plain http:// is always HTTP/1.1). */
  allowH2?: boolean;
  /** --ca-cert: PEM text of certificates trusted on top of the usual roots. */
  extraCa?: string | null;
  /** Proxies by target (--proxy or the environment); absent: every connection is direct. */
  proxies?: ProxyRoutes;
  /** A Proxy-Authorization given with -H, handed to the proxy agents. */
  proxyAuthorization?: string | null;
}

/**
 * The TLS settings of every connection to a target, direct or tunnelled.
 * rejectUnauthorized spelled out: otherwise NODE_TLS_REJECT_UNAUTHORIZED=0 in
 * the environment would silently turn certificate checks off; there is no
 * switch for that on purpose. Extra certificates go into a context made from
 * the default roots (which already hold NODE_EXTRA_CA_CERTS): a `ca` option
 * would replace those roots instead of adding to them.
 */
function targetTls(opts: AgentOptions): Record<string, unknown> {
  const tls: Record<string, unknown> = { rejectUnauthorized: true, allowH2: opts.allowH2 ?? false };
  if (opts.extraCa) {
    const secureContext = createSecureContext();
    for (const pem of opts.extraCa.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) secureContext.context.addCACert(pem);
    tls.secureContext = secureContext;
  }
  return tls;
}

interface Route {
  readonly dispatcher: Dispatcher;
  /** The proxy it goes through, or null for a direct connection. */
  readonly proxy: string | null;
  readonly hostname: string;
}

/**
 * Routes each origin to the direct Agent or to its proxy's agent (proxy-routes.ts
 * decides), and translates a proxied request's connection
 * failures into PROXY ones. The scheduler's per-host limits key on the
 * target's host either way: a proxy changes where sockets go, not how many
 * requests run.
 */
class ProxyRouter extends DispatcherClass {
  readonly #proxies = new Map<string, Dispatcher>();

  constructor(
    private readonly direct: Dispatcher,
    private readonly routes: ProxyRoutes,
    private readonly makeProxyAgent: (proxy: string) => Dispatcher,
    /** --deny-private's check of a proxied target, before it is sent (deny-private.ts). */
    private readonly screen: ((hostname: string) => Promise<Error | null>) | null,
  ) {
    super();
  }

  /** Decided per request, not remembered per origin: a crawl of a million hosts would keep a million routes. */
  #route(origin: string): Route {
    const url = new URL(origin);
    const proxy = proxyFor(this.routes, url.protocol, url.hostname);
    if (proxy === null) return { dispatcher: this.direct, proxy, hostname: url.hostname };
    let dispatcher = this.#proxies.get(proxy);
    if (dispatcher === undefined) {
      dispatcher = this.makeProxyAgent(proxy);
      this.#proxies.set(proxy, dispatcher);
    }
    return { dispatcher, proxy, hostname: url.hostname };
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const { dispatcher, proxy, hostname } = this.#route(String(opts.origin));
    if (proxy === null) return dispatcher.dispatch(opts, handler);
    const proxied = proxiedHandler(proxy, handler);
    if (this.screen === null) return dispatcher.dispatch(opts, proxied);
    const fail = (err: Error): void => (proxied as { onError(err: Error): void }).onError(err);
    this.screen(hostname).then((refused) => (refused ? fail(refused) : dispatcher.dispatch(opts, proxied)), fail);
    return true;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = Promise.all([this.direct, ...this.#proxies.values()].map((d) => d.close())).then(() => {});
    if (callback) void done.then(callback);
    else return done;
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const callback = typeof a === 'function' ? a : b;
    const done = Promise.all([this.direct, ...this.#proxies.values()].map((d) => d.destroy())).then(() => {});
    if (callback) void done.then(callback);
    else return done;
  }
}

/**
 * The dispatcher for the whole run: one keep-alive Agent, behind a router to
 * the proxies when there are any. Our own AbortSignal enforces the total
 * deadline; undici's timers stay as a backstop (its bodyTimeout is an idle
 * timer that a trickling server never trips).
 */
export function createAgent(opts: AgentOptions): Dispatcher {
  const tls = targetTls(opts);
  const connect = { timeout: Math.min(opts.timeoutMs, 15_000), ...tls };
  const agentOptions: Undici.Agent.Options = {
    connections: opts.connectionsPerOrigin,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    maxHeaderSize: 64 * 1024,
    allowH2: opts.allowH2 ?? false,
  };
  const direct = new Agent({ ...agentOptions, connect: opts.denyPrivate ? denyPrivateConnector(connect) : connect });
  const routes = opts.proxies ?? DIRECT;
  if (routes.http === null && routes.https === null) return direct;
  return new ProxyRouter(
    direct,
    routes,
    (proxy) => createProxyAgent({ proxy, agent: { ...agentOptions, connect }, requestTls: connect, proxyAuthorization: opts.proxyAuthorization ?? null }),
    opts.denyPrivate ? screenProxiedHost : null,
  );
}
