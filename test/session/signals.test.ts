/**
 * SIGINT and SIGTERM delivered to a session in-process through io.onSignal:
 * the first stops dispatching and lets requests in flight finish for the grace
 * period; every finished record is written whole. test/e2e/signals.test.ts and
 * test/faults/shutdown.test.ts send real signals to the real binary.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rec } from '../helpers/run.js';
import type { TestServer } from '../helpers/server.js';
import { startInProcess, until, type LiveSession, type SessionOptions } from '../helpers/session.js';
import { useServer, useTmpDir } from '../helpers/setup.js';

const N = 30;

const slowList = (s: TestServer, ms = 300): string => Array.from({ length: N }, (_, i) => s.url(`/slow?ms=${ms}&n=${i}`)).join('\n');

/** A slow run at -c 2, returned once its first record is out (on stdout, or with -o once requests are flowing). */
async function startSlowRun(s: TestServer, options: SessionOptions['options'] = {}): Promise<LiveSession> {
  const live = startInProcess({ options: { concurrency: '2', robots: false, ...options }, stdin: slowList(s) });
  if (options.output) await until(() => s.requests.length >= 3);
  else await live.waitForStdout((out) => /\}\s*(\n|,)/.test(out));
  return live;
}

describe('the first signal', () => {
  const server = useServer({ each: true });
  const tmp = useTmpDir();

  it('SIGINT: writes the record of every request finished before it, starts no new request, exit 130', async () => {
    const s = server();
    const live = await startSlowRun(s);
    await new Promise((res) => setTimeout(res, 400)); // let a few more finish
    const sentAt = Date.now();
    live.signal('SIGINT');
    const r = await live.done;
    expect(r.outcome).toMatchObject({ kind: 'ran', interrupted: 'SIGINT', brokenPipe: false, outputFailed: null });
    expect(r.exitCode).toBe(130);
    const finished = s.requests.filter((q) => q.finishedAt !== null && q.finishedAt < sentAt).map((q) => s.url(q.url));
    expect(finished.length).toBeGreaterThanOrEqual(2);
    const written = new Set(r.records.map((x) => x.url));
    for (const url of finished) expect(written.has(url), url).toBe(true);
    expect(r.records.length).toBeLessThan(N);
    // A request dispatched just before the signal may reach the server a little after it.
    expect(s.requests.filter((q) => q.at > sentAt + 200)).toEqual([]);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.logs.find((l) => l.level === 40)?.msg).toBe('SIGINT: finishing requests in flight (up to 2000 ms); send again to quit at once');
    expect(r.logs.find((l) => l.msg === 'summary')).toMatchObject({ interrupted: 'SIGINT', total: r.records.length });
  });

  it('SIGTERM with --format json: closes the array so the whole stdout parses, exit 143', async () => {
    const live = await startSlowRun(server(), { format: 'json' });
    live.signal('SIGTERM');
    const r = await live.done;
    expect(r.exitCode).toBe(143);
    const records = JSON.parse(r.stdout) as Rec[];
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.length).toBeLessThan(N);
  });

  it('SIGTERM with -o: renames a complete file into place and leaves no temp file', async () => {
    const dir = join(tmp(), 'sigterm-out');
    mkdirSync(dir);
    const out = join(dir, 'records.json');
    const live = await startSlowRun(server(), { output: out, format: 'json' });
    live.signal('SIGTERM');
    const r = await live.done;
    expect(r.exitCode).toBe(143);
    expect(r.stdout).toBe('');
    expect(Array.isArray(JSON.parse(readFileSync(out, 'utf8')))).toBe(true);
    expect(readdirSync(dir)).toEqual(['records.json']);
  });

  it('abandons requests still in flight when the grace period ends: they have no record; the CSV file is whole', async () => {
    const s = server();
    const dir = join(tmp(), 'grace');
    mkdirSync(dir);
    const out = join(dir, 'out.csv');
    const urls = [s.url('/index.html?first'), ...Array.from({ length: 30 }, (_, i) => s.url(i % 3 === 0 ? `/hang?i=${i}` : `/slow?ms=100&i=${i}`))];
    const live = startInProcess({
      options: { robots: false, concurrency: '4', perHost: '4', timeout: '60000', format: 'csv', output: out },
      overrides: { graceMs: 300 },
      stdin: urls.join('\n'),
    });
    await until(() => s.requests.filter((q) => q.pathname === '/hang').length >= 2);
    const sentAt = Date.now();
    live.signal('SIGINT');
    const r = await live.done;
    const took = Date.now() - sentAt;
    expect(r.exitCode).toBe(130);
    if (r.outcome.kind !== 'ran') throw new Error(r.outcome.kind);
    const { abandoned } = r.outcome;
    expect(abandoned).toBeGreaterThanOrEqual(2);
    // The grace period, not the 60 s timeout.
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(3_000);
    expect(r.logs.some((l) => l.msg === `${abandoned} requests abandoned in flight; they have no record`)).toBe(true);
    expect(readdirSync(dir)).toEqual(['out.csv']);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toMatch(/^url,ok,status/);
    // Whole rows only, and none for a hung URL.
    for (const row of lines.slice(1, -1)) expect(row).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(index\.html|slow)\?[^,]*,true,200,/);
    expect(lines.length - 2).toBeGreaterThanOrEqual(1);
  });
});

describe('a second signal', () => {
  const server = useServer({ each: true });
  const tmp = useTmpDir();

  it('leaves at once with the first signal\'s status: the -o temp file is removed, the old file kept, the lock released', async () => {
    const s = server();
    const dir = join(tmp(), 'second');
    mkdirSync(dir);
    const out = join(dir, 'out.jsonl');
    writeFileSync(out, 'previous run\n');
    const urls = Array.from({ length: 12 }, (_, i) => s.url(`/hang?i=${i}`));
    const live = startInProcess({ options: { robots: false, concurrency: '4', output: out }, overrides: { graceMs: 100 }, stdin: urls.join('\n') });
    await until(() => s.requests.length >= 2);
    live.signal('SIGTERM');
    live.signal('SIGINT');
    expect(live.exits).toEqual([143]);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
    expect(readFileSync(out, 'utf8')).toBe('previous run\n');
    expect(existsSync(`${out}.lock`)).toBe(false);
    // In a real process exitNow never returns; here the run winds down after its grace, and still leaves the old file.
    await live.done;
    expect(readFileSync(out, 'utf8')).toBe('previous run\n');
  });
});
