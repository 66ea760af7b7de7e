/** Brotli streams as servers that flush make them, for the brotli tests. */
import { constants, createBrotliCompress } from 'node:zlib';

/**
 * `input` compressed with a flush after its first `first` bytes: the stream's
 * first meta-block ends there and is not its last, as a server that flushes
 * while it writes sends it.
 */
export async function flushed(input: Buffer, first: number, lgwin: number): Promise<Buffer> {
  const encoder = createBrotliCompress({ params: { [constants.BROTLI_PARAM_LGWIN]: lgwin, [constants.BROTLI_PARAM_QUALITY]: 5 } });
  const out: Buffer[] = [];
  encoder.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve) => encoder.on('end', () => resolve()));
  encoder.write(input.subarray(0, first));
  await new Promise<void>((resolve) => encoder.flush(() => resolve()));
  encoder.end(input.subarray(first));
  await ended;
  return Buffer.concat(out);
}
