/** Outcome → exit status: every documented code, and which one wins when several apply (README "Exit status"). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/log/stats.js';
import { EXIT, exitStatus } from '../../src/session/exit-status.js';
import type { Outcome, Ran } from '../../src/session/outcome.js';

const summary = (failed: number): Summary => ({
  total: 10,
  ok: 10 - failed,
  failed,
  wallMs: 100,
  requestsPerSec: 100,
  p50Ms: 5,
  p95Ms: 9,
  sumMs: 60,
  parallelism: 0.6,
  errors: failed > 0 ? { HTTP_STATUS: failed } : {},
});

/** A run that finished, with `facts` on top. */
const ran = (facts: Partial<Ran> = {}): Outcome => ({
  kind: 'ran',
  summary: summary(0),
  abandoned: 0,
  interrupted: null,
  deadlineReached: false,
  brokenPipe: false,
  outputFailed: null,
  summaryFileFailed: null,
  baseline: null,
  ...facts,
});

const failed = summary(2);
const disk = { message: 'cannot write output: ENOSPC' };
const summaryFile = { message: 'cannot write --summary-file: EACCES' };

describe('exitStatus', () => {
  it.each<[string, Outcome, number]>([
    ['every URL ok', ran(), 0],
    ['an empty list', ran({ summary: { ...summary(0), total: 0, ok: 0 } }), 0],
    ['a --compare run, every URL ok', ran({ baseline: summary(0) }), 0],
    ['some URL failed', ran({ summary: failed }), 1],
    ['some URL failed, with URLs abandoned in flight', ran({ summary: failed, abandoned: 3 }), 1],
    ['a file the run needs cannot be opened', { kind: 'usage-error', message: 'cannot open --cache-dir "c": ENOTDIR' }, 2],
    ['another run holds the lock', { kind: 'lock-refused', message: 'another scrape run (pid 7 on h) is using --output "o"' }, 3],
    ['the output failed', ran({ outputFailed: disk }), 4],
    ['the output failed, and URLs failed', ran({ outputFailed: disk, summary: failed }), 4],
    ['the output failed after a signal', ran({ outputFailed: disk, interrupted: 'SIGINT' }), 4],
    ['the output failed, then the reader went away', ran({ outputFailed: disk, brokenPipe: true }), 4],
    ['the reader of stdout went away', ran({ brokenPipe: true }), 0],
    ['the reader went away, and URLs failed', ran({ brokenPipe: true, summary: failed }), 0],
    ['the reader went away after a signal', ran({ brokenPipe: true, interrupted: 'SIGTERM' }), 0],
    ['the summary file failed', ran({ summaryFileFailed: summaryFile }), 4],
    ['the summary file failed, and URLs failed', ran({ summaryFileFailed: summaryFile, summary: failed }), 4],
    ['the summary file failed after a signal', ran({ summaryFileFailed: summaryFile, interrupted: 'SIGINT' }), 4],
    ['SIGINT', ran({ interrupted: 'SIGINT' }), 130],
    ['SIGTERM', ran({ interrupted: 'SIGTERM' }), 143],
    ['SIGINT, with URLs failed', ran({ interrupted: 'SIGINT', summary: failed }), 130],
    ['SIGTERM, with URLs abandoned in flight', ran({ interrupted: 'SIGTERM', abandoned: 2 }), 143],
    ['--max-time reached (its URLs have DEADLINE records)', ran({ deadlineReached: true, summary: failed }), 1],
    ['--max-time reached as the last record was written', ran({ deadlineReached: true }), 1],
    ['--max-time reached, then SIGINT', ran({ deadlineReached: true, interrupted: 'SIGINT', summary: failed }), 130],
  ])('%s → %i', (_what, outcome, code) => {
    expect(exitStatus(outcome)).toBe(code);
  });

  it('knows exactly the codes the README documents', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit status'), readme.indexOf('\n## ', readme.indexOf('## Exit status') + 1));
    const documented = [...section.matchAll(/^\| ([\d /]+) \|/gm)].flatMap((m) => m[1]!.split('/').map((c) => Number(c.trim())));
    expect(documented.sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });
});
