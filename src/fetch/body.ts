import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { brotliDecompress } from './brotli.js';
import { hasZlibHeader, inflateEither } from './deflate.js';
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
 * A gzip or deflate body whose compressed bytes fit in this is read whole and
 * inflated in one synchronous call, when it inflates to at most SYNC_MAX_OUTPUT.
 * A ~30 KB page gzips to ~9 KB, and the streaming path's pool hops and pipeline
 * cost ~250 us a page against ~40 us for the inflate itself: 3,000 gzip pages at
 * -c 32 took 2.8 s against 2.0 s uncompressed. Both bounds keep the main thread's
 * work per body to about a millisecond, so a bomb costs that and then takes the
 * streaming path, which counts --max-bytes as before.
 */
const SYNC_MAX_INPUT = 256 * 1024;
const SYNC_MAX_OUTPUT = 1024 * 1024;

type SyncInflate = (raw: Buffer, maxOutputLength: number) => Buffer;

/** The one-shot inflater for a body with this single encoding, if it has one. */
function syncInflater(contentEncoding: string | string[] | undefined): SyncInflate | null {
  if (typeof contentEncoding !== 'string') return null;
  const e = contentEncoding.trim().toLowerCase();
  if (e === 'gzip' || e === 'x-gzip') return (raw, max) => gunzipSync(raw, { maxOutputLength: max });
  if (e === 'deflate') return (raw, max) => (hasZlibHeader(raw) ? inflateSync : inflateRawSync)(raw, { maxOutputLength: max });
  return null;
}

function isOverOutputLimit(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** `first`, then whatever `rest` still has: a body partly read, handed on whole. */
async function* prepend(first: readonly Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
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
  let source: AsyncIterable<Buffer> = body;
  const inflate = syncInflater(contentEncoding);
  if (inflate) {
    // Small gzip/deflate bodies: read the compressed bytes, inflate at once.
    const raw: Buffer[] = [];
    let rawLength = 0;
    const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let ended = false;
    try {
      while (rawLength <= SYNC_MAX_INPUT) {
        const next = await it.next();
        if (next.done) {
          ended = true;
          break;
        }
        raw.push(next.value);
        rawLength += next.value.length;
      }
    } catch (err) {
      discardBody(body);
      throw err;
    }
    // An empty body keeps the streaming path's answer (deflate: empty; gzip: DECODE).
    if (ended && rawLength > 0) {
      const whole = raw.length === 1 ? raw[0]! : Buffer.concat(raw, rawLength);
      const limit = Math.min(maxBytes, SYNC_MAX_OUTPUT);
      try {
        return inflate(whole, limit);
      } catch (err) {
        if (!isOverOutputLimit(err)) throw err;
        if (limit === maxBytes) throw tooLarge();
        // Bigger than the one-shot bound (or a bomb): the streaming path decides.
      }
    }
    // Too big to read whole, or to inflate at once: stream it, from the start.
    source = prepend(raw, it);
  }
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
    } else await (pipeline as (...args: unknown[]) => Promise<void>)(source, ...decoders, sink, { signal });
  } catch (err) {
    // A body handed on partly read is not pipeline's to destroy: do it here.
    if (source !== body) discardBody(body);
    // pipeline may report the AbortError of tearing down the other stages
    // instead of the sink's own error; the limit is what actually happened.
    throw overLimit ? tooLarge() : err;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
