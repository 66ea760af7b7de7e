/** What --resume and a crawl's seen set ask of a set of finishedKey() digests. */
export interface KeySet {
  has(key: string): boolean;
  /** True when the key was new. */
  add(key: string): boolean;
  readonly size: number;
}

/** base64 character → its 6 bits (finishedKey writes standard base64; any other byte maps to 0). */
const SIXTETS = new Uint8Array(128);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) SIXTETS[c.charCodeAt(0)] = i;

const MIN_SLOTS = 1 << 10;
/** Grown past this share of slots in use: linear probing stays at a few probes a lookup. */
const MAX_LOAD = 0.7;

/**
 * A set of finishedKey() digests (16 base64 characters, 96 bits) kept as the
 * first 64 of their bits in one open-addressing table of 32-bit pairs: 8 bytes
 * a slot, so a million keys cost 16 MiB (2^21 slots) where a Set of the same
 * strings costs about 80 MB (a V8 string and a hash-table entry each) and
 * keeps the garbage collector busy walking them. 64 bits are plenty: among a
 * million keys the chance that two share them is about 3 in 100 million.
 *
 * Why our own and not a package: this is the crawl's seen set and the
 * --resume set (input/crawl-frontier.ts, write/destinations/append.ts), asked
 * once per link found; the keys are already uniform digests, so the table
 * needs no hash function, only the bits, and fits in 60 lines.
 */
export function keySet(): KeySet {
  let slots = MIN_SLOTS;
  let table = new Uint32Array(2 * slots);
  let size = 0;

  /** Index of the key's slot, or of the empty slot where it would go (low half 0: no key has that). */
  const find = (t: Uint32Array, mask: number, hi: number, lo: number): number => {
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const b = t[2 * i + 1]!;
      if (b === 0 || (b === lo && t[2 * i] === hi)) return i;
    }
  };

  const grow = (): void => {
    const old = table;
    slots *= 2;
    table = new Uint32Array(2 * slots);
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i]!;
      const lo = old[i + 1]!;
      if (lo === 0) continue;
      const j = find(table, slots - 1, hi, lo);
      table[2 * j] = hi;
      table[2 * j + 1] = lo;
    }
  };

  return {
    has(key) {
      const hi = high(key);
      const lo = low(key);
      const i = find(table, slots - 1, hi, lo);
      return table[2 * i + 1] === lo;
    },
    add(key) {
      const hi = high(key);
      const lo = low(key);
      const i = find(table, slots - 1, hi, lo);
      if (table[2 * i + 1] === lo) return false;
      table[2 * i] = hi;
      table[2 * i + 1] = lo;
      if (++size > slots * MAX_LOAD) grow();
      return true;
    },
    get size() {
      return size;
    },
  };
}

const six = (key: string, i: number): number => SIXTETS[key.charCodeAt(i) & 127]!;

/** Bits 0–31 of the digest (characters 0–5: 36 bits, the last 4 dropped). */
function high(key: string): number {
  return ((six(key, 0) << 26) | (six(key, 1) << 20) | (six(key, 2) << 14) | (six(key, 3) << 8) | (six(key, 4) << 2) | (six(key, 5) >> 4)) >>> 0;
}

/**
 * Bits 32–63 (characters 5–10), never 0: 0 marks an empty slot, so a digest
 * whose bits are all zero there is kept as 1 (one more 2^-32 chance of
 * sharing, for one digest in 2^32).
 */
function low(key: string): number {
  const v = ((six(key, 5) << 28) | (six(key, 6) << 22) | (six(key, 7) << 16) | (six(key, 8) << 10) | (six(key, 9) << 4) | (six(key, 10) >> 2)) >>> 0;
  return v === 0 ? 1 : v;
}
