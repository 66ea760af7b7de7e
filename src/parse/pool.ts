import { Worker } from 'node:worker_threads';
import type { ExtractOptions } from './extract.js';
import type { Parser } from './inline.js';
import type { PageResult } from './page.js';

interface Slot {
  worker: Worker;
  /** Jobs posted and not yet answered, so a dying worker cannot strand them. */
  jobs: Set<number>;
}

/**
 * Worker-thread parsing over `count` (>= 1) workers. Each job goes to the least
 * busy worker; page bytes are transferred, not copied, when the Buffer owns its
 * whole ArrayBuffer. Loaded only by runs that use workers (workers.ts).
 */
export function workerParser(opts: ExtractOptions, count: number): Parser {
  const waiting = new Map<number, (r: PageResult) => void>();
  let nextId = 0;
  let closing = false;
  const settle = (slot: Slot, id: number, result: PageResult): void => {
    slot.jobs.delete(id);
    const done = waiting.get(id);
    waiting.delete(id);
    done?.(result);
  };
  const spawn = (): Slot => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: opts });
    const slot: Slot = { worker, jobs: new Set() };
    worker.on('message', (msg: { id: number; result: PageResult }) => settle(slot, msg.id, msg.result));
    // A worker that dies (out of memory on a monstrous page) fails only its own
    // pages, and is replaced so the run goes on.
    const died = (why: string): void => {
      for (const id of [...slot.jobs]) settle(slot, id, { extracted: null, error: { code: 'PARSE', message: `parser worker ${why}` } });
      const i = slots.indexOf(slot);
      if (i >= 0 && !closing) slots[i] = spawn();
    };
    worker.on('error', (err) => died(`failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (!closing) died(`exited with code ${code}`);
    });
    // Kept referenced: while pages are out for parsing the worker may be the only
    // thing keeping the event loop alive. close() terminates it.
    return slot;
  };
  // Started on the first page handed in.
  const slots: Slot[] = [];
  return {
    parse(job) {
      if (slots.length === 0) for (let i = 0; i < count; i++) slots.push(spawn());
      const slot = slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
      const id = nextId++;
      slot.jobs.add(id);
      const whole = job.body.byteOffset === 0 && job.body.byteLength === job.body.buffer.byteLength;
      const body = whole ? job.body : new Uint8Array(job.body);
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        slot.worker.postMessage({ id, job: { ...job, body } }, [body.buffer as ArrayBuffer]);
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
