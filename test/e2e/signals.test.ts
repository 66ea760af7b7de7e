/**
 * Real SIGINT/SIGTERM and a really closed stdout pipe to the real binary: stop
 * cleanly, keep every finished record whole. What a signal does to the output
 * (JSON arrays closed, -o renamed, finished records kept) is tested in-process
 * in test/session/signals.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { startCli, type Cli } from '../helpers/run.js';
import type { TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/setup.js';

const N = 30;

function slowList(s: TestServer, ms = 300): string {
  return `${Array.from({ length: N }, (_, i) => s.url(`/slow?ms=${ms}&n=${i}`)).join('\n')}\n`;
}

/** Start a slow run with -c 2 and return once its first record has been written. */
async function startSlowRun(s: TestServer): Promise<Cli> {
  const cli = startCli(['-c', '2', '--no-robots']);
  cli.child.stdin.end(slowList(s));
  await cli.waitForStdout((out) => /\}\s*(\n|,)/.test(out));
  return cli;
}

/** Send the signal; requests that arrive more than 300 ms later (time enough for a busy machine to deliver it) are "late". */
async function stop(cli: Cli, s: TestServer, signal: NodeJS.Signals) {
  const sentAt = Date.now();
  cli.child.kill(signal);
  const r = await cli.done;
  const late = s.requests.filter((q) => q.at > sentAt + 300).map((q) => `${q.url} +${q.at - sentAt}ms`);
  return { r, late, exitMs: Date.now() - sentAt };
}

describe('SIGTERM and SIGINT', () => {
  const server = useServer({ each: true });

  it('SIGTERM: exits 143 soon, after writing only whole records, and starts no new requests', async () => {
    const s = server();
    const cli = await startSlowRun(s);
    const { r, late, exitMs } = await stop(cli, s, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(exitMs).toBeLessThan(5_000);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.records.length).toBeGreaterThanOrEqual(1);
    expect(r.records.length).toBeLessThan(N);
    expect(late).toEqual([]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('SIGINT: exits 130', async () => {
    const s = server();
    const cli = await startSlowRun(s);
    const { r, late } = await stop(cli, s, 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.records.length).toBeLessThan(N);
    expect(late).toEqual([]);
  });
});

describe('closed stdout (| head -1)', () => {
  const server = useServer();

  it('exits soon without a stack trace and stops requesting', async () => {
    const s = server();
    const cli = startCli(['-c', '2', '--no-robots']);
    cli.child.stdin.end(slowList(s, 150));
    await cli.waitForStdout((out) => out.includes('\n'));
    const closedAt = Date.now();
    cli.child.stdout.destroy();
    const r = await cli.done;
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|Error:/);
    const seen = s.requests.length;
    expect(seen).toBeLessThan(N);
    await new Promise((res) => setTimeout(res, 300));
    expect(s.requests.length).toBe(seen);
    expect(s.requests.filter((q) => q.at > closedAt + 1_000)).toEqual([]);
  });
});
