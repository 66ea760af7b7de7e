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
