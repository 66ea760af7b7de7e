/**
 * --max-time: at the deadline no request starts, requests in flight get the
 * grace period, and every input URL without a record gets a DEADLINE one, so
 * the output still has one record per input URL (issue: "Run deadlines").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duration } from '../../src/config/value-parsers.js';
import { configOf, inProcess } from '../helpers/session.js';
import { useServer, useTmpDir } from '../helpers/setup.js';

describe('--max-time values', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    ['500ms', 500],
  ])('%s is %i ms', (text, ms) => {
    expect(duration(text, '--max-time')).toBe(ms);
  });

  it.each(['', 'soon', '-5', '0', '5d', '1h30m'])('"%s" is a usage error', (text) => {
    expect(() => configOf({ options: { maxTime: text } })).toThrow('--max-time must be a duration such as 90 (seconds), 90s, 15m or 2h');
  });
});

describe('a run that reaches --max-time', () => {
  const server = useServer();
  const tmp = useTmpDir();

  it('finishes what is in flight, gives every other URL a DEADLINE record without a request, and exits 1', async () => {
    const tag = `dl${Date.now()}`;
    // 4 at a time, 300 ms each, deadline at 450 ms: 8 started (4, then 4 more at 300 ms; only 4
    // if the machine is slow), the rest never requested, most not even read from the input by then.
    const urls = Array.from({ length: 608 }, (_, i) => server().url(`/slow?ms=300&${tag}=${i}`));
    const r = await inProcess({ options: { maxTime: '450ms', concurrency: '4', robots: false }, stdin: urls.join('\n') });
    expect(r.exitCode).toBe(1);
    expect(r.outcome).toMatchObject({ kind: 'ran', deadlineReached: true, interrupted: null });
    expect(r.records.map((x) => x.url).sort()).toEqual([...urls].sort());
    const requested = new Set(server().requests.filter((q) => q.url.includes(tag)).map((q) => server().url(q.url)));
    expect(requested.size).toBeGreaterThanOrEqual(4);
    expect(requested.size).toBeLessThanOrEqual(8);
    const cut = 608 - requested.size;
    for (const rec of r.records) {
      if (requested.has(rec.url)) expect(rec, rec.url).toMatchObject({ ok: true, status: 200 });
      else expect(rec, rec.url).toMatchObject({ ok: false, status: null, attempts: 0, error: { code: 'DEADLINE', message: 'not requested: --max-time reached before its turn' } });
    }
    const summary = r.logs.find((l) => l.msg === 'summary');
    expect(summary).toMatchObject({ deadlineReached: true, failed: cut, errors: { DEADLINE: cut } });
    expect(r.logs.find((l) => l.msg.startsWith('--max-time reached'))).toBeDefined();
  });

  it('aborts a request still in flight when the grace period ends: DEADLINE with its attempt counted', async () => {
    const r = await inProcess({ options: { maxTime: '200ms', robots: false }, overrides: { graceMs: 200 }, stdin: `${server().url('/hang')}\n${server().url('/index.html')}` });
    expect(r.exitCode).toBe(1);
    const hang = r.records.find((x) => x.url.endsWith('/hang'));
    expect(hang).toMatchObject({ ok: false, status: null, attempts: 1, error: { code: 'DEADLINE', message: '--max-time reached after 1 attempt' } });
    expect(hang!.timing.totalMs).toBeGreaterThanOrEqual(350);
    expect(r.records.find((x) => x.url.endsWith('/index.html'))).toMatchObject({ ok: true });
  });

  it('cuts a retry\'s wait short: DEADLINE, not the wait', async () => {
    const url = server().url(`/flaky?fails=5&status=503&retryAfter=5&dl=${Date.now()}`);
    const started = Date.now();
    const r = await inProcess({ options: { maxTime: '300ms', robots: false, retries: '3' }, stdin: url });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.records).toMatchObject([{ ok: false, attempts: 1, error: { code: 'DEADLINE' } }]);
    expect(r.records[0]!.timing.waitMs).toBeGreaterThanOrEqual(250);
  });

  it('a run that ends before its deadline is untouched', async () => {
    const r = await inProcess({ options: { maxTime: '30s', robots: false }, stdin: server().url('/index.html') });
    expect(r.exitCode).toBe(0);
    expect(r.outcome).toMatchObject({ deadlineReached: false });
    expect(r.logs.find((l) => l.msg === 'summary')).not.toHaveProperty('deadlineReached');
  });

  it('with --resume, the next run fetches exactly the URLs that got DEADLINE', async () => {
    const out = join(tmp(), 'out.jsonl');
    const tag = `dlr${Date.now()}`;
    const urls = Array.from({ length: 12 }, (_, i) => server().url(`/slow?ms=200&${tag}=${i}`));
    const first = await inProcess({ options: { maxTime: '300ms', concurrency: '2', robots: false, output: out, resume: true }, stdin: urls.join('\n') });
    const cut = first.outcome.kind === 'ran' ? first.outcome.summary.errors.DEADLINE ?? 0 : 0;
    expect(cut).toBeGreaterThan(0);
    const before = server().requests.filter((q) => q.url.includes(tag)).length;
    const second = await inProcess({ options: { robots: false, output: out, resume: true }, stdin: urls.join('\n') });
    expect(second.exitCode).toBe(0);
    expect(server().requests.filter((q) => q.url.includes(tag)).length - before).toBe(cut);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { url: string; ok: boolean });
    // Every URL ends with a good record; the DEADLINE ones stay above their retry.
    expect(new Set(lines.filter((l) => l.ok).map((l) => l.url))).toEqual(new Set(urls));
    expect(lines).toHaveLength(12 + cut);
  });
});
