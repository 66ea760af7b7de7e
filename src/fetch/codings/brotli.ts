import { createBrotliDecompress } from 'node:zlib';

/**
 * Brotli streams decoding at once, across the whole run.
 *
 * Why: a brotli decoder fills its ring buffer, up to the stream's 16 MiB window,
 * before it hands out a byte, so a 200-byte bomb costs 16 MiB and ~35 ms of a
 * libuv threadpool thread whatever --max-bytes says. At -c 100, bombs held all
 * four pool threads: gzip bodies and DNS lookups (the same pool) of every other
 * host timed out, and RSS passed 600 MB. One at a time leaves the rest of the
 * pool to everyone else and caps bomb memory at one 16 MiB window. Two at a
 * time peaked at 265 MB in bench/memory-faults.mjs (20,000 hostile URLs at
 * -c 100), one at 220 MB: glibc keeps freed 16 MiB blocks in its arenas, so a
 * second window costs more than its size. 3,000 brotli pages at -c 32 took the
 * same time either way (2.7-3.0 s): a normal page holds its turn for well
 * under a millisecond.
 *
 * A stream holds a turn only while the decoder works on a chunk it was given,
 * not while waiting for the network, so a slow brotli page never blocks others.
 */
export const MAX_BROTLI_AT_ONCE = 1;

let active = 0;
const queue: Array<() => void> = [];

function acquire(): Promise<void> {
  if (active < MAX_BROTLI_AT_ONCE) {
    active++;
    return Promise.resolve();
  }
  return new Promise((resolve) => queue.push(resolve));
}

function release(): void {
  const next = queue.shift();
  if (next) next();
  else active--;
}

/**
 * A pipeline stage: compressed chunks in, decoded chunks out, each chunk given
 * to the decoder only with a turn, and the turn given back once the decoder has
 * consumed it (or the stream ends early, as at --max-bytes).
 */
export async function* brotliDecompress(source: AsyncIterable<Buffer>, opts?: { signal?: AbortSignal }): AsyncGenerator<Buffer> {
  const decoder = createBrotliDecompress();
  // pipeline's own signal (deadline, stop, an error elsewhere): a stream that
  // gives up while queued must not decode its bomb later, holding a turn.
  const signal = opts?.signal;
  const abort = (): void => void decoder.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (signal?.aborted) abort();
  else signal?.addEventListener('abort', abort, { once: true });
  let holding = false;
  let writing = false;
  const give = (): void => {
    if (holding) {
      holding = false;
      release();
    }
  };
  const feed = async (): Promise<void> => {
    for await (const chunk of source) {
      await acquire();
      holding = true;
      if (decoder.destroyed) return give();
      writing = true;
      try {
        // The callback comes when the decoder has consumed the chunk: after its
        // pool job, even if the decoder was destroyed meanwhile.
        await new Promise<void>((resolve, reject) => decoder.write(chunk, (err) => (err ? reject(err) : resolve())));
      } finally {
        writing = false;
        give();
      }
    }
    decoder.end();
  };
  // An error on the way in (the body, the decoder) ends the loop below with it.
  feed().catch((err: Error) => decoder.destroy(err));
  try {
    yield* decoder.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  } finally {
    signal?.removeEventListener('abort', abort);
    // A pool job still running cannot be stopped: its turn comes back with the
    // write callback above, so at most MAX_BROTLI_AT_ONCE jobs ever run. A decoder that is only
    // waiting for us to read its full buffer has no job, and never will: give
    // the turn back now.
    if (!writing || decoder.readableLength >= decoder.readableHighWaterMark) give();
    decoder.destroy();
  }
}
