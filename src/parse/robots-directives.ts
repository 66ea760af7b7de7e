/**
 * Robots directives that say "do not follow these links" (--follow obeys
 * them unless --ignore-nofollow): `rel="nofollow"` on a link, `<meta
 * name="robots" content="nofollow">` on a page, the `X-Robots-Tag` response
 * header. Apart from the parser so the pipeline reads the header without
 * loading the parse stage.
 */

/** Space- or comma-separated directive tokens, lower-cased. */
const tokens = (value: string): string[] => value.toLowerCase().split(/[\s,]+/);

/** Robots directives that stop links being followed: `nofollow`, and `none` (noindex + nofollow). */
export const saysNofollow = (directives: string): boolean => tokens(directives).some((t) => t === 'nofollow' || t === 'none');

/** `rel` is a set of space-separated keywords (HTML § 4.6.1), matched without regard to case. */
export const relNofollow = (rel: string | undefined): boolean => rel !== undefined && tokens(rel).includes('nofollow');

export const isRobotsMeta = (attribs: Record<string, string>): boolean => attribs.name?.toLowerCase() === 'robots' && attribs.content !== undefined;

/**
 * X-Robots-Tag values (one per header line, or comma-joined) that say
 * nofollow for us: unscoped (`nofollow`, `noindex, nofollow`, `none`) or
 * scoped to our robots.txt token (`scrape: nofollow`); another bot's
 * (`googlebot: nofollow`) is not ours. Directives that take a value
 * themselves (`unavailable_after: …`) are not bot names.
 */
export function robotsTagSaysNofollow(values: string | readonly string[] | null | undefined, agent: string): boolean {
  if (values === null || values === undefined) return false;
  for (const value of typeof values === 'string' ? [values] : values) {
    const scoped = /^\s*([A-Za-z0-9_-]+)\s*:(.*)$/s.exec(value);
    if (scoped && !VALUED_DIRECTIVES.has(scoped[1]!.toLowerCase())) {
      if (scoped[1]!.toLowerCase() === agent.toLowerCase() && saysNofollow(scoped[2]!)) return true;
    } else if (saysNofollow(value)) return true;
  }
  return false;
}

const VALUED_DIRECTIVES = new Set(['unavailable_after', 'max-snippet', 'max-image-preview', 'max-video-preview']);
