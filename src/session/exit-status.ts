import type { Outcome } from './outcome.js';

/** The exit codes scrape's README documents. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, LOCKED: 3, OUTPUT: 4, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The exit status of a session, from its outcome. When several things went
 * wrong the first that applies decides, in this order: a refused lock; a failed
 * output (what was asked for was not delivered); a reader that went away (not
 * an error: `scrape … | head -1` exits 0); a failed --summary-file; a signal
 * (130/143 even when URLs failed); then any failed URL. Usage errors (2) are
 * thrown before a session starts and never reach here.
 */
export function exitStatus(outcome: Outcome): number {
  if (outcome.kind === 'lock-refused') return EXIT.LOCKED;
  if (outcome.outputFailed) return EXIT.OUTPUT;
  if (outcome.brokenPipe) return EXIT.OK;
  if (outcome.summaryFileFailed) return EXIT.OUTPUT;
  if (outcome.interrupted) return EXIT[outcome.interrupted];
  return outcome.summary.failed > 0 ? EXIT.FAILED : EXIT.OK;
}
