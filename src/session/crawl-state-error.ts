import type { RunResult } from './pipeline.js';

/**
 * The crawl's state (its frontier file) could not be written: disk full, an
 * I/O error. The run stopped at once, as when the output cannot be written:
 * a crawl that cannot remember its links would end early and look complete.
 * Carries what the run came to, for the summary and the exit status (4).
 */
export class CrawlStateError extends Error {
  override name = 'CrawlStateError';
  constructor(
    message: string,
    readonly result: RunResult,
  ) {
    super(message);
  }
}
