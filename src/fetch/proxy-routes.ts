import { BlockList, isIP } from 'node:net';

/**
 * Which proxy a request goes through, decided once per run from `--proxy` or
 * the environment, and asked per origin by the dispatcher (fetch/dispatcher.ts).
 */
export interface ProxyRoutes {
  /** Proxy URL for http:// targets, or null for a direct connection. */
  readonly http: string | null;
  /** Proxy URL for https:// targets (reached through a CONNECT tunnel), or null. */
  readonly https: string | null;
  /** NO_PROXY, parsed: hosts that are always reached directly. */
  readonly noProxy: NoProxy;
}

export interface NoProxy {
  /** `*`: nothing is proxied. */
  readonly all: boolean;
  /** Names and IP literals, lower-case, leading dot dropped: each matches itself and (names) its subdomains. */
  readonly names: readonly string[];
  /** CIDR entries (`10.0.0.0/8`, `fd00::/8`), matched against IP-literal hosts. */
  readonly ranges: BlockList | null;
}

/** The environment variables read, as `process.env` has them. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

const NO_NO_PROXY: NoProxy = Object.freeze({ all: false, names: Object.freeze([]), ranges: null });
export const DIRECT: ProxyRoutes = Object.freeze({ http: null, https: null, noProxy: NO_NO_PROXY });

/**
 * NO_PROXY as curl reads it: comma- (or space-) separated entries; `*` alone
 * turns proxying off; a name matches itself and every subdomain (a leading
 * `.` or `*.` is the same entry); an IP address matches itself and a CIDR
 * range every address in it (curl 7.86+). A `:port` suffix is dropped, as
 * curl ignores ports here.
 */
export function parseNoProxy(value: string): NoProxy {
  const entries = value
    .split(/[\s,]+/)
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  if (entries.includes('*')) return { all: true, names: [], ranges: null };
  const names: string[] = [];
  let ranges: BlockList | null = null;
  for (const entry of entries) {
    const cidr = /^\[?([0-9a-f:.]+)\]?\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1]!) !== 0) {
      const family = isIP(cidr[1]!) === 4 ? 'ipv4' : 'ipv6';
      const prefix = Number(cidr[2]);
      if (prefix <= (family === 'ipv4' ? 32 : 128)) {
        ranges ??= new BlockList();
        ranges.addSubnet(cidr[1]!, prefix, family);
      }
      continue;
    }
    const host = entry
      .replace(/^\*?\./, '')
      .replace(/^\[(.*)\](:\d+)?$/, '$1')
      .replace(/^([^:]*):\d+$/, '$1');
    if (host !== '') names.push(host);
  }
  return { all: false, names, ranges };
}

/** Whether `hostname` (URL.hostname: lower-case, IPv6 in brackets) is reached directly. */
export function bypassesProxy(noProxy: NoProxy, hostname: string): boolean {
  if (noProxy.all) return true;
  const host = hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  for (const name of noProxy.names) {
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  if (noProxy.ranges) {
    const family = isIP(host);
    if (family !== 0 && noProxy.ranges.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
  }
  return false;
}

/** The first non-empty variable of `names`, in that order. */
function firstOf(env: ProxyEnv, ...names: string[]): string | null {
  for (const n of names) {
    const v = env[n]?.trim();
    if (v) return v;
  }
  return null;
}

/**
 * The routes from `--proxy` (a URL, or `none`) and the environment, the way
 * curl reads it: `--proxy URL` is every request's proxy and the environment
 * is not read at all; `--proxy none` ignores the environment; otherwise
 * http_proxy / HTTP_PROXY for http:// targets, https_proxy / HTTPS_PROXY for
 * https:// ones, all_proxy / ALL_PROXY for either when its own is unset (the
 * lower-case form wins when both are set), and no_proxy / NO_PROXY for the
 * hosts reached directly. Unlike curl, upper-case HTTP_PROXY is honoured: curl
 * ignores it because a CGI program receives a request's `Proxy:` header under
 * that name, which a command-line scraper never does.
 */
export function proxyRoutes(flag: string | null, env: ProxyEnv): ProxyRoutes {
  if (flag === 'none') return DIRECT;
  if (flag !== null) return { http: flag, https: flag, noProxy: NO_NO_PROXY };
  const all = firstOf(env, 'all_proxy', 'ALL_PROXY');
  const http = firstOf(env, 'http_proxy', 'HTTP_PROXY') ?? all;
  const https = firstOf(env, 'https_proxy', 'HTTPS_PROXY') ?? all;
  if (http === null && https === null) return DIRECT;
  return { http, https, noProxy: parseNoProxy(firstOf(env, 'no_proxy', 'NO_PROXY') ?? '') };
}

/** The proxy for a target, or null to connect directly. */
export function proxyFor(routes: ProxyRoutes, protocol: string, hostname: string): string | null {
  const proxy = protocol === 'https:' ? routes.https : routes.http;
  if (proxy === null || bypassesProxy(routes.noProxy, hostname)) return null;
  return proxy;
}

/** A proxy URL for messages and logs: scheme, host and port, never its credentials. */
export function proxyLabel(proxy: string): string {
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the proxy';
  }
}
