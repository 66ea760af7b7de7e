/** --summary-file: the end-of-run summary as one JSON document, written atomically. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../helpers/run.js';
import { inProcess } from '../helpers/session.js';
import { useServer, useTmpDir } from '../helpers/setup.js';

describe('--summary-file', () => {
  const server = useServer();
  const tmp = useTmpDir();

  it('writes the run\'s summary, counts and times as one JSON document', async () => {
    const file = join(tmp(), 'summary.json');
    const s = server();
    const r = await inProcess({
      options: { summaryFile: file, retries: '0', cacheDir: join(tmp(), 'cache') },
      stdin: [s.url('/index.html'), s.url('/articles/first.html'), s.url('/status/500'), 'nope'].join('\n'),
    });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(doc).toMatchObject({
      total: 4,
      ok: 2,
      failed: 2,
      errors: { HTTP_STATUS: 1, INVALID_URL: 1 },
      interrupted: null,
      written: 4,
      skipped: 0,
      changed: 2,
      unchanged: 0,
    });
    for (const k of ['wallMs', 'p50Ms', 'p95Ms', 'parallelism', 'requestsPerSec', 'sumMs']) expect(typeof doc[k], k).toBe('number');
    expect(doc.version).toBe(packageVersion());
    expect(Date.parse(doc.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(doc.startedAt as string));
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    // Atomic: no temp file left beside it.
    expect(readdirSync(tmp()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('has null changed/unchanged without --cache-dir', async () => {
    const file = join(tmp(), 'plain.json');
    await inProcess({ options: { summaryFile: file }, stdin: server().url('/index.html') });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ total: 1, changed: null, unchanged: null });
  });

  it('takes its start and end times from the session\'s clock', async () => {
    const file = join(tmp(), 'clocked.json');
    const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5), monotonic: () => performance.now() };
    await inProcess({ options: { summaryFile: file }, stdin: server().url('/index.html'), clock });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ startedAt: '2026-01-02T03:04:05.000Z', finishedAt: '2026-01-02T03:04:05.000Z' });
  });
});
