import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { brotliDecompress } from './brotli.js';
import { inflateEither } from './deflate.js';
import { FetchFailure } from './failure.js';

// Each stacked encoding is another decompressor to feed; real servers use one.
const MAX_ENCODINGS = 3;

/** A pipeline stage that undoes one content-coding. */
type Decoder = Transform | ((source: AsyncIterable<Buffer>, opts: { signal: AbortSignal }) => AsyncGenerator<Buffer>);

function decoderFor(encoding: string): Decoder {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return inflateEither;
    case 'br':
      return brotliDecompress;
    default:
      throw new FetchFailure('DECODE', `unsupported content-encoding "${encoding}"`);
  }
}

/** `Content-Encoding: gzip, br` lists encodings in the order applied; undo them in reverse. */
export function decodersFor(header: string | string[] | undefined): Decoder[] {
  const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  if (list.length > MAX_ENCODINGS) {
    throw new FetchFailure('DECODE', `${list.length} stacked content-encodings (at most ${MAX_ENCODINGS} are decoded)`);
  }
  return list.reverse().map(decoderFor);
}

/**
 * Throw away a body we will not read. undici's body emits an error when destroyed
 * before its end, and an 'error' with no listener is an uncaught exception, so a
 * listener goes on first.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * Read a response body to a Buffer, decompressing as it streams and counting the
 * limit on decoded bytes, so a small compression bomb stops at `maxBytes` instead
 * of inflating into memory. On any failure the pipeline destroys the undici body
 * at once: an unread body left on a closed socket is what crashes undici 7.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | string[] | undefined,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  let decoders: Decoder[];
  try {
    decoders = decodersFor(contentEncoding);
  } catch (err) {
    discardBody(body);
    throw err;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let overLimit = false;
  const tooLarge = (): FetchFailure => new FetchFailure('TOO_LARGE', `body exceeds --max-bytes ${maxBytes} (decoded)`);
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) {
        overLimit = true;
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  };
  try {
    if (decoders.length === 0) {
      // Most bodies are not compressed: read them directly. The undici body
      // already ends with the attempt's signal, and on a throw we destroy it.
      try {
        await sink(body);
      } catch (err) {
        discardBody(body);
        throw err;
      }
    } else await (pipeline as (...args: unknown[]) => Promise<void>)(body, ...decoders, sink, { signal });
  } catch (err) {
    // pipeline may report the AbortError of tearing down the other stages
    // instead of the sink's own error; the limit is what actually happened.
    throw overLimit ? tooLarge() : err;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
