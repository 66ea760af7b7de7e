import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExtractOptions } from './extract.js';
import { parsePage, type PageJob, type PageResult } from './page.js';

/** The parse stage: in this thread, or spread over worker threads. */
export interface Parser {
  parse(job: PageJob): Promise<PageResult>;
  close(): Promise<void>;
}

export type WorkersSetting = number | 'auto';

/**
 * Pages smaller than this are parsed in the main thread even when workers run:
 * for a ~30 KB page, posting it to a worker and the result back costs about as
 * much as parsing it (measured by `npm run bench`, see bench/RESULTS.md).
 */
export const AUTO_MIN_WORKER_BYTES = 96 * 1024;

export function inlineParser(opts: ExtractOptions): Parser {
  // One page per turn of the event loop, after pending I/O. When a burst of
  // responses lands together, parsing them all in one go would leave the next
  // responses unread (and their slots unfreed) for tens of ms; one at a time,
  // the network never waits on the parser. The pages wait instead.
  const queue: { job: PageJob; resolve: (r: PageResult) => void }[] = [];
  let scheduled = false;
  const turn = (): void => {
    const next = queue.shift();
    if (next) next.resolve(parsePage(next.job, opts));
    scheduled = queue.length > 0;
    if (scheduled) setImmediate(turn);
  };
  return {
    parse: (job) =>
      new Promise((resolve) => {
        queue.push({ job, resolve });
        if (!scheduled) {
          scheduled = true;
          setImmediate(turn);
        }
      }),
    close: async () => {},
  };
}

interface Slot {
  worker: Worker;
  /** Jobs posted and not yet answered, so a dying worker cannot strand them. */
  jobs: Set<number>;
}

/**
 * Resolve `--workers auto`: one worker per core, at most 4; none on a single
 * core, where threads only add copying. On our 2-core machines the bench's
 * 300 KB workload ran 1.13x faster with 2 workers and no faster with 1.
 */
export function resolveWorkers(setting: WorkersSetting): number {
  if (setting !== 'auto') return setting;
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(4, cores);
}

/**
 * Worker-thread parsing. Each job goes to the least busy worker; page bytes are
 * transferred, not copied, when the Buffer owns its whole ArrayBuffer. With
 * `minBytes`, smaller pages stay in this thread (the `auto` policy).
 */
export function workerParser(opts: ExtractOptions, count: number, minBytes = 0): Parser {
  const inline = inlineParser(opts);
  if (count <= 0) return inline;
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
  // Started on the first page that needs one: a run of small pages under `auto`
  // never pays for an idle thread and its heap.
  const slots: Slot[] = [];
  return {
    parse(job) {
      if (job.body.byteLength < minBytes) return inline.parse(job);
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

/** The parse stage for a run: in this thread, or spread over `setting` workers. */
export function createParser(opts: ExtractOptions, setting: WorkersSetting): Parser {
  const count = resolveWorkers(setting);
  return workerParser(opts, count, setting === 'auto' ? AUTO_MIN_WORKER_BYTES : 0);
}
