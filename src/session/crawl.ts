import type { Config } from '../config/resolve.js';
import { crawlFrontier, type CrawlFrontier } from '../input/crawl-frontier.js';
import { followLinks } from '../input/follow.js';
import type { Target, UrlTarget } from '../input/targets.js';
import { robotsTagSaysNofollow } from '../parse/robots-directives.js';
import { sourceOf } from '../schedule/window.js';
import type { Extracted } from '../record/extraction.js';
import type { FinalResponse } from '../fetch/attempt.js';

/** A crawl's hook: an HTML page was parsed, and these are its extracted fields and response. */
export type OnPage = (extracted: Extracted, response: FinalResponse) => void;

export interface Crawl {
  frontier: CrawlFrontier;
  /** What a parsed page of `target` hands the crawl. */
  onPage(target: UrlTarget): OnPage;
}

/**
 * --follow: the crawl's frontier over the input lines (the seeds), and what
 * a parsed page hands it: its links, unless the response's X-Robots-Tag says
 * nofollow (the page's own meta robots and rel=nofollow are the parse
 * stage's, follow-links.ts).
 */
export function openCrawl(config: Config, targets: AsyncIterable<Target>): Crawl {
  const frontier = crawlFrontier(sourceOf(targets), config.maxPages);
  return {
    frontier,
    onPage: (target) => (extracted, response) => {
      if (!config.ignoreNofollow && robotsTagSaysNofollow(response.headers?.['x-robots-tag'], config.robotsAgent)) return;
      followLinks(frontier, config, target, response.finalUrl, extracted.follow ?? []);
    },
  };
}
