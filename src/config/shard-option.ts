import type { Shard } from '../input/shard.js';
import { UsageError } from './usage-error.js';

/** `--shard I/N`, checked. */
export function parseShard(value: string | undefined): Shard | null {
  if (value === undefined) return null;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be I/N with 1 <= I <= N (e.g. 2/4), got "${value}"`);
  }
  return { index, count };
}
