/**
 * Issue #3: signals, a reader that goes away, and a destination that fills up.
 * Every record written is whole, nothing half-written is left behind, and the
 * run stops fetching. (test/e2e/signals.test.ts covers the first-signal basics
 * through the binary; test/session/signals.test.ts the grace period in-process.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/setup.js';
import { BIN, ROOT, startCli } from '../helpers/run.js';
import { page, useFaultServer } from './fault-server.js';

const tmpRoot = useTmpDir();

const pageRoute = (delayMs: number) => (_req: unknown, res: import('node:http').ServerResponse): void => {
  setTimeout(() => {
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page('Page'));
  }, delayMs);
};

const until = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('signals', () => {
  const server = useFaultServer({ '/fast': pageRoute(0), '/slow': pageRoute(100), '/hang': () => {} });
  const tmp = useTmpDir();
  const list = (n: number): string =>
    [server().url('/fast?first'), ...Array.from({ length: n }, (_, i) => server().url(`/${i % 3 === 0 ? 'hang' : 'slow'}?i=${i}`))].join('\n');

  it('a second signal exits at once: stdout holds only whole lines; an -o temp file is removed and the old file kept', async () => {
    const dir = join(tmp(), 'second');
    mkdirSync(dir);
    const out = join(dir, 'out.jsonl');
    writeFileSync(out, 'previous run\n');
    const hung = (): number => server().requests.filter((q) => q.pathname === '/hang').length;
    for (const args of [[], ['-o', out]]) {
      const before = hung();
      const cli = startCli(['--no-robots', '-c', '4', '--per-host', '4', '--timeout', '60000', ...args]);
      cli.child.stdin.end(list(30));
      await until(() => hung() >= before + 2);
      cli.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      const secondAt = Date.now();
      cli.child.kill('SIGTERM');
      const r = await cli.done;
      expect(Date.now() - secondAt).toBeLessThan(1_000);
      expect(r.code).toBe(143);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout === '' || r.stdout.endsWith('\n')).toBe(true);
      expect(() => r.records).not.toThrow();
    }
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
    expect(readFileSync(out, 'utf8')).toBe('previous run\n');
  });
});

describe('a reader that goes away: scrape ... | head -1', () => {
  const server = useFaultServer({ '/slow': pageRoute(20) });

  it('exits 0 quietly, with no stack trace, and stops requesting', async () => {
    const urls = Array.from({ length: 200 }, (_, i) => server().url(`/slow?i=${i}`)).join('\n');
    const input = join(mkdtempSync(join(tmpRoot(), 'head-')), 'list.txt');
    writeFileSync(input, urls);
    const script = `"${process.execPath}" "${BIN}" --no-robots -c 1 "${input}" | head -1; echo "scrape exit \${PIPESTATUS[0]}" >&2`;
    // Not spawnSync: the fault server lives in this process and must keep answering.
    const child = spawn('bash', ['-c', script], { cwd: ROOT });
    const r = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (r.stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (r.stderr += d));
    await new Promise((resolve) => child.on('close', resolve));
    const seenAtExit = server().requests.length;
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(r.stderr).toContain('scrape exit 0');
    expect(r.stderr).not.toMatch(/^\s+at |EPIPE|Error:/m);
    // It stops at the first write that fails, a request or two later.
    expect(seenAtExit).toBeLessThan(10);
    rmSync(input, { force: true });
  });
});

/** A 16 KiB tmpfs (root only): the temp file fills it mid-run. */
function mountTiny(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a destination that fills up', () => {
  const server = useFaultServer({ '/page': pageRoute(0) });
  const dir = mkdtempSync(join(tmpdir(), 'scrape-full-'));
  let mounted = false;
  beforeAll(() => {
    mounted = mountTiny(dir);
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const urls = (): string => Array.from({ length: 400 }, (_, i) => server().url(`/page?i=${i}`)).join('\n');

  it('-o on a full disk: one line on stderr, exit 4, no temp file left, and fetching stops', async (ctx) => {
    if (!mounted) ctx.skip();
    const out = join(dir, 'out.jsonl');
    const cli = startCli(['--no-robots', '-c', '2', '-o', out]);
    cli.child.stdin.end(urls());
    const r = await cli.done;
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    const problems = r.stderrLines.filter((l) => !l.startsWith('{'));
    expect(problems).toEqual([expect.stringMatching(/^scrape: cannot write output: ENOSPC/)]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(server().requests.length).toBeLessThan(400);
  });

  it('stdout on a full device (/dev/full): one line on stderr, exit 4', async () => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [BIN, '--no-robots'], { cwd: ROOT, stdio: ['pipe', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin!.end(server().url('/page?devfull'));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(4);
    expect(stderr).toMatch(/^scrape: cannot write output: ENOSPC/m);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
