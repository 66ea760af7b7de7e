/** Reading URL lists: files, stdin, comments, whitespace, duplicates, invalid lines, streaming. */
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/run.js';
import { byUrl, listFromFixture, useServer, useTmpDir, writeList } from '../helpers/setup.js';

describe('input lists', () => {
  const server = useServer({ each: true });
  const tmp = useTmpDir();

  it('reads a list file, skipping blank lines and # comments and trimming whitespace', async () => {
    const s = server();
    const r = await runCli([listFromFixture(tmp(), 'morning-check.txt', s.origin)]);
    const records = byUrl(r.records);
    expect([...records.keys()].sort()).toEqual(
      [
        s.url('/index.html'),
        s.url('/articles/first.html'),
        s.url('/articles/second.html'),
        s.url('/shop/products.html'),
        'harbor-street.example/articles/third.html',
      ].sort(),
    );
    expect(records.get(s.url('/articles/second.html'))?.ok).toBe(true);
  });

  it('reads standard input when no input is given', async () => {
    const s = server();
    const r = await runCli([], { stdin: `${s.url('/index.html')}\n` });
    expect(r.records.map((x) => x.url)).toEqual([s.url('/index.html')]);
  });

  it('reads standard input for "-"', async () => {
    const s = server();
    const r = await runCli(['-'], { stdin: `${s.url('/index.html')}\n` });
    expect(r.records.map((x) => x.url)).toEqual([s.url('/index.html')]);
  });

  it('reads every input given, files and standard input together', async () => {
    const s = server();
    const a = writeList(tmp(), [s.url('/articles/first.html')]);
    const b = writeList(tmp(), [s.url('/articles/second.html')]);
    const r = await runCli([a, '-', b], { stdin: `${s.url('/articles/third.html')}\n` });
    expect(r.records.map((x) => x.url).sort()).toEqual(['/articles/first.html', '/articles/second.html', '/articles/third.html'].map(s.url).sort());
  });

  it('reads a list with CRLF line ends', async () => {
    const s = server();
    const r = await runCli([writeList(tmp(), [s.url('/articles/first.html'), s.url('/articles/second.html')], '\r\n')]);
    expect(r.records.map((x) => [x.url, x.ok])).toEqual(
      expect.arrayContaining([
        [s.url('/articles/first.html'), true],
        [s.url('/articles/second.html'), true],
      ]),
    );
    expect(r.records).toHaveLength(2);
  });

  it('reads a list that starts with a UTF-8 byte order mark', async () => {
    const s = server();
    const r = await runCli([writeList(tmp(), [`\ufeff${s.url('/index.html')}`])]);
    expect(r.records.map((x) => [x.url, x.ok])).toEqual([[s.url('/index.html'), true]]);
  });

  it('fetches URLs that are equal after normalisation once and writes one record', async () => {
    const s = server();
    const upper = s.url('/articles/first.html').replace('http://', 'HTTP://');
    const r = await runCli([], {
      stdin: [s.url('/articles/first.html'), `${upper}#intro`, `  ${s.url('/articles/first.html')}#byline  `, s.url('/articles/first.html')].join('\n'),
    });
    expect(r.records.map((x) => x.url)).toEqual([s.url('/articles/first.html')]);
    expect(s.hits('/articles/first.html')).toBe(1);
  });

  it('dedupes across input files', async () => {
    const s = server();
    const a = writeList(tmp(), [s.url('/index.html')]);
    const b = writeList(tmp(), [`${s.url('/index.html')}#again`]);
    const r = await runCli([a, b]);
    expect(r.records).toHaveLength(1);
    expect(s.hits('/index.html')).toBe(1);
  });

  it('writes the normalised URL: lower-case scheme, no fragment', async () => {
    const s = server();
    const r = await runCli([], { stdin: `${s.url('/index.html').replace('http:', 'HTTP:')}#top\n` });
    expect(r.records[0]?.url).toBe(s.url('/index.html'));
  });

  it('turns each non-URL line into an INVALID_URL record with the trimmed line and goes on', async () => {
    const s = server();
    const bad = ['example.com/page', `127.0.0.1:${s.port}/index.html`, 'ftp://127.0.0.1/file', '/relative/path', 'just words'];
    const r = await runCli([], { stdin: [...bad.map((b) => `  ${b}\t`), s.url('/index.html')].join('\n') });
    const records = byUrl(r.records);
    for (const b of bad) {
      expect(records.get(b), b).toMatchObject({ ok: false, status: null, error: { code: 'INVALID_URL' } });
    }
    expect(records.get(s.url('/index.html'))?.ok).toBe(true);
    expect(r.records).toHaveLength(bad.length + 1);
    expect(s.requests.filter((q) => q.pathname !== '/robots.txt').map((q) => q.url)).toEqual(['/index.html']);
  });

  it('writes nothing and exits 0 for an empty input', async () => {
    const r = await runCli([writeList(tmp(), ['# nothing to do', ''])]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('streams: the record of the first line is written before standard input ends', async () => {
    const s = server();
    const cli = startCli([]);
    cli.child.stdin.write(`${s.url('/articles/first.html')}\n`);
    await cli.waitForStdout((out) => out.includes('\n'));
    expect(cli.child.exitCode).toBeNull();
    cli.child.stdin.end(`${s.url('/articles/second.html')}\n`);
    const r = await cli.done;
    expect(r.records.map((x) => x.url)).toEqual([s.url('/articles/first.html'), s.url('/articles/second.html')]);
    expect(r.code).toBe(0);
  });
});
