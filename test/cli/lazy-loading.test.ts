/**
 * Issue 14, start-up: `scrape --version` loads none of the CLI, and a run loads
 * SQLite, the worker pool and the CSV writer only when asked for them
 * (--cache-dir, --workers N or a big page, -f csv). Each process records what
 * it loads (record-loads.cjs); the second test shows that recording sees them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { useServer, useTmpDir, writeList } from '../helpers/setup.js';

const RECORDER = fileURLToPath(new URL('./record-loads.cjs', import.meta.url));

const SQLITE = /^(node:sqlite|better-sqlite3)$/;
const POOL = /(\/dist\/parse\/pool\.js|^node:worker_threads)$/;
const CSV = /\/dist\/write\/formats\/csv\.js$/;

describe('what a process loads', () => {
  const server = useServer();
  const tmp = useTmpDir();
  let runs = 0;

  /** Runs the CLI and returns every module it loaded. */
  async function loadedBy(args: string[]): Promise<string[]> {
    const log = join(tmp(), `loads-${++runs}.txt`);
    const r = await runCli(args, { env: { LOAD_LOG: log, NODE_OPTIONS: `--require ${JSON.stringify(RECORDER)}` } });
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  }

  it('--version loads nothing of the CLI', async () => {
    const loaded = await loadedBy(['--version']);
    expect(loaded.filter((m) => m.includes('/dist/') || m.includes('/node_modules/'))).toEqual([]);
  });

  it('a one-URL run loads no SQLite, worker pool or CSV code', async () => {
    const loaded = await loadedBy([writeList(tmp(), [server().url('/articles/first.html')])]);
    expect(loaded.some((m) => m.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(loaded.filter((m) => SQLITE.test(m) || POOL.test(m) || CSV.test(m))).toEqual([]);
  });

  it('each loads when asked for: --cache-dir, --workers 1, -f csv', async () => {
    const list = writeList(tmp(), [server().url('/articles/first.html')]);
    const loaded = await loadedBy(['--cache-dir', join(tmp(), 'cache'), '--workers', '1', '-f', 'csv', list]);
    expect(loaded.some((m) => SQLITE.test(m))).toBe(true);
    expect(loaded.some((m) => POOL.test(m))).toBe(true);
    expect(loaded.some((m) => CSV.test(m))).toBe(true);
  });
});
