import type { Config } from '../config/resolve.js';
import { toTarget, type Target } from '../input/targets.js';
import type { Reporter } from '../log/reporter.js';
import type { Summary } from '../log/stats.js';
import { run, type RunDeps } from './pipeline.js';

/** Remember the URLs the run takes as they stream past, for --compare's second pass (stdin cannot be read twice). */
export function remember(target: Target, into: string[]): void {
  if (target.kind === 'url') into.push(target.url);
}

async function* replay(urls: readonly string[]): AsyncGenerator<Target> {
  for (const url of urls) yield toTarget(url);
}

/** The baseline is measured, not reported URL by URL. */
function baselineReporter(r: Reporter): Reporter {
  return { ...r, requestDone: () => {}, summary: () => {} };
}

/**
 * --compare: fetch the same URLs again one at a time, writing nothing, and
 * report both wall times. Returns the baseline's summary, or null when a signal
 * came during it (then nothing is reported: the comparison would be unfair).
 */
export async function runBaseline(
  config: Config,
  urls: readonly string[],
  concurrent: Summary,
  deps: Omit<RunDeps, 'writer' | 'changes'>,
  interrupted: () => boolean,
): Promise<Summary | null> {
  deps.reporter.debug('running the sequential baseline', { urls: urls.length });
  const sequential = { ...config, concurrency: 1, perHost: 1 };
  const baseline = await run(sequential, replay(urls), { ...deps, reporter: baselineReporter(deps.reporter), writer: null });
  if (interrupted()) return null;
  deps.reporter.compare(concurrent, baseline.summary);
  return baseline.summary;
}
