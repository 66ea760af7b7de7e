/** --shard: parsing and host hashing. */
import { describe, expect, it } from 'vitest';
import { parseShard } from '../../src/config/shard-option.js';
import { shardOfHost, shardTargets } from '../../src/input/shard.js';
import type { Target } from '../../src/input/targets.js';
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

  it('filters targets, sending lines that are not URLs to shard 1', async () => {
    async function* targets(): AsyncGenerator<Target> {
      yield { kind: 'url', url: 'http://example.com/a' };
      yield { kind: 'url', url: 'http://example.org/b' };
      yield { kind: 'invalid', raw: 'junk' };
    }
    const collect = async (i: number): Promise<Target[]> => {
      const out: Target[] = [];
      for await (const t of shardTargets(targets(), { index: i, count: 2 })) out.push(t);
      return out;
    };
    expect(await collect(1)).toEqual([{ kind: 'url', url: 'http://example.com/a' }, { kind: 'invalid', raw: 'junk' }]);
    expect(await collect(2)).toEqual([{ kind: 'url', url: 'http://example.org/b' }]);
  });
});
