/**
 * Issue 14: the README's recipes run as written. Each command below is looked
 * up verbatim in a README code block (so the two cannot drift apart) and run
 * with `sh -c` in a temp folder holding urls.txt, with `scrape` on PATH (a link
 * to bin/scrape.js, as `npm install -g` makes). Only absolute paths outside the
 * temp folder (/srv/scrape, /var/lib/scrape…) are replaced by paths inside it.
 * A recipe whose tool (jq, flock, GNU parallel) is missing is skipped at run
 * time with the reason.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { parseCsv } from '../helpers/csv.js';
import { BIN, parseRecords, ROOT } from '../helpers/run.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { useTmpDir } from '../helpers/setup.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Every line inside a fenced code block of the README. */
const CODE_LINES = new Set(
  README.split(/^```[^\n]*\n/m)
    .filter((_, i) => i % 2 === 1)
    .flatMap((block) => block.split('\n').map((l) => l.trimEnd())),
);

/** `line`, after checking that the README shows exactly it in a code block. */
function recipe(line: string): string {
  expect(CODE_LINES.has(line), `README has no code line ${JSON.stringify(line)}`).toBe(true);
  return line;
}

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
function needs(ctx: TestContext, ...tools: string[]): void {
  const missing = tools.filter((t) => !has(t));
  if (missing.length > 0) {
    console.warn(`${ctx.task.name}: skipped: ${missing.join(', ')} not installed`);
    ctx.skip(`${missing.join(', ')} not installed`);
  }
}

describe('README recipes, as written', () => {
  const tmp = useTmpDir();
  // Four servers, so four hosts (host:port) for --shard to spread.
  const servers: TestServer[] = [];
  let bin = '';
  let dirs = 0;
  let urls: string[] = [];
  let failures: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) servers.push(await startServer());
    bin = join(tmp(), 'bin');
    mkdirSync(bin);
    symlinkSync(BIN, join(bin, 'scrape'));
    urls = servers.flatMap((s) => ['/index.html', '/articles/first.html', '/articles/second.html'].map((p) => s.url(p)));
    failures = [servers[0]!.url('/status/404'), 'not-a-url'];
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  /** A fresh folder with urls.txt (pages that work, a 404 and a line that is not a URL). */
  function folder(): string {
    const dir = join(tmp(), `recipe-${++dirs}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'urls.txt'), `${[...urls, ...failures].join('\n')}\n`);
    return dir;
  }

  const env = (): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${bin}:${process.env.PATH}` });
  /** Runs a shell line in `cwd`; resolves with its exit code and output (asynchronously: the servers run in this process). */
  function sh(cwd: string, line: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile('sh', ['-c', line], { cwd, env: env(), timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    });
  }

  it('jq: a TSV of url and title', async (ctx) => {
    needs(ctx, 'jq');
    const r = await sh(folder(), recipe(`$ scrape urls.txt | jq -r 'select(.ok) | [.url, .title] | @tsv'`).slice(2));
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map(([url]) => url).sort()).toEqual([...urls].sort());
    for (const [, title] of rows) expect(title).toMatch(/\S/);
  });

  it('jq: titles, and failures grouped by error code', async (ctx) => {
    needs(ctx, 'jq', 'sort');
    const dir = folder();
    const titles = await sh(dir, recipe(`scrape urls.txt | jq -r 'select(.ok) | .title'`));
    expect(titles.stdout.trim().split('\n')).toHaveLength(urls.length);
    const failed = await sh(dir, recipe(`scrape urls.txt | jq -r 'select(.ok | not) | "\\(.error.code)\\t\\(.url)"' | sort`));
    expect(failed.stdout).toBe(`HTTP_STATUS\t${failures[0]}\nINVALID_URL\tnot-a-url\n`);
  });

  it('CSV for a spreadsheet, an atomic -o file, and removing failures with jq', async (ctx) => {
    needs(ctx, 'jq');
    const dir = folder();
    await sh(dir, recipe('scrape -f csv -s h1=h1 urls.txt > pages.csv'));
    const [header, ...rows] = parseCsv(readFileSync(join(dir, 'pages.csv'), 'utf8'));
    expect(rows).toHaveLength(urls.length + failures.length);
    // Each -s field is its own column, data.NAME, after the record's own.
    expect(header?.at(-1)).toBe('data.h1');
    const ok = rows.filter((row) => row[1] === 'true');
    expect(ok).toHaveLength(urls.length);
    for (const row of ok) expect(row.at(-1)).not.toBe('');
    await sh(dir, recipe('scrape -o pages.jsonl urls.txt'));
    expect(parseRecords(readFileSync(join(dir, 'pages.jsonl'), 'utf8'))).toHaveLength(urls.length + failures.length);
    await sh(dir, 'cp pages.jsonl out.jsonl');
    // This one is inline in the text ("To retry failures, remove them first").
    const retry = "jq -c 'select(.ok)' out.jsonl > tmp && mv tmp out.jsonl";
    expect(README).toContain(`\`${retry}\``);
    const clean = await sh(dir, retry);
    expect(clean.code, clean.stderr).toBe(0);
    expect(parseRecords(readFileSync(join(dir, 'out.jsonl'), 'utf8')).every((r) => r.ok)).toBe(true);
  });

  it('the hourly cron line: a dated file, JSON logs appended; flock skips an hour whose last run still goes', async (ctx) => {
    needs(ctx, 'flock', 'date');
    const line = recipe(
      `0 * * * *  cd /srv/scrape && flock -n out/.lock scrape --quiet -o "out/pages-$(date +\\%Y\\%m\\%d\\%H).jsonl" urls.txt 2>>logs/scrape.log`,
    );
    const dir = folder();
    mkdirSync(join(dir, 'out'));
    mkdirSync(join(dir, 'logs'));
    // What cron runs: the fields after the five time fields, with `\%` as `%`.
    const command = line.split(/\s+/).slice(5).join(' ').replaceAll('\\%', '%').replace('/srv/scrape', dir);
    const r = await sh(dir, command);
    expect(r.code, r.stderr).toBe(1); // a URL failed: exit 1, as documented
    const files = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^pages-\d{10}\.jsonl$/);
    expect(parseRecords(readFileSync(join(dir, 'out', files[0] as string), 'utf8'))).toHaveLength(urls.length + failures.length);
    // --quiet: warnings and errors only, as JSON lines (none from this run).
    expect(readFileSync(join(dir, 'logs', 'scrape.log'), 'utf8')).not.toMatch(/^[^{]/m);

    // The previous hour's run still holds the lock: this one does nothing.
    let holder: ChildProcess | null = null;
    try {
      holder = spawn('flock', [join(dir, 'out', '.lock'), 'sleep', '30'], { stdio: 'ignore' });
      await waitFor(() => spawnSync('flock', ['-n', join(dir, 'out', '.lock'), 'true']).status !== 0);
      const again = await sh(dir, command.replace('pages-$(date', 'later-$(date'));
      expect(again.code).toBe(1);
      expect(readdirSync(join(dir, 'out')).filter((f) => f.startsWith('later-'))).toEqual([]);
    } finally {
      holder?.kill();
    }
  });

  it('the change monitor from cron: the second run writes only what changed (and failures)', async () => {
    const line = recipe(
      '0 * * * *  scrape --cache-dir /var/lib/scrape/cache --changed-only --summary-file /var/lib/scrape/summary.json -o /var/lib/scrape/changes.jsonl /etc/scrape/urls.txt 2>>/var/log/scrape.log',
    );
    const dir = folder();
    const command = line
      .split(/\s+/)
      .slice(5)
      .join(' ')
      .replaceAll('/var/lib/scrape', dir)
      .replaceAll('/etc/scrape', dir)
      .replaceAll('/var/log', dir);
    await sh(dir, command);
    expect(parseRecords(readFileSync(join(dir, 'changes.jsonl'), 'utf8'))).toHaveLength(urls.length + failures.length);
    await sh(dir, command);
    expect(parseRecords(readFileSync(join(dir, 'changes.jsonl'), 'utf8')).map((r) => r.url).sort()).toEqual([...failures].sort());
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toMatchObject({ unchanged: urls.length });
  });

  it('GNU parallel sharding, then each merge', async (ctx) => {
    needs(ctx, 'parallel', 'jq');
    const shards = recipe("parallel -j4 'scrape --shard {}/4 -o out-{}.jsonl --cache-dir cache-{} urls.txt' ::: 1 2 3 4");
    const dir = folder();
    await sh(dir, shards);
    for (const i of [1, 2, 3, 4]) expect(existsSync(join(dir, `out-${i}.jsonl`))).toBe(true);
    await sh(dir, recipe('cat out-*.jsonl > all.jsonl                                  # JSON Lines: concatenate'));
    const all = parseRecords(readFileSync(join(dir, 'all.jsonl'), 'utf8'));
    expect(all.map((r) => r.url).sort()).toEqual([...urls, ...failures].sort());

    // The same shards as CSV and as JSON arrays ("with -f csv", "with -f json"), merged as the README says.
    await sh(dir, shards.replace('-o out-{}.jsonl', '-f csv -o out-{}.csv'));
    await sh(dir, recipe('{ head -n1 out-1.csv; tail -q -n+2 out-*.csv; } > all.csv    # CSV (with -f csv): one header'));
    const [header, ...rows] = parseCsv(readFileSync(join(dir, 'all.csv'), 'utf8'));
    expect(header?.[0]).toBe('url');
    expect(rows.map((r) => r[0]).sort()).toEqual([...urls, ...failures].sort());
    await sh(dir, shards.replace('-o out-{}.jsonl', '-f json -o out-{}.json'));
    await sh(dir, recipe("jq -s 'add' out-*.json > all.json                            # JSON arrays (with -f json)"));
    const merged = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) as { url: string }[];
    expect(merged.map((r) => r.url).sort()).toEqual([...urls, ...failures].sort());
  });
});

async function waitFor(ok: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
