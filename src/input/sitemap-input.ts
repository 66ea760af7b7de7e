import { keySet } from '../record/key-set.js';
import type { Shard } from './shard.js';
import { shardOfHost } from './shard.js';
import { readSitemaps, robotsSitemaps, type SitemapOptions } from './sitemap.js';
import { dedupeKeyOf, isIgnoredLine, toTarget, type Target } from './targets.js';

export interface SitemapInput {
  /** --sitemap URLs. */
  sitemaps: readonly string[];
  /** --sitemaps-from-robots: also each input origin's robots.txt Sitemap lines. */
  fromRobots: boolean;
  shard: Shard | null;
  reader: SitemapOptions;
}

/**
 * The run's input with the sitemaps' entries after it (--sitemap): the input
 * lines first, as they come, then each sitemap's `<loc>` URLs, parsed and
 * deduped as input lines are (against the input too) and marked as from a
 * sitemap. With --sitemaps-from-robots, the robots.txt of every origin the
 * input named is read for its Sitemap lines once the input has ended.
 */
export async function* withSitemaps(input: AsyncIterable<Target>, opts: SitemapInput): AsyncGenerator<Target> {
  const seen = keySet();
  const origins = opts.fromRobots ? new Set<string>() : null;
  for await (const target of input) {
    seen.add(dedupeKeyOf(target));
    if (origins !== null && target.kind === 'url') origins.add(target.origin);
    yield target;
  }
  const roots = [...opts.sitemaps];
  if (origins !== null) for (const origin of origins) roots.push(...(await robotsSitemaps(origin, opts.reader)));
  for await (const entry of readSitemaps(roots, opts.reader)) {
    const line = entry.url.trim();
    if (isIgnoredLine(line)) continue;
    const target = toTarget(line);
    const key = dedupeKeyOf(target);
    if (!seen.add(key)) continue;
    if (target.kind === 'url') {
      if (opts.shard !== null && shardOfHost(target.host, opts.shard.count) !== opts.shard.index) continue;
      yield { ...target, fromSitemap: true };
    } else yield target;
  }
}
