import type { Outcome } from './outcome.js';

/** The exit codes scrape's README documents. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, LOCKED: 3, OUTPUT: 4, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The exit status of a session, from its outcome. A run that never started
 * has its own code (2, 3). For one that ran, when several things went wrong
 * the first that applies decides, in this order: a failed output (what was
 * asked for was not delivered); a reader that went away (not an error:
 * `scrape … | head -1` exits 0); a failed --summary-file; a signal (130/143
 * even when URLs failed); then any failed URL or a --max-time deadline reached.
 */
export function exitStatus(outcome: Outcome): number {
  if (outcome.kind === 'usage-error') return EXIT.USAGE;
  if (outcome.kind === 'lock-refused') return EXIT.LOCKED;
  if (outcome.outputFailed) return EXIT.OUTPUT;
  if (outcome.brokenPipe) return EXIT.OK;
  if (outcome.summaryFileFailed) return EXIT.OUTPUT;
  if (outcome.interrupted) return EXIT[outcome.interrupted];
  return outcome.summary.failed > 0 || outcome.deadlineReached ? EXIT.FAILED : EXIT.OK;
}
