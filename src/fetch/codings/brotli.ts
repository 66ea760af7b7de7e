import { pipeline, Readable } from 'node:stream';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
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
 * - any other may grow to its window: it decodes with bytes of HEAVY_BUDGET
 *   taken for its window for as long as the decoder lives.
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
 * Ring-buffer bytes that heavy decoders share: two 16 MiB windows, or eight of
 * the 4 MiB a flushing encoder at its default window declares. Two decode on
 * the two cores of a small machine while the main thread parses; one at a time
 * left 26 bombs in a row ~100 ms each behind each other. Each also holds up to
 * --max-bytes of output when it is stopped, and glibc keeps freed 16 MiB blocks
 * in its arenas (bench/memory-faults.mjs): more than two did not finish sooner
 * on two cores and cost ~50 MB more at the peak.
 */
export const HEAVY_BUDGET = 32 * 1024 * 1024;

/**
 * A heavy stream is read this far before it takes budget, so that a bomb (a
 * few hundred bytes) or a whole page decodes without waiting on the network
 * while it holds bytes of the budget. A longer body holds them while it streams.
 */
const READ_AHEAD = 1024 * 1024;

/** Output slices for heavy decoders: 16 KiB ones cost a main-thread round trip each, 640 to reach a 10 MiB cap. */
const HEAVY_CHUNK = 256 * 1024;

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
 * A pipeline stage: compressed chunks in, decoded chunks out. `limit` is the
 * most decoded bytes wanted (--max-bytes when brotli is the body's last
 * coding), so a first meta-block declaring more ends the stream before a
 * decoder exists.
 */
export function brotliDecompress(limit: number) {
  return async function* decodeBrotli(source: AsyncIterable<Buffer>, opts: { signal: AbortSignal }): AsyncGenerator<Buffer> {
    const input = source[Symbol.asyncIterator]();
    const head = await readAhead(input, HEADER_BYTES);
    if (head.length === 0) return yield* light(head.chunks, input);
    const header = readBrotliHeader(head.chunks.length === 1 ? head.chunks[0]! : Buffer.concat(head.chunks));
    if (header?.first && header.first.length > limit) throw tooLarge(limit);
    const ring = ringBytes(header);
    if (ring <= LIGHT_RING) return yield* light(head.chunks, input);
    yield* heavy(head.chunks, input, ring, opts.signal);
  };
}

/** A decoder like gzip's: with backpressure, on the threadpool, no turn to wait for. */
function light(first: Buffer[], rest: AsyncIterator<Buffer>): AsyncIterable<Buffer> {
  // pipeline rather than pipe: an error on either side reaches the caller's
  // loop, and stopping that loop early tears both down.
  return pipeline(Readable.from(prepend(first, rest)), createBrotliDecompress(), () => {}) as AsyncIterable<Buffer>;
}

/**
 * A decoder that may fill a big window, with `ring` bytes of the budget from
 * before its first byte of input until its memory is gone.
 */
async function* heavy(first: Buffer[], rest: AsyncIterator<Buffer>, ring: number, signal: AbortSignal): AsyncGenerator<Buffer> {
  const ahead = await readAhead(rest, READ_AHEAD, first);
  // A deadline or stop while queued ends the wait: the bomb never decodes later.
  const held = await budget.acquire(ring, signal);
  const decoder = createBrotliDecompress({ chunkSize: HEAVY_CHUNK });
  const abort = (): void => void decoder.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  // The write in flight: its callback comes when the decoder has consumed the
  // chunk, after its last pool job, even if the decoder was destroyed meanwhile.
  // (Set inside feed: the compiler cannot see that from the finally below.)
  let writing = null as Promise<void> | null;
  const feed = async (): Promise<void> => {
    for await (const chunk of prepend(ahead.chunks, rest)) {
      if (decoder.destroyed) return;
      writing = new Promise<void>((resolve, reject) => decoder.write(chunk, (err) => (err ? reject(err) : resolve())));
      await writing;
    }
    decoder.end();
  };
  // An error on the way in (the body, the decoder) ends the loop below with it.
  feed().catch((err: Error) => decoder.destroy(err));
  try {
    yield* decoder.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  } finally {
    signal.removeEventListener('abort', abort);
    // A pool job still running cannot be stopped, and its ring buffer lives
    // until it ends: the bytes come back with its write callback. A decoder
    // only waiting for us to read its full buffer has no job, and never will.
    const job = writing !== null && decoder.readableLength < decoder.readableHighWaterMark ? writing : null;
    decoder.destroy();
    const release = (): void => budget.release(held);
    if (job) job.then(release, release);
    else release();
  }
}
