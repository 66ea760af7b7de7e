import type { Dispatcher } from 'undici';
import type * as Undici from 'undici';
import { classify } from './classify.js';
import { FetchFailure } from './failure.js';
import { proxyLabel } from './proxy-routes.js';
import { createRequire } from 'node:module';

/**
 * undici's index, loaded only when a run has a proxy: ProxyAgent speaks to the
 * proxy with `connect()`, an API method the index adds to every dispatcher
 * (fetch/undici.ts loads the parts without it, for start-up time).
 */
const undici = (): typeof Undici => createRequire(import.meta.url)('undici') as typeof Undici;

/** Raw error codes that mean the proxy itself could not be reached or dropped us. */
const PROXY_CONNECT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT']);

export interface ProxyAgentOptions {
  /** The proxy, credentials included (sent as Proxy-Authorization, never shown). */
  proxy: string;
  /** Options of the Agent every target origin gets (connections, timeouts, allowH2). */
  agent: Undici.Agent.Options;
  /** TLS to https:// targets through the tunnel: checked end to end, as without a proxy. */
  requestTls: Record<string, unknown>;
  /** A Proxy-Authorization given with -H: moved to the proxy (undici refuses it on requests). */
  proxyAuthorization: string | null;
}

/**
 * A failure to be reported as the proxy's: PROXY with the proxy's status
 * (407, 502 …) when it answered, null when it refused, dropped or could not be
 * reached. The message names the proxy by host only.
 */
function proxyFailure(proxy: string, what: string, status: number | null): FetchFailure {
  return new FetchFailure('PROXY', `proxy ${proxyLabel(proxy)}: ${what}`, status);
}

/**
 * What a request's error means through a proxy. Every connection of a proxied
 * request goes to the proxy, so "refused", "reset", "unknown host" and a
 * connect timeout are the proxy's; a TLS error is still the target's (the
 * tunnel's TLS is end to end), and so are timeouts once connected.
 */
export function asProxyError(proxy: string, err: unknown): unknown {
  if (err instanceof FetchFailure) return err;
  const code = (err as { code?: unknown } | null)?.code;
  // Http1ProxyWrapper's answer to a 407 on an absolute-form request: its only
  // InvalidArgumentError raised after dispatch.
  if (code === 'UND_ERR_INVALID_ARG') return proxyFailure(proxy, 'proxy authentication required (407)', 407);
  if (typeof code === 'string' && PROXY_CONNECT_CODES.has(code)) return proxyFailure(proxy, `could not connect (${code})`, null);
  const f = classify(err);
  if (f.code === 'CONNECTION' || f.code === 'DNS') return proxyFailure(proxy, f.message, null);
  return err;
}

/**
 * The client that speaks to the proxy for CONNECT tunnels (https:// targets),
 * with its answer read as data: anything but 200 is the proxy's refusal, with
 * its status, rather than undici's message-only abort.
 */
function tunnelClient(proxy: string) {
  return (origin: URL, opts: object): Dispatcher => {
    const pool = new (undici().Pool)(origin, opts);
    const connect = pool.connect.bind(pool) as (o: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>;
    (pool as unknown as { connect: typeof connect }).connect = async (params) => {
      let data: Dispatcher.ConnectData;
      try {
        data = await connect(params);
      } catch (err) {
        throw asProxyError(proxy, err);
      }
      if (data.statusCode !== 200) {
        data.socket.on('error', () => {}).destroy();
        throw proxyFailure(proxy, `CONNECT answered ${data.statusCode}`, data.statusCode);
      }
      return data;
    };
    return pool;
  };
}

/**
 * undici's ProxyAgent for one proxy URL: http:// targets as absolute-form
 * requests (no tunnel), https:// targets through CONNECT with TLS checked end
 * to end. Its target pools get the same options as the direct Agent's
 * (connections, timeouts, header cap), so a proxy changes no limit.
 */
export function createProxyAgent(opts: ProxyAgentOptions): Dispatcher {
  const { proxy } = opts;
  const { ProxyAgent, Pool } = undici();
  const poolOptions = { ...opts.agent, connect: undefined, factory: undefined };
  return new ProxyAgent({
    ...opts.agent,
    uri: proxy,
    proxyTunnel: false,
    ...(opts.proxyAuthorization ? { token: opts.proxyAuthorization } : {}),
    requestTls: opts.requestTls,
    proxyTls: { rejectUnauthorized: true, timeout: (opts.agent.connect as { timeout?: number } | undefined)?.timeout },
    clientFactory: tunnelClient(proxy),
    // Also makes the absolute-form client to the proxy: our timeouts there too.
    factory: (origin: string | URL, options: object) => new Pool(origin, { ...poolOptions, ...options }),
  } as Undici.ProxyAgent.Options);
}

/**
 * Errors of a request that went through `proxy`, translated as it fails:
 * the handler's error callback is wrapped, as undici's own proxy wrapper does.
 */
export function proxiedHandler(proxy: string, handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  const h = handler as { onError?: (err: Error) => void; onResponseError?: (c: unknown, err: Error) => void };
  if (h.onError) {
    const onError = h.onError;
    h.onError = function (this: unknown, err: Error) {
      onError.call(this, asProxyError(proxy, err) as Error);
    };
  }
  if (h.onResponseError) {
    const onResponseError = h.onResponseError;
    h.onResponseError = function (this: unknown, controller: unknown, err: Error) {
      onResponseError.call(this, controller, asProxyError(proxy, err) as Error);
    };
  }
  return handler;
}
