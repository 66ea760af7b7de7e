import { Agent } from 'undici';

export interface AgentOptions {
  /** Connections kept per origin: as many as requests may run at once to one host. */
  connectionsPerOrigin: number;
  timeoutMs: number;
}

/**
 * One keep-alive Agent for the whole run. Our own AbortSignal enforces the total
 * deadline; undici's timers stay as a backstop (its bodyTimeout is an idle timer
 * that a trickling server never trips).
 */
export function createAgent(opts: AgentOptions): Agent {
  return new Agent({
    connections: opts.connectionsPerOrigin,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect: { timeout: Math.min(opts.timeoutMs, 15_000) },
    maxHeaderSize: 64 * 1024,
  });
}
