import { Agent } from './undici.js';
import { denyPrivateConnector } from './deny-private.js';

export interface AgentOptions {
  /** Connections kept per origin: as many as requests may run at once to one host. */
  connectionsPerOrigin: number;
  timeoutMs: number;
  /** --deny-private: refuse loopback, private, link-local and metadata addresses at connect time. */
  denyPrivate?: boolean;
}

/**
 * One keep-alive Agent for the whole run. Our own AbortSignal enforces the total
 * deadline; undici's timers stay as a backstop (its bodyTimeout is an idle timer
 * that a trickling server never trips).
 */
export function createAgent(opts: AgentOptions): Agent {
  // rejectUnauthorized spelled out: otherwise NODE_TLS_REJECT_UNAUTHORIZED=0 in
  // the environment would silently turn certificate checks off. There is no
  // switch for that on purpose.
  const connect = { timeout: Math.min(opts.timeoutMs, 15_000), rejectUnauthorized: true };
  return new Agent({
    connections: opts.connectionsPerOrigin,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect: opts.denyPrivate ? denyPrivateConnector(connect) : connect,
    maxHeaderSize: 64 * 1024,
  });
}
