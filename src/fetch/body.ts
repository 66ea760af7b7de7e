import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { brotliDecompress, brotliOneShot } from './codings/brotli.js';
import { hasZlibHeader, inflateEither } from './codings/deflate.js';
import { prepend } from './codings/prepend.js';
import { FetchFailure, tooLarge } from './failure.js';

// Each stacked encoding is another decompressor to feed; real servers use one.
const MAX_ENCODINGS = 3;

/** A pipeline stage that undoes one content-coding. */
type Decoder = Transform | ((source: AsyncIterable<Buffer>, opts: { signal: AbortSignal }) => AsyncGenerator<Buffer>);

/**
 * Undoes a whole body at once, throwing ERR_BUFFER_TOO_LARGE past `maxOutputLength`;
 * null when one call cannot be trusted with this body (brotli.ts) and it must stream.
 */
type OneShot = (raw: Buffer, maxOutputLength: number) => Buffer | null;

interface Coding {
  /**
   * A fresh streaming stage, made only when the body streams. `limit` is
   * --max-bytes: a stage may stop at once when it knows its output will pass
   * it (a stacked coding's output is compressed bytes, which decode to more).
   * Null when the body is cut at the limit instead (truncate): the stage must
   * hand out its first bytes whatever follows.
   */
  stream(limit: number | null): Decoder;
  /** For small bodies (readSmall). */
  oneShot?: OneShot;
}

const gzip: Coding = { stream: () => createGunzip(), oneShot: (raw, max) => gunzipSync(raw, { maxOutputLength: max }) };
const CODINGS: Readonly<Record<string, Coding>> = {
  gzip,
  'x-gzip': gzip,
  deflate: {
    stream: () => inflateEither,
    oneShot: (raw, max) => (hasZlibHeader(raw) ? inflateSync : inflateRawSync)(raw, { maxOutputLength: max }),
  },
  br: { stream: (limit) => brotliDecompress(limit), oneShot: brotliOneShot },
};

/** `Content-Encoding: gzip, br` lists encodings in the order applied: returned in the order to undo them. */
function codingsOf(header: string | string[] | undefined): Coding[] {
  const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  if (list.length > MAX_ENCODINGS) {
    throw new FetchFailure('DECODE', `${list.length} stacked content-encodings (at most ${MAX_ENCODINGS} are decoded)`);
  }
  return list.reverse().map((e) => {
    if (!Object.hasOwn(CODINGS, e)) throw new FetchFailure('DECODE', `unsupported content-encoding "${e}"`);
    return CODINGS[e]!;
  });
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
 * A compressed body whose compressed bytes fit in this is read whole and
 * undone in one synchronous call, when it decodes to at most SYNC_MAX_OUTPUT
 * (brotli only when it is one meta-block that says so: see brotli.ts).
 * A ~30 KB page gzips to ~9 KB, and the streaming path's pool hops and pipeline
 * cost ~250 us a page against ~40 us for the inflate itself: 3,000 gzip pages at
 * -c 32 took 2.8 s against 2.0 s uncompressed. Both bounds keep the main thread's
 * work per body to about a millisecond, so a bomb costs that and then takes the
 * streaming path, which counts --max-bytes as before.
 */
const SYNC_MAX_INPUT = 256 * 1024;
const SYNC_MAX_OUTPUT = 1024 * 1024;

/**
 * Read up to SYNC_MAX_INPUT compressed bytes and, if the body ended within them,
 * undo it in one call. Returns the decoded body, or the whole body to stream
 * when it is too big for that, when its coding will not trust it to one call,
 * or when it is empty (the streaming path keeps its answer: deflate an empty
 * page, gzip DECODE).
 */
async function readSmall(body: Readable, oneShot: OneShot, maxBytes: number, truncate: boolean): Promise<Buffer | AsyncIterable<Buffer>> {
  const raw: Buffer[] = [];
  let rawLength = 0;
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    while (rawLength <= SYNC_MAX_INPUT) {
      const next = await it.next();
      if (next.done) {
        if (rawLength === 0) break;
        const limit = Math.min(maxBytes, SYNC_MAX_OUTPUT);
        try {
          const decoded = oneShot(raw.length === 1 ? raw[0]! : Buffer.concat(raw, rawLength), limit);
          if (decoded) return decoded;
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException)?.code !== 'ERR_BUFFER_TOO_LARGE') throw err;
          if (limit === maxBytes && !truncate) throw tooLarge(maxBytes);
          // Bigger than the one-shot bound (or a bomb, or a body to cut at the limit): the streaming path decides.
          break;
        }
      }
      raw.push(next.value);
      rawLength += next.value.length;
    }
  } catch (err) {
    discardBody(body);
    throw err;
  }
  return prepend(raw, it);
}

/**
 * Read a response body to a Buffer, decompressing as it streams and counting the
 * limit on decoded bytes, so a small compression bomb stops at `maxBytes` instead
 * of inflating into memory. On any failure the pipeline destroys the undici body
 * at once: an unread body left on a closed socket is what crashes undici 7.
 * With `truncate`, a body over the limit is cut there instead of failing: its
 * first `maxBytes` decoded bytes are returned and the rest is never read.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | string[] | undefined,
  maxBytes: number,
  signal: AbortSignal,
  truncate = false,
): Promise<Buffer> {
  let codings: Coding[];
  try {
    codings = codingsOf(contentEncoding);
  } catch (err) {
    discardBody(body);
    throw err;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let overLimit = false;
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) {
        overLimit = true;
        if (truncate) chunks.push(chunk.subarray(0, chunk.length - (total - maxBytes)));
        throw tooLarge(maxBytes);
      }
      chunks.push(chunk);
    }
  };
  let source: AsyncIterable<Buffer> = body;
  try {
    if (codings.length === 0) {
      // Most bodies are not compressed: read them directly. The undici body
      // already ends with the attempt's signal, and on a throw we destroy it.
      try {
        await sink(body);
      } catch (err) {
        discardBody(body);
        throw err;
      }
    } else {
      const oneShot = codings.length === 1 ? codings[0]!.oneShot : undefined;
      if (oneShot) {
        const small = await readSmall(body, oneShot, maxBytes, truncate);
        if (Buffer.isBuffer(small)) return small;
        source = small;
      }
      const decoders = codings.map((c) => c.stream(truncate ? null : maxBytes));
      await (pipeline as (...args: unknown[]) => Promise<void>)(source, ...decoders, sink, { signal });
    }
  } catch (err) {
    // A body handed on partly read is not pipeline's to destroy: do it here.
    if (source !== body) discardBody(body);
    if (overLimit && truncate) return Buffer.concat(chunks, maxBytes);
    // pipeline may report the AbortError of tearing down the other stages
    // instead of the sink's own error; the limit is what actually happened.
    throw overLimit ? tooLarge(maxBytes) : err;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
