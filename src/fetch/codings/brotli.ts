import { kMaxLength } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress as brotliDecompressAsync, brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
import { tooLarge } from '../failure.js';
import { readBrotliHeader, ringBytes } from './brotli-header.js';
import { ByteBudget } from './byte-budget.js';
import { prepend, readAhead } from './prepend.js';

/**
 * Why brotli needs care: a decoder hands out no byte before its ring buffer is
 * full or its meta-block ends, and the ring buffer grows to whatever the stream
 * asks for, up to its 16 MiB window, whatever --max-bytes says. A 200-byte bomb
 * costs 16 MiB and ~35 ms of a libuv threadpool thread (~100 ms under load)
 * before the cap can see anything. At -c 100, bombs held all four pool threads
 * (gzip bodies and DNS lookups of every host timed out) and RSS passed 600 MB.
 *
 * So the stream's first bytes decide (brotli-header.ts), before any decoding:
 * - a first meta-block longer than the cap is TOO_LARGE at once (what brotli
 *   makes of a long run of one byte, the usual bomb);
 * - a decoder whose ring buffer stays within LIGHT_RING (a page that is one
 *   meta-block, or a small window) streams like gzip: its memory and each pool
 *   job are bounded like a page of that size;
 * - any other may grow to its window: it is read whole, then decoded in one
 *   call, and a bomb stops at the cap inside that call's one pool job. What
 *   it may hold meanwhile (its window, and output up to the cap) is taken
 *   from HEAVY_BUDGET first.
 *
 * Until issue #12 every brotli stream took one global turn, so bombs queued
 * behind each other past their deadlines (26 of 26 TIMEOUT in a 4,000-URL
 * soak at -c 100), and normal brotli pages queued behind the bombs.
 */

/** WBITS and the first meta-block header take at most 36 bits. */
const HEADER_BYTES = 5;

/** A decoder whose ring buffer cannot pass this streams freely, as gzip does. */
export const LIGHT_RING = 1024 * 1024;

/**
 * Bytes that heavy decodes may hold at once, each its ring buffer and its
 * output up to the cap: two 16 MiB windows with the default 10 MiB cap, or
 * three of the 4 MiB a flushing encoder declares by default. Two decode on
 * the two cores of a small machine while the main thread parses, and leave
 * the libuv threadpool's other two threads to gzip bodies and DNS lookups;
 * one at a time left 26 bombs in a row behind each other past a 2 s
 * --timeout, and glibc keeps freed 16 MiB blocks in its arenas, so each more
 * at once costs more RSS than its size (bench/brotli-soak.mjs).
 */
export const HEAVY_BUDGET = 52 * 1024 * 1024;

/**
 * The output slice of a heavy decode: the cap and one byte more, so a bomb
 * reaches the cap in one pool job and one main-thread round trip, and is
 * stopped inside it (zlib's maxOutputLength), before a second job can start.
 * With the default 16 KiB slices it took 640 round trips to reach a 10 MiB
 * cap, each waiting for a turn of a busy event loop, and the job started by
 * the last read ran on after the cap: 26 bombs in a row took seconds that way.
 * Only the bytes written are ever touched.
 */
const heavyChunk = (limit: number): number => Math.max(64 * 1024, Math.min(limit + 1, 16 * 1024 * 1024));

const decompress = promisify(brotliDecompressAsync);

const budget = new ByteBudget(HEAVY_BUDGET);

/**
 * The whole body in one call, when it is one meta-block of at most `max`
 * bytes: then the work and the ring buffer are bounded by that length, as
 * gzip's one-shot is by its output. Otherwise null: only streaming can tell.
 */
export function brotliOneShot(raw: Buffer, max: number): Buffer | null {
  const first = readBrotliHeader(raw)?.first;
  if (!first?.last || first.length > max) return null;
  return brotliDecompressSync(raw, { maxOutputLength: max });
}

/**
 * A pipeline stage: compressed chunks in, decoded chunks out. `limit` is
 * --max-bytes: a first meta-block declaring more ends the stream before a
 * decoder exists. Null when the caller keeps the first bytes of a body past
 * its limit (robots.txt): every stream then decodes as a light one, and the
 * caller's cut ends it (a bomb there costs its window once per host).
 */
export function brotliDecompress(limit: number | null) {
  return async function* decodeBrotli(source: AsyncIterable<Buffer>, opts: { signal: AbortSignal }): AsyncGenerator<Buffer> {
    const input = source[Symbol.asyncIterator]();
    if (limit === null) return yield* light([], input);
    const head = await readAhead(input, HEADER_BYTES);
    if (head.length === 0) return yield* light(head.chunks, input);
    const header = readBrotliHeader(head.chunks.length === 1 ? head.chunks[0]! : Buffer.concat(head.chunks));
    if (header?.first && header.first.length > limit) throw tooLarge(limit);
    const ring = ringBytes(header);
    if (ring <= LIGHT_RING) return yield* light(head.chunks, input);
    yield* heavy(head.chunks, input, ring + Math.min(limit, kMaxLength), limit, opts.signal);
  };
}

/** A decoder like gzip's: with backpressure, on the threadpool, no turn to wait for. */
function light(first: Buffer[], rest: AsyncIterator<Buffer>): AsyncIterable<Buffer> {
  // pipeline rather than pipe: an error on either side reaches the caller's
  // loop, and stopping that loop early tears both down.
  return pipeline(Readable.from(prepend(first, rest)), createBrotliDecompress(), () => {}) as AsyncIterable<Buffer>;
}

/**
 * A stream that may fill a big window: read whole first (a bomb is a few
 * hundred bytes; the network is never waited for while budget is held), then
 * decoded in one call with `holds` bytes of the budget. When that call
 * returns the decoder is gone, its ring buffer with it.
 */
async function* heavy(first: Buffer[], rest: AsyncIterator<Buffer>, holds: number, limit: number, signal: AbortSignal): AsyncGenerator<Buffer> {
  // Compressed bytes past the cap decode past it too: brotli cannot shrink
  // what it stores (only metadata blocks, which decode to nothing, could).
  const whole = await readAhead(rest, limit + 1, first);
  if (!whole.ended) throw tooLarge(limit);
  // A deadline or stop while queued ends the wait: the bomb never decodes later.
  const held = await budget.acquire(holds, signal);
  const input = whole.chunks.length === 1 ? whole.chunks[0]! : Buffer.concat(whole.chunks, whole.length);
  const decoding = decompress(input, { maxOutputLength: Math.min(limit, kMaxLength), chunkSize: heavyChunk(limit) });
  // A pool job cannot be stopped, and its ring buffer lives until it ends: the
  // bytes go back to the budget then, though a deadline ends the wait at once.
  const release = (): void => budget.release(held);
  decoding.then(release, release);
  let decoded: Buffer;
  try {
    decoded = await untilAborted(decoding, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit);
    throw err;
  }
  // A page is a slice of the big output slice: keep its bytes, not the slice's buffer.
  yield decoded.length < decoded.buffer.byteLength >> 1 ? Buffer.from(decoded) : decoded;
}

/** `work`, or the signal's reason if it aborts first (the work runs on). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let abort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', abort));
}
