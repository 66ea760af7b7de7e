import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import type { buildConnector as Connector } from 'undici';
import { buildConnector } from './undici.js';
import { blockedReason } from './private-address.js';

/** Raised inside the connector; fetch/classify.ts maps its code to BLOCKED_ADDRESS. */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'ERR_SCRAPE_BLOCKED_ADDRESS';
  constructor(host: string, address: string, reason: string) {
    super(address === host ? `${address} is a ${reason} address (--deny-private)` : `${host} resolves to ${address}, a ${reason} address (--deny-private)`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * DNS lookup that drops refused addresses from the answer, so a name is only
 * ever connected to a public address. A name with nothing public left fails.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const allowed = addresses.filter((a) => blockedReason(a.address) === null);
    if (allowed.length === 0) {
      const first = addresses[0];
      return callback(new BlockedAddressError(hostname, first?.address ?? '?', first ? blockedReason(first.address)! : 'missing'), []);
    }
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0]!.address, allowed[0]!.family);
  });
}

/**
 * The undici connector for `--deny-private`. Three checks, each for a way round
 * the others: an IP literal is refused before connecting; a name resolves
 * through guardedLookup; and the socket's actual peer address is checked once
 * connected, before a byte of the request is written. Because every connection
 * the Agent makes comes through here, redirects and DNS rebinding are covered.
 */
export function denyPrivateConnector(options: Connector.BuildOptions): Connector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup } as Connector.BuildOptions);
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0) {
      const reason = blockedReason(host);
      if (reason !== null) return callback(new BlockedAddressError(host, host, reason), null);
    }
    connect(opts, (err, socket) => {
      if (err) return callback(err, null);
      const peer = (socket as Socket).remoteAddress;
      const reason = peer === undefined ? 'unknown' : blockedReason(peer);
      if (reason !== null) {
        (socket as Socket).destroy();
        return callback(new BlockedAddressError(host, peer ?? '?', reason), null);
      }
      callback(null, socket!);
    });
  };
}

/**
 * `--deny-private` for a request that goes through a proxy, which resolves the
 * name and connects itself: the address it reaches is out of our sight. What
 * can be checked is checked before the request is sent: an IP-literal host is
 * refused by its address, and a name is refused when any address our own DNS
 * gives it is refused. A name our DNS cannot resolve is let through (behind
 * many proxies only the proxy resolves outside names).
 */
export function screenProxiedHost(hostname: string): Promise<BlockedAddressError | null> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) {
    const reason = blockedReason(host);
    return Promise.resolve(reason === null ? null : new BlockedAddressError(host, host, reason));
  }
  return new Promise((resolve) => {
    dnsLookup(host, { all: true }, (err, addresses) => {
      if (err) return resolve(null);
      for (const a of addresses) {
        const reason = blockedReason(a.address);
        if (reason !== null) return resolve(new BlockedAddressError(host, a.address, reason));
      }
      resolve(null);
    });
  });
}
