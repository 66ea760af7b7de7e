/** stderr: pino JSON lines, one "fetched" per request, a summary, --quiet, --log-level, no secrets. */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Log, type RunResult } from '../helpers/run.js';
import { refusedPort } from '../helpers/server.js';
import { useServer } from '../helpers/setup.js';

const PATHS = ['/index.html', '/articles/first.html', '/status/404', '/slow?ms=300&a=1', '/slow?ms=300&a=2', '/slow?ms=300&a=3', '/slow?ms=300&a=4'];
const INFO = 30;
const WARN = 40;

const fetched = (logs: readonly Log[]) => logs.filter((l) => l.msg === 'fetched');
const summaries = (logs: readonly Log[]) => logs.filter((l) => l.msg === 'summary');

describe('logs of a normal run', () => {
  const server = useServer();
  let run: RunResult;
  let wall: number;

  beforeAll(async () => {
    const started = Date.now();
    run = await runCli(['-c', '4', '--retries', '0'], { stdin: PATHS.map(server().url).join('\n') });
    wall = Date.now() - started;
  });

  it('writes only JSON lines with level, time and msg to stderr when it is not a TTY', () => {
    expect(run.stderrLines.length).toBeGreaterThan(0);
    expect(run.logs).toHaveLength(run.stderrLines.length);
    for (const l of run.logs) expect(l).toMatchObject({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String) });
  });

  it('writes no logs to stdout', () => {
    for (const r of run.records) expect(r).not.toHaveProperty('msg');
  });

  it('writes one "fetched" line per URL: at info when it worked, at warn with the message when it failed', () => {
    const lines = fetched(run.logs);
    expect(lines.map((l) => l.url).sort()).toEqual(PATHS.map(server().url).sort());
    for (const l of lines) expect(l.level, String(l.url)).toBe(l.error === null ? INFO : WARN);
    expect(lines.find((l) => l.error !== null)).toMatchObject({ error: 'HTTP_STATUS', message: 'HTTP 404' });
  });

  it('gives each "fetched" line the url, status, attempts, ttfbMs, totalMs and error of its record', () => {
    const recs = new Map(run.records.map((r) => [r.url, r]));
    for (const l of fetched(run.logs)) {
      const rec = recs.get(l.url as string)!;
      expect(l, String(l.url)).toMatchObject({
        status: rec.status,
        attempts: rec.attempts,
        ttfbMs: rec.timing.ttfbMs,
        totalMs: rec.timing.totalMs,
        error: rec.error === null ? null : rec.error.code,
      });
    }
  });

  it('gives a failed request the error code as a string', () => {
    expect(fetched(run.logs).find((l) => l.url === server().url('/status/404'))).toMatchObject({ status: 404, error: 'HTTP_STATUS' });
  });

  it('ends with one summary line after every "fetched" line', () => {
    expect(summaries(run.logs)).toHaveLength(1);
    const last = run.logs.map((l) => l.msg).lastIndexOf('fetched');
    expect(run.logs.findIndex((l) => l.msg === 'summary')).toBeGreaterThan(last);
  });

  it('counts total, ok and failed in the summary like the records do', () => {
    const s = summaries(run.logs)[0]!;
    expect(s).toMatchObject({
      total: run.records.length,
      ok: run.records.filter((r) => r.ok).length,
      failed: run.records.filter((r) => !r.ok).length,
    });
  });

  it('gives wall time, rate, percentiles, summed time and parallelism in the summary', () => {
    const s = summaries(run.logs)[0]!;
    for (const k of ['wallMs', 'requestsPerSec', 'p50Ms', 'p95Ms', 'sumMs', 'parallelism']) expect(typeof s[k], k).toBe('number');
    const totals = run.records.map((r) => r.timing.totalMs);
    expect(s.wallMs as number).toBeGreaterThanOrEqual(300);
    expect(s.wallMs as number).toBeLessThanOrEqual(wall);
    expect(s.p50Ms as number).toBeLessThanOrEqual(s.p95Ms as number);
    expect(s.p95Ms as number).toBeLessThanOrEqual(Math.max(...totals));
    expect(s.sumMs as number).toBeGreaterThanOrEqual(4 * 300 - 10);
    expect(s.requestsPerSec as number).toBeGreaterThan(0);
  });

  it('reports parallelism above 1 when slow requests overlapped', () => {
    expect(summaries(run.logs)[0]!.parallelism as number).toBeGreaterThan(1.5);
  });

  it('has no compare line without --compare', () => {
    expect(run.logs.filter((l) => l.msg === 'compare')).toEqual([]);
  });
});

