/** Brotli bodies through readBody: a stream's header picks its path (src/fetch/codings/brotli.ts), and every path decodes the same bytes. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { brotliCompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBody } from '../../../src/fetch/body.js';
import { brotliDecompress, LIGHT_RING } from '../../../src/fetch/codings/brotli.js';
import { readBrotliHeader, ringBytes } from '../../../src/fetch/codings/brotli-header.js';
import { FetchFailure } from '../../../src/fetch/failure.js';
import { flushed } from './flushed.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/faults/${name}`, import.meta.url));
const MiB = 1024 * 1024;

/** A body in chunks of `size` bytes, as undici hands them on. */
const body = (bytes: Buffer, size = 16 * 1024): Readable =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

const read = (bytes: Buffer | Readable, maxBytes = 10 * MiB): Promise<Buffer> =>
  readBody(Buffer.isBuffer(bytes) ? body(bytes) : bytes, 'br', maxBytes, new AbortController().signal);

const compress = (input: Buffer, lgwin: number): Buffer =>
  brotliCompressSync(input, { params: { [constants.BROTLI_PARAM_LGWIN]: lgwin, [constants.BROTLI_PARAM_QUALITY]: 5 } });


const page = Buffer.from(`<!DOCTYPE html><title>t</title>${Array.from({ length: 3000 }, (_, i) => `<p>item ${i * 7919}</p>`).join('')}`);
// ~1.5 MiB that does not compress away: past the one-shot bounds and one KiB of ring buffer.
const noisy = Buffer.from(randomBytes(1.1 * MiB).toString('base64'));

async function failure(promise: Promise<unknown>): Promise<FetchFailure> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchFailure);
  return err as FetchFailure;
}

describe('brotli bombs', () => {
  it('a first meta-block longer than --max-bytes is TOO_LARGE from the first bytes, before the rest arrives', async () => {
    const bomb = fixture('zeros-256m.br');
    // Five bytes, then nothing more: only the header can have decided.
    const stalled = (async function* () {
      yield bomb.subarray(0, 5);
      await new Promise(() => {});
    })();
    const stage = brotliDecompress(10 * MiB)(stalled, { signal: new AbortController().signal });
    const err = await failure(stage.next());
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toBe(`body exceeds --max-bytes ${10 * MiB} (decoded)`);
  });

  it('so does the whole bomb, through readBody', async () => {
    const err = await failure(read(fixture('zeros-256m.br')));
    expect(err.code).toBe('TOO_LARGE');
  });

  it('a bomb behind a one-byte meta-block is decoded to the cap and no further: TOO_LARGE', async () => {
    const bomb = fixture('late-256m.br');
    expect(ringBytes(readBrotliHeader(bomb))).toBe(16 * MiB);
    for (const cap of [64 * 1024, 1 * MiB, 10 * MiB]) {
      const err = await failure(read(bomb, cap));
      expect(err.code).toBe('TOO_LARGE');
      expect(err.message).toBe(`body exceeds --max-bytes ${cap} (decoded)`);
    }
  });
});

describe('brotli bodies cut at the limit (truncate, as robots.txt is read)', () => {
  it.each(['zeros-256m.br', 'late-256m.br'])('%s: the first --max-bytes bytes, not TOO_LARGE', async (name) => {
    const cut = await readBody(body(fixture(name)), 'br', 64 * 1024, new AbortController().signal, true);
    expect(cut.length).toBe(64 * 1024);
    expect(cut.subarray(1).every((b) => b === 0)).toBe(true);
  });
});

describe('brotli pages decode the same on every path', () => {
  const cases: Array<[string, () => Buffer | Promise<Buffer>, Buffer, 'light' | 'heavy']> = [
    ['one small meta-block (one call)', () => compress(page, 22), page, 'light'],
    ['one meta-block past the one-shot bounds (streamed)', () => compress(noisy, 22), noisy, 'heavy'],
    ['flushed, small window (streamed)', () => flushed(page, 1024, 18), page, 'light'],
    ['flushed, 4 MiB window (read whole, decoded in one job)', () => flushed(page, 1024, 22), page, 'heavy'],
    ['flushed, 16 MiB window, 1.5 MiB', () => flushed(noisy, 1024, 24), noisy, 'heavy'],
  ];

  it.each(cases)('%s', async (_name, make, expected, path) => {
    const compressed = await make();
    expect(ringBytes(readBrotliHeader(compressed)) > LIGHT_RING ? 'heavy' : 'light').toBe(path);
    const decoded = await read(compressed);
    expect(decoded.equals(expected)).toBe(true);
    // A page is not a slice of a bigger buffer it would keep alive.
    expect(decoded.buffer.byteLength).toBeLessThan(2 * decoded.length + 8192);
  });

  it.each(cases)('%s, past --max-bytes, is TOO_LARGE', async (_name, make, expected) => {
    const err = await failure(read(await make(), expected.length - 1));
    expect(err.code).toBe('TOO_LARGE');
  });

  it('an empty stream is an empty page', async () => {
    expect((await read(Buffer.from([0b110]))).length).toBe(0);
  });

  it('corrupt data after a good header is an error, not a page', async () => {
    const broken = compress(page, 22);
    broken.fill(0xff, 8);
    await expect(read(broken)).rejects.toThrow();
  });
});
