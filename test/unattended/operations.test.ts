/**
 * Issue 5, running scrape from cron and at scale: --summary-file, --config,
 * --shard, and no progress line when stderr is not a terminal. What the
 * summary file holds is tested in-process in test/session/summary-file.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardOfHost } from '../../src/input/shard.js';
import { BIN, runCli } from '../helpers/run.js';
import { useTmpDir, writeList } from '../helpers/setup.js';
import { scriptServer } from './script-server.js';

describe('--summary-file', () => {
  const tmp = useTmpDir();

  it('is a usage error when its folder does not exist', async () => {
    const r = await runCli(['--summary-file', join(tmp(), 'missing', 's.json')], { stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--summary-file');
  });
});

describe('--config', () => {
  const tmp = useTmpDir();
  const config = (body: unknown): string => {
    const file = join(tmp(), `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    return file;
  };

  it('applies the file\'s options; a flag on the command line wins over the file', async () => {
    const s = await scriptServer((hit) =>
      hit.path === '/robots.txt' ? { body: 'User-agent: *\nDisallow: /\n' } : { headers: { 'content-type': 'text/html' }, body: '<title>T</title><h1>H</h1><p>P</p>' },
    );
    const file = config({ select: ['h=h1'], robots: false, concurrency: 2, userAgent: 'from-file/1' });
    const list = writeList(tmp(), [s.url('/a')]);
    const fromFile = await runCli(['--config', file, list]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.records[0]?.data).toEqual({ h: 'H' }); // select, and robots:false (robots.txt disallows all)

    const flagsWin = await runCli(['--config', file, '-s', 'p=p', list]);
    expect(flagsWin.records[0]?.data).toEqual({ p: 'P' });
  });

  it('resolves relative paths in the file against the file\'s folder', async () => {
    const s = await scriptServer();
    const file = config({ output: 'from-config.jsonl' });
    const r = await runCli(['--config', file, writeList(tmp(), [s.url('/a')])]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(tmp(), 'from-config.jsonl'), 'utf8')).toContain(s.url('/a'));
  });

  it('rejects unknown keys, wrong types, bad values and bad JSON with exit 2, naming the key', async () => {
    const cases: [unknown, string][] = [
      [{ concurency: 4 }, '"concurency"'],
      [{ concurrency: true }, '"concurrency"'],
      [{ select: 'h=h1' }, '"select"'],
      [{ links: 'yes' }, '"links"'],
      [{ perHost: 0 }, '--per-host'],
      [{ config: 'other.json' }, '"config"'],
      ['{ not json', 'not valid JSON'],
      [[1, 2], 'JSON object'],
    ];
    for (const [body, needle] of cases) {
      const r = await runCli(['--config', config(body)], { stdin: '' });
      expect(r.code, JSON.stringify(body)).toBe(2);
      expect(r.stderr, JSON.stringify(body)).toContain(needle);
      expect(r.stderrLines).toHaveLength(1);
    }
    const missing = await runCli(['--config', join(tmp(), 'nope.json')], { stdin: '' });
    expect(missing.code).toBe(2);
  });
});

describe('--shard', () => {
  const tmp = useTmpDir();

  it('shards 1..3 of 3 together cover every URL exactly once, each host in one shard', async () => {
    const servers = await Promise.all(Array.from({ length: 6 }, () => scriptServer()));
    const urls = servers.flatMap((s) => Array.from({ length: 4 }, (_, i) => s.url(`/p${i}`)));
    const list = writeList(tmp(), [...urls, 'not a url']);
    const runs = await Promise.all([1, 2, 3].map((i) => runCli(['--shard', `${i}/3`, list])));
    const all = runs.flatMap((r) => r.records.map((x) => x.url));
    expect(all.sort()).toEqual([...urls, 'not a url'].sort());
    runs.forEach((r, i) => {
      const hosts = new Set(r.records.filter((x) => x.url !== 'not a url').map((x) => new URL(x.url).host));
      for (const h of hosts) expect(shardOfHost(h, 3), h).toBe(i + 1);
      // Lines that are not URLs belong to shard 1.
      expect(r.records.some((x) => x.url === 'not a url')).toBe(i === 0);
    });
    // Across the three processes, every page was fetched once.
    for (const s of servers) expect(s.pageHits()).toHaveLength(4);
  });

  it('rejects a shard outside 1..N with exit 2', async () => {
    for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b']) {
      const r = await runCli(['--shard', bad], { stdin: '' });
      expect(r.code, bad).toBe(2);
    }
  });
});

describe('progress', () => {
  const tmp = useTmpDir();

  it('prints no progress line (no carriage returns) when stderr is not a terminal', async () => {
    const s = await scriptServer();
    const r = await runCli([writeList(tmp(), Array.from({ length: 20 }, (_, i) => s.url(`/p${i}`)))]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\x1b[');
    expect(r.stderrLines.every((l) => JSON.parse(l) !== null)).toBe(true);
  });

  // util-linux `script` gives the CLI a real terminal on stderr; skipped where it is missing.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('shows done/total, failures and rate on a terminal once the input is read', async () => {
    const s = await scriptServer();
    const list = writeList(tmp(), Array.from({ length: 5 }, (_, i) => s.url(`/p${i}`)));
    const out = join(tmp(), 'tty.jsonl');
    const quote = (a: string): string => `'${a.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, BIN, '-o', out, list].map(quote).join(' ');
    const screen = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.on('close', () => resolve(text));
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line sequence is what is checked.
    expect(screen).toMatch(/\r\x1b\[2Kscrape: \d\/5 done, 0 failed, [\d.]+\/s/);
    expect(screen).toContain('scrape: summary');
  });
});
