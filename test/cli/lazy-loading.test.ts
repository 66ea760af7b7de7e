/**
 * Issue 14, start-up: `scrape --version` loads none of the CLI, and a run loads
 * SQLite, the worker pool and the CSV writer only when asked for them
 * (--cache-dir, --workers N or a big page, -f csv), and the DOM path (parse5,
 * cheerio) only when a page needs it. Each process records what it loads
 * (record-loads.cjs); the tests that expect a module show that recording sees it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, type RunResult } from '../helpers/run.js';
import { useServer, useTmpDir, writeList } from '../helpers/setup.js';

const RECORDER = fileURLToPath(new URL('./record-loads.cjs', import.meta.url));

const SQLITE = /^(node:sqlite|better-sqlite3)$/;
const POOL = /(\/dist\/parse\/pool\.js|^node:worker_threads)$/;
const CSV = /\/dist\/write\/formats\/csv\.js$/;
const DOM_PATH = /\/node_modules\/(parse5|cheerio)\/.*\.js$/;
const CSS_WHAT = /\/node_modules\/css-what\//;

describe('what a process loads', () => {
  const server = useServer();
  const tmp = useTmpDir();
  let runs = 0;

  /** Runs the CLI and returns every module it loaded. */
  async function loadedBy(args: string[], stdin?: string): Promise<string[]> {
    return (await run(args, stdin)).loaded;
  }

  /** Runs the CLI; what it printed and every module it loaded. */
  async function run(args: string[], stdin?: string): Promise<{ result: RunResult; loaded: string[] }> {
    const log = join(tmp(), `loads-${++runs}.txt`);
    const result = await runCli(args, { stdin, env: { LOAD_LOG: log, NODE_OPTIONS: `--require ${JSON.stringify(RECORDER)}` } });
    expect(result.code, result.stderr).toBe(0);
    return { result, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
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

  it('a run whose pages all stream loads no parse5 or cheerio', async () => {
    const urls = [server().url('/articles/first.html'), server().url('/index.html')];
    const { result, loaded } = await run(['-s', 'byline=p', '-s', 'links[]=a@href'], `${urls.join('\n')}\n`);
    expect(result.records.map((r) => r.ok)).toEqual([true, true]);
    expect(loaded.filter((m) => DOM_PATH.test(m))).toEqual([]);
  });

  // The first page streams, /misnested needs the DOM path, which loads then:
  // after the selectors were checked and the run (and stdin) started.
  it.each([
    ['on standard input', [], true],
    ['in a list file', [], false],
    ['with --workers 1', ['--workers', '1'], true],
  ])('a page that needs the DOM path loads it and gets the HTML Standard\'s answer: URLs %s', async (_how, extra, piped) => {
    const urls = [server().url('/articles/first.html'), server().url('/misnested')];
    const args = ['-s', 'a[]=a', '-s', 'title=title', ...extra];
    const { result, loaded } = piped ? await run(args, `${urls.join('\n')}\n`) : await run([...args, writeList(tmp(), urls)]);
    const byUrl = new Map(result.records.map((r) => [new URL(r.url).pathname, r]));
    expect(byUrl.get('/misnested')).toMatchObject({ ok: true, error: null, data: { a: ['one', 'two'], title: 'Misnested' } });
    expect(byUrl.get('/articles/first.html')).toMatchObject({ ok: true, error: null, data: { title: 'Morning market opens early' } });
    // With workers the pages are parsed there, and the main thread loads no DOM path.
    if (extra.length === 0) expect(loaded.some((m) => DOM_PATH.test(m))).toBe(true);
  });

  it('css-what loads one way, by import (as css-select loads it), never by require()', async () => {
    const loaded = await loadedBy(['-s', 'x=p', '-s', 'y=div > p', writeList(tmp(), [server().url('/articles/first.html')])]);
    expect(loaded.some((m) => CSS_WHAT.test(m))).toBe(true);
    expect(loaded).not.toContain('css-what');
  });

  it('--help loads no css-what: checking --select flags needs it, the option table does not', async () => {
    const loaded = await loadedBy(['--help']);
    expect(loaded.some((m) => m.endsWith('/dist/config/selectors.js'))).toBe(true);
    expect(loaded.filter((m) => CSS_WHAT.test(m))).toEqual([]);
  });
});
