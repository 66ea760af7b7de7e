import { pipeline, Readable } from 'node:stream';
import { createInflate, createInflateRaw } from 'node:zlib';

/**
 * A zlib stream starts with a two-byte header: compression method 8 in the low
 * nibble, a window size of at most 32 KiB above it, and a checksum making the
 * pair a multiple of 31 (RFC 1950). Raw deflate can pass this test by chance only
 * rarely, and then inflating fails with DECODE rather than producing wrong text.
 */
export function hasZlibHeader(bytes: Buffer): boolean {
  if (bytes.length < 2) return true;
  const cmf = bytes[0]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + bytes[1]!) % 31 === 0;
}

/**
 * `Content-Encoding: deflate` means zlib-wrapped deflate (RFC 9110), but some
 * servers send raw deflate under that name, and browsers accept both. So the
 * first bytes decide: a zlib header inflates, anything else inflates raw.
 * A pipeline stage: undici body chunks in, decoded chunks out, with backpressure
 * (the inflater is only read as fast as the next stage reads).
 */
export async function* inflateEither(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks = source[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  const inflater = hasZlibHeader(first.value) ? createInflate() : createInflateRaw();
  const input = Readable.from(
    (async function* () {
      yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
  );
  // pipeline rather than pipe: an error on either side reaches the loop below,
  // and stopping the loop early tears both down.
  yield* pipeline(input, inflater, () => {}) as AsyncIterable<Buffer>;
}
