import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a scraping run, set before the pipeline loads. Measured with
 * `npm run bench` on a 2-core, 24 GB machine (see bench/RESULTS.md):
 *
 * - `--heap-growing-percent=50`: V8 sizes the old generation from the machine's
 *   RAM and lets it grow to ~4x the live heap between full GCs. A run's live
 *   heap is 15-30 MB, but records and request state that outlive a scavenge pile
 *   up as garbage until then: peak RSS 180 MB for a 100,000-URL list. Growing by
 *   1.5x instead keeps it near 125 MB for about 2-5 % more CPU (full GCs of a small
 *   heap take 2-3 ms). Read at every GC, so setting it at run time works.
 * - `--liftoff-only`: undici's HTTP parser is WebAssembly; V8 compiles it a
 *   second time with its optimising compiler in the background, which took
 *   ~35 MB of RSS (at exit, for a short run) and made no measurable difference
 *   to pages/s. Must be set before undici first compiles it (its first request).
 *
 * Flags are process-wide; nothing else in scrape runs WebAssembly.
 */
export function tuneV8ForScraping(): void {
  setFlagsFromString('--heap-growing-percent=50');
  setFlagsFromString('--liftoff-only');
}
