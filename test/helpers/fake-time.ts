import type { GateTime } from '../../src/schedule/host-gate.js';

/** Fake time: sleeps resolve when the test advances the clock past them. */
export function fakeTime(): GateTime & { advance(ms: number): Promise<void> } {
  let now = 0;
  const sleepers: { until: number; resolve: () => void }[] = [];
  const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        // Removed once the sleep ends, as a real sleep does: tests share one signal.
        const sleeper = {
          until: now + ms,
          resolve: () => {
            signal.removeEventListener('abort', onAbort);
            resolve(true);
          },
        };
        const onAbort = (): void => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          resolve(false);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await flush();
        const due = sleepers.filter((s) => s.until <= end).sort((a, b) => a.until - b.until)[0];
        if (!due) break;
        now = Math.max(now, due.until);
        sleepers.splice(sleepers.indexOf(due), 1);
        due.resolve();
      }
      now = end;
      await flush();
    },
  };
}
