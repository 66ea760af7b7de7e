import { load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { parseDocument } from './dom.js';
import { absolute, collapse, extractStreaming, type ExtractOptions, resolveLinks, URL_ATTRS } from './extract.js';
import { followHrefsFromDom } from './follow-links.js';
import { ownString } from './own-string.js';
import type { DataValue } from '../record/record.js';
import type { Extracted } from '../record/extraction.js';

/*
 * The DOM path: parse5 builds the HTML Standard's tree, css-select (through
 * cheerio) runs the selectors on it. Loaded only where a page needs it
 * (extract.ts, DomPath): these imports are most of the parse stage's load time.
 */

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

/**
 * Both paths, as the parse stage takes them once the DOM path is loaded: the
 * streaming one, else the DOM. What the tests hold the paths to.
 */
export function extract(html: string, pageUrl: string, opts: ExtractOptions): Extracted {
  return extractStreaming(html, pageUrl, opts) ?? extractWithDom(html, pageUrl, opts);
}
