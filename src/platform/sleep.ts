/**
 * Wait `ms`, ending early when `signal` aborts. Resolves true when the time ran
 * out, false when the signal cut it short; the timer and the listener are gone
 * either way, so a long run of waits leaves nothing behind on a shared signal.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
