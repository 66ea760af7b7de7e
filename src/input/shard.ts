import { createHash } from 'node:crypto';
import type { Target } from './targets.js';

/** `--shard I/N`: this process takes shard `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Which shard (1-based) a host belongs to: the first 4 bytes of SHA-1 of the
 * host (lower-case, with its port when the URL has one) modulo N. SHA-1 rather
 * than a string hash of our own so that any machine, any version and any
 * language computes the same split.
 */
export function shardOfHost(host: string, count: number): number {
  return (createHash('sha1').update(host).digest().readUInt32BE(0) % count) + 1;
}

/**
 * Keep only this shard's targets. Every URL of one host lands on one shard, so
 * per-host politeness (--per-host, --rate, Crawl-delay) still holds across N
 * processes. Lines that are not URLs have no host: shard 1 reports them, so the
 * shards' outputs together hold every input line exactly once.
 */
export async function* shardTargets(targets: AsyncIterable<Target>, shard: Shard | null): AsyncGenerator<Target> {
  if (shard === null || shard.count === 1) {
    yield* targets;
    return;
  }
  for await (const t of targets) {
    const mine = t.kind === 'url' ? shardOfHost(t.host, shard.count) === shard.index : shard.index === 1;
    if (mine) yield t;
  }
}
