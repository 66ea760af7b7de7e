/**
 * A shared budget of bytes: `acquire(n)` resolves once n bytes fit in what is
 * left, `release(n)` gives them back. Waiters are served in order, except that
 * one that fits goes ahead of an earlier, bigger one that does not: a 4 MiB
 * decoder need not wait for two 16 MiB ones to finish while 8 MiB lie free.
 * (The bigger one can wait for as long as smaller ones keep the budget that
 * full; a request's deadline still ends its wait.)
 */
export class ByteBudget {
  #free: number;
  readonly #waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(readonly total: number) {
    this.#free = total;
  }

  /** Takes `bytes` (at most the whole budget) when they fit; rejects with the signal's reason if it aborts first. */
  acquire(bytes: number, signal?: AbortSignal): Promise<number> {
    const need = Math.min(bytes, this.total);
    if (need <= this.#free) {
      this.#free -= need;
      return Promise.resolve(need);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter = {
        bytes: need,
        grant: () => {
          signal?.removeEventListener('abort', abort);
          resolve(need);
        },
      };
      const abort = (): void => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  /** Gives back what `acquire` resolved with. */
  release(bytes: number): void {
    this.#free += bytes;
    for (let i = 0; i < this.#waiting.length; ) {
      const waiter = this.#waiting[i]!;
      if (waiter.bytes > this.#free) {
        i++;
        continue;
      }
      this.#free -= waiter.bytes;
      this.#waiting.splice(i, 1);
      waiter.grant();
    }
  }
}
