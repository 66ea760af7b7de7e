import type { ErrorCode, RecordError } from '../record/record.js';

/**
 * Failures that say the host itself cannot be reached, whatever the URL: a
 * run of them in a row means the host is down, and its other URLs would only
 * add their timeouts (a dead host with 50,000 URLs at --timeout 30 s and 8 per
 * host is over 50 hours). A status, a decode error or a robots refusal says
 * nothing about reachability; a proxy that refuses is as dead as a host.
 * Only failures before any response headers arrive are counted (fetch-target.ts):
 * a body that times out came from a host that is up.
 */
const CONNECTION_LEVEL: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['CONNECTION', 'DNS', 'TIMEOUT', 'TLS', 'PROXY']);

export interface HostHealth {
  /** The HOST_SKIPPED error for a host given up on, or null. */
  skipped(host: string): RecordError | null;
  /** An attempt to `host` got an answer (null: response headers arrived), or failed before any with `code`: keeps the host's count of failures in a row. */
  observe(host: string, code: ErrorCode | null): void;
}

/**
 * --host-errors N: after N connection-level failures in a row on one host,
 * its remaining URLs fail at once with HOST_SKIPPED. Only hosts on a losing
 * streak are held, so a list of a million healthy hosts costs nothing.
 * `onSkip` hears once per host when it is given up on.
 */
export function createHostHealth(limit: number, onSkip: (host: string, failures: number, code: ErrorCode) => void): HostHealth | null {
  if (limit <= 0) return null;
  const streaks = new Map<string, { failures: number; code: ErrorCode }>();
  const dead = new Map<string, RecordError>();
  return {
    skipped: (host) => dead.get(host) ?? null,
    observe(host, code) {
      if (code === null || !CONNECTION_LEVEL.has(code)) {
        streaks.delete(host);
        return;
      }
      if (dead.has(host)) return;
      const streak = streaks.get(host) ?? { failures: 0, code };
      streak.failures++;
      streak.code = code;
      if (streak.failures < limit) {
        streaks.set(host, streak);
        return;
      }
      streaks.delete(host);
      dead.set(host, {
        code: 'HOST_SKIPPED',
        message: `not requested: ${host} failed ${streak.failures} times in a row (last: ${code}); --host-errors ${limit}`,
      });
      onSkip(host, streak.failures, code);
    },
  };
}
