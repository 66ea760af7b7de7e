/**
 * What the first bytes of a brotli stream promise (RFC 7932, sections 9.1 and
 * 9.2): the sliding window, and the length of the first meta-block. Read before
 * any decoding, they bound what a decoder will cost: its ring buffer never
 * grows past the window, and a stream whose first meta-block is also its last
 * decodes to exactly that many bytes.
 */
export interface BrotliHeader {
  /** 1 << WBITS: the most the decoder's ring buffer grows to (the window is 16 bytes less). */
  readonly windowBytes: number;
  /** The first meta-block; null when the stream opens with a metadata block, which says nothing of what follows. */
  readonly first: { readonly length: number; readonly last: boolean } | null;
}

/** Reads bits least-significant first, as brotli packs them; null past the end. */
function bitReader(bytes: Uint8Array): (count: number) => number | null {
  let at = 0;
  return (count) => {
    if (at + count > bytes.length * 8) return null;
    let value = 0;
    for (let i = 0; i < count; i++, at++) value += ((bytes[at >> 3]! >> (at & 7)) & 1) * 2 ** i;
    return value;
  };
}

/** WBITS (section 9.1): 16, 17 to 24, or 10 to 15; null for the reserved code (large windows) and a short stream. */
function windowBits(read: (count: number) => number | null): number | null {
  const one = read(1);
  if (one === 0) return 16;
  const three = read(3);
  if (one === null || three === null) return null;
  if (three !== 0) return 17 + three;
  const more = read(3);
  if (more === null || more === 1) return null;
  return more === 0 ? 17 : 8 + more;
}

/**
 * The header of a brotli stream from its first bytes (5 are enough), or null
 * when they are too few or not a valid header. Nothing is decoded: a wrong
 * stream is still found wrong by the decoder.
 */
export function readBrotliHeader(bytes: Uint8Array): BrotliHeader | null {
  const read = bitReader(bytes);
  const wbits = windowBits(read);
  if (wbits === null) return null;
  const windowBytes = 2 ** wbits;
  const last = read(1);
  if (last === null) return null;
  if (last === 1) {
    const empty = read(1);
    if (empty === null) return null;
    if (empty === 1) return { windowBytes, first: { length: 0, last: true } };
  }
  // MNIBBLES: 4, 5 or 6 nibbles of MLEN - 1; 3 marks a metadata block.
  const mnibbles = read(2);
  if (mnibbles === null) return null;
  if (mnibbles === 3) return { windowBytes, first: null };
  const nibbles = mnibbles + 4;
  const lengthMinusOne = read(nibbles * 4);
  if (lengthMinusOne === null) return null;
  // More than four nibbles with the last one zero is invalid: the length had a shorter form.
  if (nibbles > 4 && lengthMinusOne < 2 ** ((nibbles - 1) * 4)) return null;
  return { windowBytes, first: { length: lengthMinusOne + 1, last: last === 1 } };
}

/**
 * The most ring buffer a decoder of this stream may hold. The decoder sizes it
 * to the output it knows is coming (a power of two, at least 1 KiB), so a
 * stream that is one meta-block needs no more than that meta-block; any other
 * may grow it to the window. Unknown streams count as the largest window a
 * decoder accepts (16 MiB: large windows are not enabled).
 */
export function ringBytes(header: BrotliHeader | null): number {
  if (header === null) return 2 ** 24;
  const first = header.first;
  if (first === null || !first.last) return header.windowBytes;
  return Math.min(header.windowBytes, Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(first.length, 1)))));
}
