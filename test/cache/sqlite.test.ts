/**
 * Issue 14: --cache-dir is the only feature that needs SQLite, from node:sqlite
 * (Node >= 22.13) or the optional better-sqlite3. Without either, a run with
 * --cache-dir exits 2 with one line saying how to get it, and every other run
 * is unaffected.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SQLITE_HELP } from '../../src/cache/sqlite.js';
import { runCli } from '../helpers/run.js';
import { expectUsageError, useServer, useTmpDir, writeList } from '../helpers/setup.js';

const HIDE = fileURLToPath(new URL('./without-better-sqlite3.cjs', import.meta.url));

/** NODE_OPTIONS for a runtime with no SQLite at all: better-sqlite3 missing, node:sqlite switched off where it exists. */
function withoutSqlite(): Record<string, string> {
  const off = process.allowedNodeEnvironmentFlags.has('--no-experimental-sqlite') ? ' --no-experimental-sqlite' : '';
  return { NODE_OPTIONS: `--require ${JSON.stringify(HIDE)}${off}` };
}

describe('without any SQLite driver', () => {
  const server = useServer({ each: true });
  const tmp = useTmpDir();

  it('--cache-dir exits 2 with one line that says how to get SQLite, before any request', async () => {
    const list = writeList(tmp(), [server().url('/articles/first.html')]);
    const r = await runCli(['--cache-dir', join(tmp(), 'cache'), list], { env: withoutSqlite() });
    expectUsageError(r, server());
    expect(r.stderr).toBe(`scrape: ${SQLITE_HELP}\n`);
    // The lock is let go on the way out.
    expect(existsSync(join(tmp(), 'cache', 'lock'))).toBe(false);
  });

  it('a run without --cache-dir does not need it', async () => {
    const list = writeList(tmp(), [server().url('/articles/first.html')]);
    const r = await runCli([list], { env: withoutSqlite() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.records.map((rec) => rec.ok)).toEqual([true]);
  });
});