describe('--quiet and --log-level', () => {
  const server = useServer();
  const input = () => [server().url('/index.html'), server().url('/status/404')].join('\n');

  it('--quiet writes only the failures and the summary line (a cron mail shows what went wrong), and still writes the records', async () => {
    const r = await runCli(['--quiet', '--retries', '0'], { stdin: input() });
    expect(fetched(r.logs).map((l) => [l.url, l.level, l.error])).toEqual([[server().url('/status/404'), WARN, 'HTTP_STATUS']]);
    expect(summaries(r.logs)).toMatchObject([{ level: WARN, total: 2, failed: 1 }]);
    expect(r.logs).toHaveLength(2);
    expect(r.records).toHaveLength(2);
  });

  it('--quiet prints nothing at all when every URL worked', async () => {
    const r = await runCli(['--quiet'], { stdin: [server().url('/index.html'), server().url('/articles/first.html')].join('\n') });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.records).toHaveLength(2);
  });

  it('--log-level warn drops info lines', async () => {
    const r = await runCli(['--log-level', 'warn', '--retries', '0'], { stdin: input() });
    expect(r.logs.filter((l) => l.level < 40)).toEqual([]);
    expect(r.records).toHaveLength(2);
  });

  it('--log-level silent writes nothing to stderr', async () => {
    const r = await runCli(['--log-level', 'silent', '--retries', '0'], { stdin: input() });
    expect(r.stderr).toBe('');
    expect(r.records).toHaveLength(2);
  });

  it('--log-level debug keeps the info lines', async () => {
    const r = await runCli(['--log-level', 'debug', '--retries', '0'], { stdin: input() });
    expect(fetched(r.logs)).toHaveLength(2);
    expect(summaries(r.logs)).toHaveLength(1);
  });
});

describe('secrets in logs', () => {
  const server = useServer();

  it('never writes Authorization, Cookie or Proxy-Authorization values to stderr, even at trace', async () => {
    const s = server();
    const secrets = { authorization: 'Bearer SECRET123', cookie: 'session=COOKIE456', 'proxy-authorization': 'Basic PROXY789' };
    const r = await runCli(
      ['--log-level', 'trace', '-H', `Authorization: ${secrets.authorization}`, '-H', `Cookie: ${secrets.cookie}`, '-H', `Proxy-Authorization: ${secrets['proxy-authorization']}`],
      { stdin: [s.url('/index.html'), s.url('/flaky?fails=1'), s.url('/status/404'), s.url('/redirect/1')].join('\n') },
    );
    expect(s.requests.find((q) => q.pathname === '/index.html')?.headers).toMatchObject(secrets);
    expect(r.logs.length).toBeGreaterThan(0);
    for (const token of ['SECRET123', 'COOKIE456', 'PROXY789']) expect(r.stderr).not.toContain(token);
  });

  it('never writes the password of a URL to the logs: user:***@ (issue 13)', async () => {
    const s = server();
    const withUser = (path: string) => s.url(path).replace('http://', 'http://alice-user:hunter2pw@');
    const dead = `http://alice-user:hunter2pw@127.0.0.1:${await refusedPort()}/`;
    const r = await runCli(['--log-level', 'trace', '--retries', '0'], {
      stdin: [withUser('/index.html'), withUser('/status/404'), withUser('/redirect/1'), dead].join('\n'),
    });
    expect(r.logs.length).toBeGreaterThan(0);
    expect(r.stderr).not.toContain('hunter2pw');
    expect(r.stderr).toContain('alice-user:***@');
  });
});
