import type { CheerioAPI } from 'cheerio/slim';
import { ownString } from './own-string.js';
import { isRobotsMeta, relNofollow, saysNofollow } from './robots-directives.js';
import { compileStreamable, matches } from './stream-plan.js';

/**
 * Which links of a page a crawl follows (--follow): the `href` of every
 * element --link-selector matches, but not `rel="nofollow"` links, and none
 * at all on a page whose `<meta name="robots">` says `nofollow` (or `none`),
 * unless --ignore-nofollow. Plain data, so it crosses to parse workers.
 */
export interface FollowOptions {
  /** --link-selector. */
  selector: string;
  /** false with --ignore-nofollow. */
  obeyNofollow: boolean;
}

/** The link selector planned once per run (every page has the same): its compounds, or null when only a DOM can answer it. */
const plans = new Map<string, ReturnType<typeof compileStreamable>>();

/** Collects a page's links to follow from the parser's events (stream-extract.ts), as they stream past. */
export class FollowCollector {
  private readonly hrefs: string[] = [];
  private nofollow = false;

  constructor(
    private readonly compounds: NonNullable<ReturnType<typeof compileStreamable>>,
    private readonly obeyNofollow: boolean,
  ) {}

  onopentag(name: string, attribs: Record<string, string>): void {
    if (name === 'meta') {
      if (this.obeyNofollow && isRobotsMeta(attribs) && saysNofollow(attribs.content!)) this.nofollow = true;
      return;
    }
    const href = attribs.href;
    if (href === undefined || !matches(this.compounds, name, attribs)) return;
    if (this.obeyNofollow && relNofollow(attribs.rel)) return;
    // Copied now: the list may outlive the page's text (own-string.ts).
    this.hrefs.push(ownString(href));
  }

  /** The raw hrefs to follow, in document order; none when the page said nofollow. */
  result(): string[] {
    return this.nofollow ? [] : this.hrefs;
  }
}

/** A collector for one page, or null when the link selector needs the DOM path (followHrefsFromDom). */
export function streamFollower(opts: FollowOptions): FollowCollector | null {
  let compounds = plans.get(opts.selector);
  if (compounds === undefined) {
    compounds = compileStreamable(opts.selector);
    plans.set(opts.selector, compounds);
  }
  return compounds === null ? null : new FollowCollector(compounds, opts.obeyNofollow);
}

/** The same answer as FollowCollector, from a parsed document: for link selectors with combinators or pseudo-classes. */
export function followHrefsFromDom($: CheerioAPI, opts: FollowOptions): string[] {
  if (opts.obeyNofollow) {
    const metas = $('meta').toArray() as unknown as { attribs: Record<string, string> }[];
    if (metas.some((el) => isRobotsMeta(el.attribs) && saysNofollow(el.attribs.content!))) return [];
  }
  const hrefs: string[] = [];
  for (const el of $(opts.selector).toArray() as unknown as { attribs?: Record<string, string> }[]) {
    const href = el.attribs?.href;
    if (href === undefined || (opts.obeyNofollow && relNofollow(el.attribs!.rel))) continue;
    hrefs.push(ownString(href));
  }
  return hrefs;
}
