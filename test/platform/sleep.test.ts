import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/platform/sleep.js';

describe('sleep', () => {
  it('resolves true when the time runs out', async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBe(true);
  });

  it('resolves false at once when the signal aborts, or was aborted already', async () => {
    const stop = new AbortController();
    const p = sleep(60_000, stop.signal);
    stop.abort();
    await expect(p).resolves.toBe(false);
    await expect(sleep(60_000, stop.signal)).resolves.toBe(false);
  });

  it('leaves no listener on a shared signal once it ends', async () => {
    const stop = new AbortController();
    let listeners = 0;
    const add = stop.signal.addEventListener.bind(stop.signal);
    const remove = stop.signal.removeEventListener.bind(stop.signal);
    stop.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    stop.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    for (let i = 0; i < 5; i++) await sleep(1, stop.signal);
    expect(listeners).toBe(0);
  });
});
