/** --format jsonl|json|csv and --output FILE, in-process (no spawned CLI). */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvObjects, parseCsv } from '../helpers/csv.js';
import { parseRecords, type Rec } from '../helpers/run.js';
import type { TestServer } from '../helpers/server.js';
import { inProcess, startInProcess } from '../helpers/session.js';
import { useServer, useTmpDir } from '../helpers/setup.js';

const PAGES = ['/index.html', '/articles/first.html', '/status/404', '/quotes.html'];

function stdinFor(s: TestServer, paths: readonly string[] = PAGES): string {
  return paths.map(s.url).join('\n');
}

let outCounter = 0;
/** A fresh, empty folder for one --output test, so leftovers can be counted. */
function freshDir(root: string): string {
  const dir = join(root, `out-${++outCounter}`);
  mkdirSync(dir);
  return dir;
}

describe('--format jsonl (default)', () => {
  const server = useServer();

  it('writes one JSON object per line, one line per record, each newline-terminated', async () => {
    const r = await inProcess({ stdin: stdinFor(server()) });
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.slice(0, -1).split('\n');
    expect(lines).toHaveLength(PAGES.length);
    for (const line of lines) expect(JSON.parse(line)).toEqual(expect.objectContaining({ url: expect.any(String) }));
  });

  it('writes each record as soon as its URL finishes, before slower URLs are done', async () => {
    const s = server();
    const cli = startInProcess({ options: { concurrency: '2' }, stdin: [s.url('/slow?ms=1000&stream=1'), s.url('/articles/first.html')].join('\n') });
    await cli.waitForStdout((out) => out.includes('\n'));
    const first = parseRecords(cli.stdout);
    expect(first.map((x) => x.url)).toEqual([s.url('/articles/first.html')]);
    expect(s.requests.find((q) => q.url === '/slow?ms=1000&stream=1')?.finishedAt).toBeNull();
    const r = await cli.done;
    expect(r.records).toHaveLength(2);
  });

  it('is what --format jsonl writes too', async () => {
    const r = await inProcess({ options: { format: 'jsonl' }, stdin: stdinFor(server(), ['/index.html']) });
    expect(r.records.map((x) => x.title)).toEqual(['Harbor Street Gazette']);
  });
});

