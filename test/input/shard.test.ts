/** --shard: parsing and host hashing. */
import { describe, expect, it } from 'vitest';
import { parseShard } from '../../src/config/shard-option.js';
import { shardOfHost, shardTargets } from '../../src/input/shard.js';
import { toTarget, type Target } from '../../src/input/targets.js';
import { UsageError } from '../../src/config/usage-error.js';

describe('shard', () => {
  it('parses I/N, 1-based', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(undefined)).toBeNull();
    expect(() => parseShard('0/4')).toThrow(UsageError);
  });

  it('is stable: first 4 bytes of SHA-1 of the host, mod N, plus 1', () => {
    // Pinned values: changing the hash would move every host to another shard.
    expect([2, 3, 4].map((n) => shardOfHost('example.com', n))).toEqual([1, 1, 3]);
    expect([2, 3, 4].map((n) => shardOfHost('example.org', n))).toEqual([2, 1, 2]);
    expect([2, 3, 4].map((n) => shardOfHost('news.example.net:8080', n))).toEqual([2, 2, 4]);
  });

  it('filters targets by their host (with its port), sending lines that are not URLs to shard 1', async () => {
    const lines = ['http://example.com/a', 'http://example.org/b', 'junk', 'http://news.example.net:8080/c'];
    async function* targets(): AsyncGenerator<Target> {
      for (const line of lines) yield toTarget(line);
    }
    const collect = async (i: number): Promise<string[]> => {
      const out: string[] = [];
      for await (const t of shardTargets(targets(), { index: i, count: 2 })) out.push(t.kind === 'url' ? t.url : t.raw);
      return out;
    };
    expect(await collect(1)).toEqual(['http://example.com/a', 'junk']);
    expect(await collect(2)).toEqual(['http://example.org/b', 'http://news.example.net:8080/c']);
  });

  it('passes every target through, untouched, without --shard or with 1/1', async () => {
    const all = ['http://example.org/b', 'junk'].map(toTarget);
    async function* targets(): AsyncGenerator<Target> {
      yield* all;
    }
    for (const shard of [null, { index: 1, count: 1 }]) {
      const out: Target[] = [];
      for await (const t of shardTargets(targets(), shard)) out.push(t);
      expect(out).toEqual(all);
    }
  });
});
