// Preloaded with `node --import` by measure.mjs when GNU /usr/bin/time is not
// available: writes this process's CPU time and peak RSS at exit.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  delete process.env.BENCH_RUSAGE_FILE; // not inherited by the runner's own children
  process.on('exit', () => {
    const r = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userS: r.userCPUTime / 1e6, sysS: r.systemCPUTime / 1e6, maxRssKB: r.maxRSS }));
  });
}
