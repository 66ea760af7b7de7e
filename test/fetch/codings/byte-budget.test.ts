import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../../src/fetch/codings/byte-budget.js';

/** Which of these promises have settled, after pending callbacks ran. */
async function settled(promises: Record<string, Promise<unknown>>): Promise<string[]> {
  const done: string[] = [];
  for (const [name, p] of Object.entries(promises)) p.then(() => done.push(name), () => done.push(name));
  await new Promise((r) => setImmediate(r));
  return done.sort();
}

describe('ByteBudget', () => {
  it('grants at once what fits, and makes the rest wait for a release', async () => {
    const budget = new ByteBudget(32);
    const a = budget.acquire(16);
    const b = budget.acquire(16);
    const c = budget.acquire(16);
    expect(await settled({ a, b, c })).toEqual(['a', 'b']);
    budget.release(16);
    expect(await settled({ c })).toEqual(['c']);
  });

  it('lets a small request that fits go ahead of a big one that does not', async () => {
    const budget = new ByteBudget(32);
    await budget.acquire(24);
    const big = budget.acquire(16);
    const small = budget.acquire(8);
    expect(await settled({ big, small })).toEqual(['small']);
    budget.release(24);
    expect(await settled({ big })).toEqual(['big']);
  });

  it('serves waiters in order when each fits', async () => {
    const budget = new ByteBudget(16);
    await budget.acquire(16);
    const order: string[] = [];
    const first = budget.acquire(16).then(() => order.push('first'));
    const second = budget.acquire(16).then(() => order.push('second'));
    budget.release(16);
    await first;
    expect(order).toEqual(['first']);
    budget.release(16);
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('counts a request bigger than the whole budget as the whole budget', async () => {
    const budget = new ByteBudget(16);
    expect(await budget.acquire(64)).toBe(16);
    const next = budget.acquire(1);
    expect(await settled({ next })).toEqual([]);
    budget.release(16);
    expect(await next).toBe(1);
  });

  it('a wait that is aborted rejects with the reason and takes nothing later', async () => {
    const budget = new ByteBudget(16);
    await budget.acquire(16);
    const controller = new AbortController();
    const waiting = budget.acquire(16, controller.signal);
    const after = budget.acquire(16);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    budget.release(16);
    // The aborted waiter is gone: the bytes go to the next one.
    expect(await after).toBe(16);
  });

  it('an already aborted signal rejects without waiting', async () => {
    const budget = new ByteBudget(16);
    await budget.acquire(16);
    await expect(budget.acquire(1, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped');
  });
});
