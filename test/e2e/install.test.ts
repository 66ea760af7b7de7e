/**
 * Issue 14: `npm install` of the package succeeds on a machine with no C/C++
 * compiler, and everything but --cache-dir works there; --cache-dir works
 * where the runtime has node:sqlite, and otherwise exits 2 saying how to get it.
 * The package is packed from this checkout and installed into a temp folder
 * with the compiler hidden (test/helpers/install.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_HELP } from '../../src/cache/sqlite.js';
import { COMPILERS, installPacked, type InstalledApp, which } from '../helpers/install.js';
import { packageVersion, parseRecords } from '../helpers/run.js';
import { useServer, useTmpDir, writeList } from '../helpers/setup.js';

describe('installed from the packed package without a compiler', () => {
  const tmp = useTmpDir();
  const server = useServer();
  let app: InstalledApp;

  beforeAll(() => {
    app = installPacked(tmp(), { hideCompiler: true });
  }, 180_000);

  // Asynchronous: the fixture server runs in this process and must keep answering.
  const scrape = (args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = execFile(app.bin('scrape'), args, { cwd: app.dir, env: app.env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    });

  it('installs with no compiler on PATH', () => {
    for (const tool of COMPILERS) expect(which(tool, app.env.PATH), tool).toBeNull();
    expect(existsSync(join(app.dir, 'node_modules', 'scrapeline', 'dist', 'cli', 'main.js'))).toBe(true);
  });

  it('scrape --version', async () => {
    const r = await scrape(['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${packageVersion()}\n`);
  });

  it('scrapes a local server', async () => {
    const list = writeList(tmp(), [server().url('/articles/first.html'), server().url('/status/404')]);
    const r = await scrape(['-s', 'h1=h1', list]);
    expect(r.status, r.stderr).toBe(1);
    const records = parseRecords(r.stdout);
    expect(records.map((rec) => [rec.ok, rec.status])).toEqual(expect.arrayContaining([[true, 200], [false, 404]]));
  });

  it('imports as a library by its name, through the exports map, types included', async () => {
    const main = join(app.dir, 'use.mjs');
    writeFileSync(
      main,
      [
        "import { scrape, ERROR_CODES } from 'scrapeline';",
        'const run = scrape(process.argv.slice(2), { select: ["h1=h1"], retries: 0 });',
        'for await (const r of run) console.log(JSON.stringify([r.ok, r.status, r.data.h1 ?? null]));',
        'console.log(JSON.stringify((await run.summary).errors), ERROR_CODES.includes("HTTP_STATUS"));',
      ].join('\n'),
    );
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [main, server().url('/articles/first.html'), server().url('/status/404')], { cwd: app.dir, env: app.env }, (err, stdout, stderr) =>
        err ? reject(new Error(stderr)) : resolve(stdout),
      ),
    );
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(expect.arrayContaining([JSON.stringify([false, 404, null]), expect.stringMatching(/^\[true,200,"/)]));
    expect(lines[2]).toBe('{"HTTP_STATUS":1} true');
    expect(existsSync(join(app.dir, 'node_modules', 'scrapeline', 'dist', 'index.d.ts'))).toBe(true);
  });

  it('runs the demo', async () => {
    const r = await scrape(['demo', '--latency', '20']);
    expect(r.status, r.stderr).toBe(0);
    expect(parseRecords(r.stdout).filter((rec) => rec.ok).length).toBeGreaterThan(20);
  });

  it('--cache-dir works where SQLite is to be had, and otherwise exits 2 saying how to get it', async () => {
    const list = writeList(tmp(), [server().url('/articles/first.html')]);
    const r = await scrape(['--cache-dir', join(tmp(), 'cache'), list]);
    const builtin = process.getBuiltinModule('node:sqlite') !== undefined;
    // A prebuilt better-sqlite3 needs no compiler, but fetching one needs more than the npm registry.
    const addon = existsSync(join(app.dir, 'node_modules', 'better-sqlite3', 'build'));
    if (builtin || addon) {
      expect(r.status, r.stderr).toBe(0);
      expect(parseRecords(r.stdout)[0]?.changed).toBe(true);
    } else {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`scrape: ${SQLITE_HELP}\n`);
    }
  });
});
