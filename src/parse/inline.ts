import type { ExtractOptions } from './extract.js';
import { parsePage, type PageJob, type PageResult } from './page.js';

/** The parse stage: in this thread, or spread over worker threads. */
export interface Parser {
  parse(job: PageJob): Promise<PageResult>;
  close(): Promise<void>;
}

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
