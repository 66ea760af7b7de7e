#!/usr/bin/env node
// Runs the compiled CLI (built by `npm run build`, which `npm install` runs via `prepare`).
// Kept as plain JS so start-up never compiles TypeScript.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    // Exit explicitly: an idle stdin or keep-alive socket must not keep a cron job alive.
    // stdout and stderr writes to files and pipes are synchronous on POSIX, so nothing is lost.
    process.exit(code);
  },
  (err) => {
    // A bug, not a usage error or a URL's failure: show it whole so it can be reported.
    console.error(err);
    process.exit(70);
  },
);