describe('--format json', () => {
  const server = useServer();

  it('writes one JSON array holding every record', async () => {
    const r = await inProcess({ options: { format: 'json' }, stdin: stdinFor(server()) });
    const records = JSON.parse(r.stdout) as Rec[];
    expect(Array.isArray(records)).toBe(true);
    expect(records.map((x) => x.url).sort()).toEqual(PAGES.map(server().url).sort());
  });

  it('writes [] for zero records', async () => {
    const r = await inProcess({ options: { format: 'json' }, stdin: '# only a comment\n' });
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it('holds the same records as JSON Lines would', async () => {
    const s = server();
    const [json, jsonl] = await Promise.all([
      inProcess({ options: { format: 'json' }, stdin: stdinFor(s, ['/articles/second.html']) }),
      inProcess({ stdin: stdinFor(s, ['/articles/second.html']) }),
    ]);
    const strip = (x: Rec) => ({ ...x, timing: null });
    expect((JSON.parse(json.stdout) as Rec[]).map(strip)).toEqual(jsonl.records.map(strip));
  });
});

describe('--format csv', () => {
  const server = useServer();

  it('writes a header row of the record fields, then one row per record', async () => {
    const r = await inProcess({ options: { format: 'csv' }, stdin: stdinFor(server()) });
    const { header, rows } = csvObjects(r.stdout);
    expect(header).toEqual(['url', 'ok', 'status', 'finalUrl', 'contentType', 'httpVersion', 'bytes', 'title', 'timing', 'attempts', 'error']);
    expect(rows.map((x) => x.url).sort()).toEqual(PAGES.map(server().url).sort());
  });

  it('ends every line with CRLF', async () => {
    const r = await inProcess({ options: { format: 'csv' }, stdin: stdinFor(server()) });
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    expect(r.stdout.split('\r\n').join('')).not.toMatch(/[\r\n]/);
  });

  it('adds a links column with --links', async () => {
    const r = await inProcess({ options: { format: 'csv', links: true }, stdin: stdinFor(server(), ['/articles/first.html']) });
    const { header, rows } = csvObjects(r.stdout);
    expect(header).toContain('links');
    expect(JSON.parse(rows[0]!.links!)).toContain(server().url('/articles/second.html'));
  });

  it('gives each selector a data.NAME column (a list as JSON in its cell), and JSON-encodes timing and error', async () => {
    const r = await inProcess({ options: { format: 'csv', select: ['heading=h1', 'paras[]=p'] }, stdin: stdinFor(server(), ['/quotes.html', '/status/404']) });
    const { header } = csvObjects(r.stdout);
    expect(header.slice(-2)).toEqual(['data.heading', 'data.paras']);
    const rows = new Map(csvObjects(r.stdout).rows.map((x) => [x.url!, x]));
    const page = rows.get(server().url('/quotes.html'))!;
    expect(page['data.heading']).toBe('Fish, Chips & "Mushy" Peas');
    expect(JSON.parse(page['data.paras']!)).toEqual(['Rated 4/5, "would eat again".']);
    expect(JSON.parse(page.timing!)).toEqual(expect.objectContaining({ startMs: expect.any(Number), totalMs: expect.any(Number) }));
    expect(JSON.parse(rows.get(server().url('/status/404'))!.error!)).toMatchObject({ code: 'HTTP_STATUS' });
  });

  it('quotes a cell with commas and quotes per RFC 4180', async () => {
    const r = await inProcess({ options: { format: 'csv' }, stdin: stdinFor(server(), ['/quotes.html']) });
    expect(r.stdout).toContain('"Fish, Chips & ""Mushy"" Peas"');
    expect(csvObjects(r.stdout).rows[0]!.title).toBe('Fish, Chips & "Mushy" Peas');
  });

  describe('formula injection', () => {
    const FORMULAS = ['=1+2', '+SUM(A1:A2)', '-2+3', '@cmd', '-'];
    let titles: Map<string, string>;
    beforeAll(async () => {
      const urls = FORMULAS.map((f) => server().url(`/page?title=${encodeURIComponent(f)}`));
      const r = await inProcess({ options: { format: 'csv' }, stdin: urls.join('\n') });
      titles = new Map(csvObjects(r.stdout).rows.map((x) => [x.url!, x.title!]));
    });

    it.each(FORMULAS)('prefixes a title starting with %j with a quote mark', (title) => {
      expect(titles.get(server().url(`/page?title=${encodeURIComponent(title)}`))).toBe(`'${title}`);
    });

    it('leaves a plain negative number a number', async () => {
      const url = server().url(`/page?title=x&h1=${encodeURIComponent('-12.5')}`);
      const r = await inProcess({ options: { format: 'csv', select: ['price=h1'] }, stdin: url });
      expect(csvObjects(r.stdout).rows[0]!['data.price']).toBe('-12.5');
    });
  });

  it('writes only the header row for zero records', async () => {
    const r = await inProcess({ options: { format: 'csv' }, stdin: '' });
    expect(parseCsv(r.stdout)).toHaveLength(1);
  });
});

describe('--output FILE', () => {
  const server = useServer();
  const tmp = useTmpDir();

  it('writes the records to the file and nothing to stdout', async () => {
    const dir = freshDir(tmp());
    const out = join(dir, 'records.jsonl');
    const r = await inProcess({ options: { output: out }, stdin: stdinFor(server()) });
    expect(r.stdout).toBe('');
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Rec).url).sort()).toEqual(PAGES.map(server().url).sort());
  });

  it('leaves only the output file in its folder (no temp file)', async () => {
    const dir = freshDir(tmp());
    await inProcess({ options: { output: join(dir, 'records.jsonl') }, stdin: stdinFor(server()) });
    expect(readdirSync(dir)).toEqual(['records.jsonl']);
  });

  it('writes a whole JSON array with --format json', async () => {
    const out = join(freshDir(tmp()), 'records.json');
    await inProcess({ options: { output: out, format: 'json' }, stdin: stdinFor(server()) });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(PAGES.length);
  });

  it('writes CSV with --format csv', async () => {
    const out = join(freshDir(tmp()), 'records.csv');
    await inProcess({ options: { output: out, format: 'csv' }, stdin: stdinFor(server()) });
    expect(csvObjects(readFileSync(out, 'utf8')).rows).toHaveLength(PAGES.length);
  });

  it('replaces an existing file only when the run is done (atomic rename)', async () => {
    const dir = freshDir(tmp());
    const out = join(dir, 'records.jsonl');
    writeFileSync(out, 'old contents\n');
    const s = server();
    const cli = startInProcess({ options: { output: out }, stdin: `${s.url('/index.html')}\n${s.url('/slow?ms=600&atomic=1')}\n` });
    // Wait until the slow request is on the wire: index.html is done by then.
    const deadline = Date.now() + 5_000;
    while (s.hits('/slow?ms=600&atomic=1') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(s.hits('/slow?ms=600&atomic=1')).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old contents\n');
    const r = await cli.done;
    expect(r.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(2);
    expect(readdirSync(dir)).toEqual(['records.jsonl']);
  });

  it('creates the file for zero records', async () => {
    const out = join(freshDir(tmp()), 'empty.json');
    const r = await inProcess({ options: { output: out, format: 'json' }, stdin: '' });
    expect(r.exitCode).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([]);
  });
});
