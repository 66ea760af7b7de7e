import { load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { parseDocument } from './dom.js';
import { followHrefsFromDom, streamFollower, type FollowCollector, type FollowOptions } from './follow-links.js';
import { ownString } from './own-string.js';
import { streamExtract } from './stream-extract.js';
import { planStream, type StreamPlan } from './stream-plan.js';
import { Unsupported } from './tree-check.js';
import type { DataValue } from '../record/record.js';
import type { Extracted, SelectorSpec } from '../record/extraction.js';

export interface ExtractOptions {
  selectors: readonly SelectorSpec[];
  links: boolean;
  /** --follow: also return the links a crawl follows (follow-links.ts) as `follow`. */
  follow?: FollowOptions | null;
}

const URL_ATTRS = new Set(['href', 'src']);

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

/**
 * The text under a node, as cheerio's .text() gives it (text and CDATA, no
 * comments), walked with an explicit stack: .text() recurses once per level.
 */
function textOf(root: AnyNode): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text') parts.push(node.data);
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return parts.join('');
}

function absolute(value: string, base: string): string | null {
  try {
    return new URL(value.trim(), base).href;
  } catch {
    return null;
  }
}

/** Absolute http(s) links, fragment dropped, first occurrence kept. */
function resolveLinks(hrefs: Iterable<string>, base: string): string[] {
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
 * HTML text → title, selector data and links, as a browser's tree gives them.
 * Pure: the same input gives the same output. Without a selector that needs a
 * DOM, the page streams through htmlparser2 (stream-extract.ts: several times
 * faster than building a tree); a page whose markup htmlparser2 would build
 * differently from the HTML Standard (tree-check.ts) is parsed again by parse5.
 */
export function extract(html: string, pageUrl: string, opts: ExtractOptions): Extracted {
  const plan = planFor(opts.selectors);
  // --follow with a link selector only a DOM can answer takes the DOM path.
  const follower = opts.follow ? streamFollower(opts.follow) : null;
  const r = plan === null || (opts.follow && follower === null) ? null : tryStream(html, plan, opts.links, follower);
  if (plan !== null && r !== null) {
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
  return extractWithDom(html, pageUrl, opts);
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

/** The page title: the first title element of the HTML namespace (not an SVG <title>), tree order. */
function firstHtmlTitle(nodes: readonly AnyNode[]): Element | null {
  const stack = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      if (node.name === 'title' && (node.namespace === undefined || node.namespace === 'http://www.w3.org/1999/xhtml')) return node;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    } else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return null;
}

/** The general path: a DOM and css-select, for selectors with combinators or pseudo-classes. */
export function extractWithDom(html: string, pageUrl: string, opts: ExtractOptions): Extracted {
  // The HTML Standard's tree (parse5), nesting capped: a hostile page cannot make this quadratic (dom.ts).
  const doc = parseDocument(html);
  const $ = load(doc);
  // <base href> changes what relative URLs mean, as in a browser.
  // Most pages have no <base>: a string scan is far cheaper than a DOM query.
  const baseHref = /<base[\s>]/i.test(html) ? $('base[href]').first().attr('href') : undefined;
  const base = (baseHref !== undefined ? absolute(baseHref, pageUrl) : null) ?? pageUrl;

  // An empty <title> is as good as none.
  const titleEl = firstHtmlTitle(doc.children);
  const title = (titleEl ? collapse(textOf(titleEl)) : '') || null;

  const data: Record<string, DataValue> = {};
  for (const spec of opts.selectors) {
    const read = (el: Parameters<typeof $>[0]): string | null => {
      if (spec.attr === null) return spec.keepWhitespace ? ownString(textOf(el as AnyNode)) : collapse(textOf(el as AnyNode));
      const v = $(el).attr(spec.attr);
      if (v === undefined) return null;
      return URL_ATTRS.has(spec.attr) ? absolute(v, base) : ownString(v);
    };
    const matches = $(spec.css);
    if (spec.many) {
      data[spec.name] = matches.toArray().map(read).filter((v): v is string => v !== null);
    } else {
      data[spec.name] = matches.length === 0 ? null : read(matches[0]!);
    }
  }

  // Attributes read off the parsed nodes directly: wrapping each of a page's
  // hundreds of anchors in a Cheerio object showed up in the profile.
  const links = opts.links ? resolveLinks(($('a[href], area[href]').toArray() as { attribs: Record<string, string> }[]).map((el) => el.attribs.href!), base) : null;
  const extracted: Extracted = { title, data, links };
  if (opts.follow) extracted.follow = resolveLinks(followHrefsFromDom($, opts.follow), base);
  return extracted;
}
