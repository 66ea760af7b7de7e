import { parentPort, workerData } from 'node:worker_threads';
import { extractWithDom } from './extract-dom.js';
import type { ExtractOptions } from './extract.js';
import { parsePage, type PageJob } from './page.js';

/**
 * Worker thread entry: parse pages posted by parse/pool.ts, one at a time. The
 * DOM path loads with the worker, before its first page: a worker exists to
 * parse, and this keeps it synchronous.
 */
const opts = workerData as ExtractOptions;
parentPort!.on('message', (msg: { id: number; job: PageJob }) => {
  parentPort!.postMessage({ id: msg.id, result: parsePage(msg.job, opts, extractWithDom) });
});
