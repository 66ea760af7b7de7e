import { parentPort, workerData } from 'node:worker_threads';
import type { ExtractOptions } from './extract.js';
import { parsePage, type PageJob } from './page.js';

/** Worker thread entry: parse pages posted by parse/pool.ts, one at a time. */
const opts = workerData as ExtractOptions;
parentPort!.on('message', (msg: { id: number; job: PageJob }) => {
  parentPort!.postMessage({ id: msg.id, result: parsePage(msg.job, opts) });
});
