import { getDomain } from 'tldts';
import { finishedKey } from '../record/finished-key.js';
import type { Discovery, SeedScope, UrlTarget } from '../schedule/target.js';
import type { CrawlFrontier } from './crawl-frontier.js';
import type { Scope } from './scopes.js';
import { type Shard, shardOfHost } from './shard.js';
import { linkTarget } from './targets.js';

/** What decides which links a crawl follows: --depth, --scope, --include, --exclude. */
export interface FollowRules {
  depth: number;
  scope: Scope;
  include: readonly RegExp[];
  exclude: readonly RegExp[];
  /** --shard: only URLs on this shard's hosts are followed; the others are left to their shards. */
  shard?: Shard | null;
}

/** A host's registrable domain (Public Suffix List, private section included: `a.github.io` ≠ `b.github.io`); the host itself when it has none (an IP, `localhost`). */
const domains = new Map<string, string>();
function domainOf(hostname: string): string {
  let d = domains.get(hostname);
  if (d === undefined) {
    d = getDomain(hostname, { allowPrivateDomains: true }) ?? hostname;
    // Hosts of one crawl are few; the cap only guards a crawl of `--scope any` over the whole web.
    if (domains.size < 10_000) domains.set(hostname, d);
  }
  return d;
}

/** The scope of a seed, from the URL it landed on. */
export function seedScope(finalUrl: string): SeedScope {
  const url = new URL(finalUrl);
  return {
    host: url.host,
    domain: domainOf(url.hostname),
    prefix: `${url.origin}${url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1)}`,
  };
}

/** Whether a URL (already parsed into a target) is within its seed's --scope. */
export function inScope(target: UrlTarget, scope: Scope, seed: SeedScope): boolean {
  switch (scope) {
    case 'host':
      return target.host === seed.host;
    case 'domain':
      // host without its port (an IPv6 host keeps its brackets, and has no domain anyway).
      return domainOf(target.host.replace(/:\d+$/, '')) === seed.domain;
    case 'prefix':
      return target.url.startsWith(seed.prefix);
    case 'any':
      return true;
  }
}

/** --include (any one must match, when given) and --exclude (none may; it wins). */
export function passesFilters(url: string, rules: Pick<FollowRules, 'include' | 'exclude'>): boolean {
  if (rules.include.length > 0 && !rules.include.some((re) => re.test(url))) return false;
  return !rules.exclude.some((re) => re.test(url));
}

/**
 * A fetched page's links → the crawl's frontier. `page` is the target whose
 * page it was; `finalUrl` where it landed (a seed's scope is taken from it).
 * Links of a page at --depth are not followed. Each link is checked against
 * the seen set first (a digest, no parse), then parsed once into its target
 * (input/targets.ts, the same normalisation as input lines), then held to the
 * seed's scope and the filters. Returns how many were queued, once they are
 * written to the frontier's log.
 */
export function followLinks(frontier: CrawlFrontier, rules: FollowRules, page: UrlTarget, finalUrl: string, links: readonly string[]): number {
  const depth = (page.found?.depth ?? 0) + 1;
  if (depth > rules.depth || links.length === 0) return 0;
  const seed = page.found?.seed ?? seedScope(finalUrl);
  let found: Discovery | null = null;
  let queued = 0;
  for (const link of links) {
    const key = finishedKey(link);
    if (frontier.has(key)) continue;
    // One object for every link of this page: they share depth, parent and seed.
    found ??= { depth, parent: page.url, source: 'link', seed };
    const target = linkTarget(link, key, found);
    if (target === null || !inScope(target, rules.scope, seed) || !passesFilters(target.url, rules)) continue;
    // Another shard's host: that shard fetches it, from its own seeds' links (the same host hash as input lines).
    if (rules.shard && shardOfHost(target.host, rules.shard.count) !== rules.shard.index) {
      frontier.leaveToOtherShard(target);
      continue;
    }
    if (frontier.add(target, link)) queued++;
  }
  // On disk before the page's record is written: a record always has its links logged (--resume).
  frontier.flush();
  return queued;
}
