/** Issue #3: hostile input lines each become a record (or a usage error), never a crash. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../src/input/normalize-url.js';
import { runCli } from '../helpers/run.js';
import { useTmpDir } from '../helpers/setup.js';
import { page, useFaultServer } from './fault-server.js';

describe('hostile input lines', () => {
  const server = useFaultServer({
    '/ok': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page('Fine'));
    },
  });
  const tmp = useTmpDir();

  async function scrapeFile(bytes: Buffer | string) {
    const file = join(tmp(), `list-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, bytes);
    const r = await runCli(['--no-robots', '--retries', '0', file]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    return r;
  }

  it('each bad line is one INVALID_URL record carrying the trimmed line; good lines around it are fetched', async () => {
    const ok = server().url('/ok');
    const bad = [
      `http://127.0.0.1:${server().port}/ok with spaces`,
      'http://exa mple.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'ftp://127.0.0.1/file',
      'data:text/html,<title>x</title>',
      'mailto:someone@example.com',
      'http://127.0.0.1:99999/',
      'http://127.0.0.1:-1/',
      'http://',
      '//127.0.0.1/scheme-relative',
      '127.0.0.1/no-scheme',
      'http://[::1/',
      // (A NUL byte in a file makes the whole file binary: see below. On stdin it is one bad line.)
      'http://x\u0007y.example/',
      'not a url at all',
    ];
    const r = await scrapeFile([ok, ...bad, `${ok}?last`].join('\n'));
    // Records come in the order URLs finish, so invalid lines (no request) come first.
    expect(r.records).toHaveLength(bad.length + 2);
    expect(r.records.filter((x) => x.ok).map((x) => x.url).sort()).toEqual([ok, `${ok}?last`]);
    const invalid = r.records.filter((x) => x.error?.code === 'INVALID_URL');
    expect(invalid.map((x) => x.url).sort()).toEqual([...bad].sort());
    for (const rec of invalid) expect(rec.attempts).toBe(0);
    expect(server().requests.filter((q) => q.pathname !== '/ok')).toHaveLength(0);
    expect(r.code).toBe(1);
  });

  it('unicode hosts are converted to punycode (IDNA); full-width "ｌｏｃａｌｈｏｓｔ" is fetched as localhost', async () => {
    expect(normalizeUrl('http://bücher.example/ä?q=ü')).toBe('http://xn--bcher-kva.example/%C3%A4?q=%C3%BC');
    expect(normalizeUrl('http://ÉXAMPLE.com/')).toBe('http://xn--xample-9ua.com/');
    const r = await scrapeFile(`http://ｌｏｃａｌｈｏｓｔ:${server().port}/ok?idn\n`);
    expect(r.records[0]!.url).toBe(`http://localhost:${server().port}/ok?idn`);
    expect(r.records[0]!.title).toBe('Fine');
  });

  it('a 10 KB URL is fetched like any other', async () => {
    const url = `${server().url('/ok')}?q=${'a'.repeat(10 * 1024)}`;
    const r = await scrapeFile(`${url}\n`);
    expect(r.records[0]!.url).toBe(url);
    expect(r.records[0]!.ok).toBe(true);
  });

  it('CRLF line ends, a UTF-8 BOM, blank lines and trailing whitespace are handled', async () => {
    const ok = server().url('/ok');
    const r = await scrapeFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${ok}?bom\r\n\r\n  ${ok}?crlf \t\r\n\r\n`)]));
    expect(r.records.map((x) => x.url)).toEqual([`${ok}?bom`, `${ok}?crlf`]);
    expect(r.records.every((x) => x.ok)).toBe(true);
  });

  it('a binary file given as input is a usage error (exit 2) before any request', async () => {
    const before = server().requests.length;
    const binary = Buffer.concat([Buffer.from(`${server().url('/ok')}\n`), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0])]);
    const r = await scrapeFile(binary);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderr).toMatch(/binary|NUL/);
    expect(server().requests.length).toBe(before);
  });

  it('a UTF-16 list (NUL bytes between ASCII letters) is refused the same way', async () => {
    const r = await scrapeFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${server().url('/ok')}\n`, 'utf16le')]));
    expect(r.code).toBe(2);
  });

  it('NUL bytes on standard input only make that line INVALID_URL', async () => {
    const ok = server().url('/ok');
    const r = await runCli(['--no-robots', '--retries', '0'], { stdin: `${ok}?a\nhttp://x\u0000y/\n${ok}?b\n` });
    const codes = Object.fromEntries(r.records.map((x) => [x.url, x.error?.code ?? 'ok']));
    expect(codes).toEqual({ [`${ok}?a`]: 'ok', 'http://x\u0000y/': 'INVALID_URL', [`${ok}?b`]: 'ok' });
  });
});
