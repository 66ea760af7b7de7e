/**
 * The brotli stream header (RFC 7932, 9.1 WBITS and 9.2 the meta-block header),
 * read from streams node:zlib's encoder makes and from bytes written by hand
 * from the RFC's bit layouts (bits packed least-significant first).
 */
import { brotliCompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBrotliHeader, ringBytes } from '../../../src/fetch/codings/brotli-header.js';
import { flushed } from './flushed.js';

const page = Buffer.from(`<!DOCTYPE html><title>t</title>${'<p>some words to read</p>'.repeat(2000)}`);
const compress = (input: Buffer, lgwin: number): Buffer =>
  brotliCompressSync(input, { params: { [constants.BROTLI_PARAM_LGWIN]: lgwin, [constants.BROTLI_PARAM_QUALITY]: 5 } });


describe('readBrotliHeader', () => {
  it.each([10, 11, 12, 15, 16, 17, 18, 20, 22, 24])('reads the window of a stream made with lgwin %i', (lgwin) => {
    expect(readBrotliHeader(compress(page, lgwin))?.windowBytes).toBe(2 ** lgwin);
  });

  it('reads a one-meta-block page as its own length, marked last', () => {
    expect(readBrotliHeader(compress(page, 22))?.first).toEqual({ length: page.length, last: true });
  });

  it('needs only the first five bytes', () => {
    expect(readBrotliHeader(compress(page, 22).subarray(0, 5))?.first).toEqual({ length: page.length, last: true });
  });

  it('reads a flushed stream as its first meta-block, not the last', async () => {
    expect(readBrotliHeader(await flushed(page, 1000, 22))).toEqual({ windowBytes: 2 ** 22, first: { length: 1000, last: false } });
  });

  // Rows are the header's fields in stream order, each [value, width in bits].
  it.each([
    ['the empty stream', [[0, 1], [1, 1], [1, 1]], { windowBytes: 2 ** 16, first: { length: 0, last: true } }],
    ['a metadata block first', [[0, 1], [0, 1], [3, 2], [0, 1], [0, 2]], { windowBytes: 2 ** 16, first: null }],
    ['WBITS 24 in four bits', [[1, 1], [7, 3], [1, 1], [1, 1]], { windowBytes: 2 ** 24, first: { length: 0, last: true } }],
    ['WBITS 18 in four bits', [[1, 1], [1, 3], [1, 1], [1, 1]], { windowBytes: 2 ** 18, first: { length: 0, last: true } }],
    ['WBITS 10 in seven bits', [[1, 1], [0, 3], [2, 3], [1, 1], [1, 1]], { windowBytes: 2 ** 10, first: { length: 0, last: true } }],
    ['WBITS 17 in seven bits', [[1, 1], [0, 3], [0, 3], [1, 1], [1, 1]], { windowBytes: 2 ** 17, first: { length: 0, last: true } }],
    ['a 64 KiB meta-block in four nibbles', [[1, 1], [7, 3], [0, 1], [0, 2], [0xffff, 16], [1, 1]], { windowBytes: 2 ** 24, first: { length: 65_536, last: false } }],
    ['a 16 MiB meta-block in six nibbles', [[0, 1], [0, 1], [2, 2], [0xffffff, 24], [0, 1]], { windowBytes: 2 ** 16, first: { length: 2 ** 24, last: false } }],
    ['a last meta-block of 5 bytes', [[0, 1], [1, 1], [0, 1], [0, 2], [4, 16]], { windowBytes: 2 ** 16, first: { length: 5, last: true } }],
  ] as const)('reads %s', (_name, fields, header) => {
    expect(readBrotliHeader(pack(fields))).toEqual(header);
  });

  it.each([
    ['no bytes', []],
    ['a header cut short', [[1, 1], [7, 3], [0, 1], [0, 2]]],
    ['the reserved window code (large-window streams use it)', [[1, 1], [0, 3], [1, 3], [1, 1], [1, 1]]],
    ['five nibbles where four would do (9.2: the last nibble may not be zero)', [[0, 1], [0, 1], [1, 2], [0xffff, 20], [0, 1]]],
  ] as const)('refuses %s', (_name, fields) => {
    expect(readBrotliHeader(pack(fields))).toBeNull();
  });
});

/** Packs [value, width] fields into bytes the way brotli does: each value least-significant bit first. */
function pack(fields: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const bits = fields.flatMap(([value, width]) => Array.from({ length: width }, (_, i) => Math.floor(value / 2 ** i) % 2));
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => {
    bytes[i >> 3]! |= bit << (i & 7);
  });
  return bytes;
}

describe('ringBytes', () => {
  it.each([
    ['a one-meta-block page', { windowBytes: 2 ** 24, first: { length: 30_000, last: true } }, 32_768],
    ['a tiny page (at least 1 KiB)', { windowBytes: 2 ** 24, first: { length: 10, last: true } }, 1024],
    ['a one-meta-block page past its window', { windowBytes: 2 ** 16, first: { length: 1_000_000, last: true } }, 2 ** 16],
    ['more meta-blocks to come', { windowBytes: 2 ** 22, first: { length: 1000, last: false } }, 2 ** 22],
    ['a metadata block first', { windowBytes: 2 ** 20, first: null }, 2 ** 20],
    ['an unreadable header', null, 2 ** 24],
  ])('%s', (_name, header, bytes) => {
    expect(ringBytes(header)).toBe(bytes);
  });
});
