import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, STDIN } from '../../src/input/lines.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scrape-lines-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function collect(inputs: readonly string[], stdin: Readable = Readable.from([])): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(inputs, stdin)) out.push(line);
  return out;
}

describe('readLines', () => {
  it('yields the lines of a file without their line ends', async () => {
    expect(await collect([file('lf.txt', 'a\nb\n\nc\n')])).toEqual(['a', 'b', '', 'c']);
  });

  it('handles CRLF line ends', async () => {
    expect(await collect([file('crlf.txt', 'a\r\nb\r\n')])).toEqual(['a', 'b']);
  });

  it('yields a last line that has no line end', async () => {
    expect(await collect([file('noeol.txt', 'a\nb')])).toEqual(['a', 'b']);
  });

  it('strips a UTF-8 byte order mark at the top of a file', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await collect([file('bom.txt', Buffer.concat([bom, Buffer.from('http://a.example/\nx\n')]))])).toEqual([
      'http://a.example/',
      'x',
    ]);
  });

  it('reads several inputs one after the other', async () => {
    expect(await collect([file('one.txt', '1\n2\n'), file('two.txt', '3\n')])).toEqual(['1', '2', '3']);
  });

  it('reads standard input for "-"', async () => {
    expect(await collect([STDIN], Readable.from(['x\ny\n']))).toEqual(['x', 'y']);
  });

  it('reads standard input when no input is given', async () => {
    expect(await collect([], Readable.from(['only\n']))).toEqual(['only']);
  });

  it('mixes files and standard input in the order given', async () => {
    expect(await collect([file('first.txt', 'f\n'), STDIN], Readable.from(['s\n']))).toEqual(['f', 's']);
  });

  it('yields a line from standard input before standard input has ended', async () => {
    const stdin = new PassThrough();
    const it = readLines([STDIN], stdin);
    stdin.write('first\n');
    expect((await it.next()).value).toBe('first');
    stdin.end('second\n');
    expect((await it.next()).value).toBe('second');
    expect((await it.next()).done).toBe(true);
  });
});
