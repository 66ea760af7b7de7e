/** The exit codes scrape's README documents. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, LOCKED: 3, OUTPUT: 4, SIGINT: 130, SIGTERM: 143 } as const;
