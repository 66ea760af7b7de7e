import { load } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import { parseCapped } from './capped-parser.js';
import { followHrefsFromDom, streamFollower, type FollowOptions } from './follow-links.js';
import { ownString } from './own-string.js';
import { streamExtract } from './stream-extract.js';
import { planStream, type StreamPlan } from './stream-plan.js';
import type { DataValue } from '../record/record.js';
import type { Extracted, SelectorSpec } from '../record/extraction.js';

export interface ExtractOptions {
  selectors: readonly SelectorSpec[];
  links: boolean;
  /** --follow: also return the links a crawl follows (follow-links.ts) as `follow`. */
  follow?: FollowOptions | null;
}

const URL_ATTRS = new Set(['href', 'src']);

/** Whitespace runs as one space, trimmed; a copy that does not pin the page (own-string.ts). */
function collapse(text: string): string {
  return ownString(text.replace(/\s+/g, ' ').trim());
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
 * HTML text → title, selector data and links. Pure: the same input gives the
 * same output. Parses with htmlparser2: several times faster than parse5 on real
 * pages, and forgiving of broken markup. Without a selector that needs a DOM,
 * nothing but the parser's events is used (stream-extract.ts).
 */
export function extract(html: string, pageUrl: string, opts: ExtractOptions): Extracted {
  const plan = planFor(opts.selectors);
  const follower = opts.follow ? streamFollower(opts.follow) : null;
  if (plan !== null && (follower !== null || !opts.follow)) {
    const r = streamExtract(html, plan, opts.links, collapse, follower);
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

/** The general path: a DOM and css-select, for selectors with combinators or pseudo-classes. */
export function extractWithDom(html: string, pageUrl: string, opts: ExtractOptions): Extracted {
  // Parsed with nesting capped (capped-parser.ts): a hostile page cannot make this quadratic.
  const $ = load(parseCapped(html));
  // <base href> changes what relative URLs mean, as in a browser.
  // Most pages have no <base>: a string scan is far cheaper than a DOM query.
  const baseHref = /<base[\s>]/i.test(html) ? $('base[href]').first().attr('href') : undefined;
  const base = (baseHref !== undefined ? absolute(baseHref, pageUrl) : null) ?? pageUrl;

  // An empty <title> is as good as none.
  const titleEl = $('title').get(0);
  const title = (titleEl ? collapse(textOf(titleEl)) : '') || null;

  const data: Record<string, DataValue> = {};
  for (const spec of opts.selectors) {
    const read = (el: Parameters<typeof $>[0]): string | null => {
      if (spec.attr === null) return collapse(textOf(el as AnyNode));
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
