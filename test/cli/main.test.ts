/**
 * main(argv, io) in-process: the entry's own contract (what it prints where,
 * and the code it returns) without spawning a process. The spawning tests in
 * test/e2e check the same through the real binary.
 */
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/platform/io.js';
import { packageVersion } from '../helpers/run.js';

function memoryIo(stdin = ''): Io & { out: () => string; err: () => string } {
  const sink = (): Writable & { text: string } => {
    const w = new Writable({
      write(chunk, _enc, cb) {
        w.text += String(chunk);
        cb();
      },
    }) as Writable & { text: string };
    w.text = '';
    return w;
  };
  const stdout = sink();
  const stderr = sink();
  return {
    stdin: Readable.from(stdin ? [stdin] : []),
    stdout,
    stderr,
    onSignal: () => () => {},
    exitNow: () => {},
    out: () => stdout.text,
    err: () => stderr.text,
  };
}

describe('main', () => {
  it('--version prints the package version on stdout and returns 0', async () => {
    const io = memoryIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out().trim()).toBe(packageVersion());
    expect(io.err()).toBe('');
  });

  it('--help goes to stdout, lists the options and returns 0', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/--per-host <n>/);
    expect(io.out()).toMatch(/--config <file>/);
  });

  it('an unknown option is one line on stderr, with our prefix, and 2', async () => {
    const io = memoryIo();
    expect(await main(['--per-hots', '2'], io)).toBe(2);
    expect(io.err()).toMatch(/^scrape: unknown option '--per-hots'/);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.out()).toBe('');
  });

  it('a bad value is a usage error (2) before any input is read', async () => {
    const io = memoryIo('http://127.0.0.1:1/\n');
    expect(await main(['-c', '0'], io)).toBe(2);
    expect(io.err()).toMatch(/^scrape: --concurrency must be at least 1, got "0"/);
  });

  it('a run whose only line is not a URL writes its INVALID_URL record and returns 1', async () => {
    const io = memoryIo('not-a-url\n');
    expect(await main(['--quiet', '--no-robots'], io)).toBe(1);
    const records = io.out().trim().split('\n').map((l) => JSON.parse(l) as { url: string; error: { code: string } });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ url: 'not-a-url', error: { code: 'INVALID_URL' } });
  });
});
