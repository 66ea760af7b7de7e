import { streamFollower, type FollowCollector, type FollowOptions } from './follow-links.js';
import { ownString } from './own-string.js';
import { streamExtract } from './stream-extract.js';
import { planStream, type StreamPlan } from './stream-plan.js';
import { Unsupported } from './tree-check.js';
import type { Extracted, SelectorSpec } from '../record/extraction.js';

export interface ExtractOptions {
  selectors: readonly SelectorSpec[];
  links: boolean;
  /** --follow: also return the links a crawl follows (follow-links.ts) as `follow`. */
  follow?: FollowOptions | null;
}

export const URL_ATTRS = new Set(['href', 'src']);

const ASCII_WHITESPACE_RUN = /[\t\n\f\r ]+/g;

/**
 * The HTML Standard's "strip and collapse ASCII whitespace" (what
 * document.title does): runs of tab, LF, FF, CR and space become one space,
 * trimmed at both ends. U+00A0 (&nbsp;) and other Unicode spaces are text and
 * stay. A copy that does not pin the page (own-string.ts).
 */
export function collapse(text: string): string {
  const collapsed = text.replace(ASCII_WHITESPACE_RUN, ' ');
  const from = collapsed.charCodeAt(0) === 32 ? 1 : 0;
  const to = collapsed.length - (collapsed.length > from && collapsed.charCodeAt(collapsed.length - 1) === 32 ? 1 : 0);
  return ownString(collapsed.slice(from, to));
}

export function absolute(value: string, base: string): string | null {
  try {
    return new URL(value.trim(), base).href;
  } catch {
    return null;
  }
}

/** Absolute http(s) links, fragment dropped, first occurrence kept. */
export function resolveLinks(hrefs: Iterable<string>, base: string): string[] {
  const seen = new Set<string>();
  for (const href of hrefs) {
    const abs = absolute(href, base);
    if (abs === null || !(abs.startsWith('http:') || abs.startsWith('https:'))) continue;
    const hash = abs.indexOf('#');
    seen.add(hash < 0 ? abs : abs.slice(0, hash));
  }
  return [...seen];
}

// Selectors are the same for every page of a run: plan them once.
const plans = new WeakMap<readonly SelectorSpec[], StreamPlan | null>();

function planFor(selectors: readonly SelectorSpec[]): StreamPlan | null {
  let plan = plans.get(selectors);
  if (plan === undefined) {
    plan = planStream(selectors);
    plans.set(selectors, plan);
  }
  return plan;
}

/**
 * The DOM path (extract-dom.ts: parse5's tree and cheerio), for the pages the
 * streaming path cannot answer. Its modules take ~35 ms to load, so a run loads
 * them on the first page that needs them (inline.ts), and a run whose pages
 * all stream never does; worker threads load them at once (worker.ts).
 */
export type DomPath = (html: string, pageUrl: string, opts: ExtractOptions) => Extracted;

/**
 * HTML text → title, selector data and links, as a browser's tree gives them,
 * or null when only the DOM path can answer: a selector that needs a DOM, or a
 * page whose markup htmlparser2 would build differently from the HTML Standard
 * (tree-check.ts). Pure: the same input gives the same output. Streaming
 * through htmlparser2 (stream-extract.ts) is several times faster than
 * building a tree.
 */
export function extractStreaming(html: string, pageUrl: string, opts: ExtractOptions): Extracted | null {
  const plan = planFor(opts.selectors);
  // --follow with a link selector only a DOM can answer takes the DOM path.
  const follower = opts.follow ? streamFollower(opts.follow) : null;
  if (plan === null || (opts.follow && follower === null)) return null;
  const r = tryStream(html, plan, opts.links, follower);
  if (r === null) return null;
  const base = (r.baseHref !== undefined ? absolute(r.baseHref, pageUrl) : null) ?? pageUrl;
  for (const { spec } of plan.selectors) {
    if (spec.attr === null || !URL_ATTRS.has(spec.attr)) continue;
    const v = r.data[spec.name];
    if (Array.isArray(v)) r.data[spec.name] = v.map((x) => absolute(x, base)).filter((x): x is string => x !== null);
    else if (typeof v === 'string') r.data[spec.name] = absolute(v, base);
  }
  const extracted: Extracted = { title: r.title, data: r.data, links: r.hrefs === null ? null : resolveLinks(r.hrefs, base) };
  if (follower !== null) extracted.follow = resolveLinks(follower.result(), base);
  return extracted;
}

/** Whether no page of the run can stream (its selectors, or its --link-selector, need a DOM): the DOM path may as well load at once. */
export function needsDomForEveryPage(opts: ExtractOptions): boolean {
  return planFor(opts.selectors) === null || (opts.follow ? streamFollower(opts.follow) === null : false);
}

/** How many pages streamed, and how many the tree check sent to the DOM path (read by tests and the bench). */
export const streamStats = { streamed: 0, fellBack: 0 };

function tryStream(html: string, plan: StreamPlan, links: boolean, follower: FollowCollector | null): ReturnType<typeof streamExtract> | null {
  // The Standard's input stream: CR LF and lone CR are LF (parse5 does this itself).
  // U+0000 is dropped or replaced depending on where it stands: leave it to parse5.
  // One scan for both: most pages have neither.
  let text = html;
  if (CR_OR_NUL.test(html)) {
    if (html.includes('\0')) return fellBack();
    text = html.replace(/\r\n?/g, '\n');
  }
  try {
    const r = streamExtract(text, plan, links, collapse, follower);
    streamStats.streamed++;
    return r;
  } catch (err) {
    if (err instanceof Unsupported) return fellBack();
    throw err;
  }
}

const CR_OR_NUL = /[\r\0]/;

function fellBack(): null {
  streamStats.fellBack++;
  return null;
}
