/** SIGINT/SIGTERM and a closed stdout: stop cleanly, keep every finished record whole. */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, type Cli, type Rec } from '../helpers/run.js';
import type { TestServer } from '../helpers/server.js';
import { useServer, useTmpDir } from '../helpers/setup.js';

const N = 30;

function slowList(s: TestServer, ms = 300): string {
  return `${Array.from({ length: N }, (_, i) => s.url(`/slow?ms=${ms}&n=${i}`)).join('\n')}\n`;
}

/** Start a slow run with -c 2 and return once its first record has been written (or, with -o, fetched). */
async function startSlowRun(s: TestServer, args: readonly string[] = []): Promise<Cli> {
  const cli = startCli(['-c', '2', '--no-robots', ...args]);
  cli.child.stdin.end(slowList(s));
  if (args.includes('-o')) {
    const deadline = Date.now() + 10_000;
    while (s.requests.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  } else {
    await cli.waitForStdout((out) => /\}\s*(\n|,)/.test(out));
  }
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
  const tmp = useTmpDir();

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

  it('SIGTERM with --format json: closes the array so the whole stdout parses', async () => {
    const s = server();
    const cli = await startSlowRun(s, ['--format', 'json']);
    const { r } = await stop(cli, s, 'SIGTERM');
    expect(r.code).toBe(143);
    const records = JSON.parse(r.stdout) as Rec[];
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.length).toBeLessThan(N);
  });

  it('SIGTERM with -o: renames a complete file into place and leaves no temp file', async () => {
    const s = server();
    const dir = join(tmp(), 'sigterm-out');
    mkdirSync(dir);
    const out = join(dir, 'records.json');
    const cli = await startSlowRun(s, ['-o', out, '-f', 'json']);
    const { r } = await stop(cli, s, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(true);
    expect(Array.isArray(JSON.parse(readFileSync(out, 'utf8')))).toBe(true);
    expect(readdirSync(dir)).toEqual(['records.json']);
  });

  it('writes the record of every request that finished before the signal', async () => {
    const s = server();
    const cli = await startSlowRun(s);
    await new Promise((res) => setTimeout(res, 400)); // let a few more finish
    const sentAt = Date.now();
    const { r } = await stop(cli, s, 'SIGTERM');
    const finished = s.requests.filter((q) => q.finishedAt !== null && q.finishedAt < sentAt - 100).map((q) => s.url(q.url));
    expect(finished.length).toBeGreaterThanOrEqual(2);
    const written = new Set(r.records.map((x) => x.url));
    for (const url of finished) expect(written.has(url), url).toBe(true);
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
