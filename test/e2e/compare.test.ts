/** --compare: a sequential baseline after the concurrent run, reported on stderr only. */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Log, type RunResult } from '../helpers/run.js';
import { byUrl, useServer } from '../helpers/setup.js';

const N = 8;
const MS = 150;

describe('--compare', () => {
  const server = useServer();
  let run: RunResult;
  let compare: Log | undefined;

  beforeAll(async () => {
    const urls = Array.from({ length: N }, (_, i) => server().url(`/slow?ms=${MS}&page=${i}`));
    run = await runCli(['--compare', '-c', '4', '--no-robots'], { stdin: [...urls, urls[0], 'not-a-url'].join('\n'), timeoutMs: 25_000 });
    compare = run.logs.find((l) => l.msg === 'compare');
  });

  it('still writes exactly one record per URL on stdout', () => {
    expect(byUrl(run.records).size).toBe(N + 1);
    expect(run.records).toHaveLength(N + 1);
  });

  it('logs one compare line with both wall times and the speedup', () => {
    expect(run.logs.filter((l) => l.msg === 'compare')).toHaveLength(1);
    expect(compare).toMatchObject({ concurrentWallMs: expect.any(Number), sequentialWallMs: expect.any(Number), speedup: expect.any(Number) });
  });

  it('measures a sequential baseline at least as long as the URLs one after another', () => {
    expect(compare!.sequentialWallMs as number).toBeGreaterThanOrEqual(N * MS - 20);
  });

  it('reports a speedup above 1.5 for slow pages fetched 4 at a time', () => {
    expect(compare!.speedup as number).toBeGreaterThan(1.5);
  });

  it('reports the speedup as the sequential wall time over the concurrent one', () => {
    const ratio = (compare!.sequentialWallMs as number) / (compare!.concurrentWallMs as number);
    expect(compare!.speedup as number).toBeCloseTo(ratio, 1);
  });
});
