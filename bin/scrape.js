#!/usr/bin/env node
// Runs the compiled CLI (built by `npm run build`, which `npm install` runs via `prepare`).
// Kept as plain JS so start-up never compiles TypeScript.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);

// `scrape --version` alone is answered before the CLI loads: the CLI (commander
// and the option table) would make it ~1.3x a bare `node -e 0`; this is ~1.05x
// (bench/RESULTS.md, start-up). The same package.json that platform/version.ts
// reads, so the two can never disagree; every other form (`-V` among other
// arguments, `--help`) goes through commander as before.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');

  let finished = false;
  // If the event loop ever drains before the run has finished, something awaited a
  // handle that was let go: say so and fail, rather than exit 0 with records missing.
  process.on('exit', (code) => {
    if (!finished && code === 0) {
      process.stderr.write('scrape: internal error: the run stopped before it finished\n');
      process.exitCode = 70;
    }
  });

  main(argv).then(
    (code) => {
      finished = true;
      // Exit explicitly: an idle stdin or keep-alive socket must not keep a cron job alive.
      // stdout and stderr writes to files and pipes are synchronous on POSIX, so nothing is lost.
      process.exit(code);
    },
    (err) => {
      finished = true;
      // A bug, not a usage error or a URL's failure: show it whole so it can be reported.
      console.error(err);
      process.exit(70);
    },
  );
}
