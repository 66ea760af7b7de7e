import { load } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import { parseCapped } from './capped-parser.js';
import type { DataValue } from '../record.js';
import type { SelectorSpec } from '../selectors.js';

export interface Extracted {
  title: string | null;
  data: Record<string, DataValue>;
  links: string[] | null;
}

export interface ExtractOptions {
  selectors: readonly SelectorSpec[];
  links: boolean;
}

const URL_ATTRS = new Set(['href', 'src']);

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
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

/**
 * HTML text → title, selector data and links. Pure: the same input gives the
 * same output. Parses with htmlparser2 (cheerio/slim): several times faster than
 * parse5 on real pages, and forgiving of broken markup.
 */
export function extract(html: string, pageUrl: string, opts: ExtractOptions): Extracted {
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
      return URL_ATTRS.has(spec.attr) ? absolute(v, base) : v;
    };
    const matches = $(spec.css);
    if (spec.many) {
      data[spec.name] = matches.toArray().map(read).filter((v): v is string => v !== null);
    } else {
      data[spec.name] = matches.length === 0 ? null : read(matches[0]!);
    }
  }

  let links: string[] | null = null;
  if (opts.links) {
    // Read attributes off the parsed nodes directly: wrapping each of a page's
    // hundreds of anchors in a Cheerio object showed up in the profile.
    const seen = new Set<string>();
    for (const el of $('a[href], area[href]').toArray()) {
      const href = el.attribs.href;
      if (href === undefined) continue;
      const abs = absolute(href, base);
      if (abs === null || !(abs.startsWith('http:') || abs.startsWith('https:'))) continue;
      const hash = abs.indexOf('#');
      seen.add(hash < 0 ? abs : abs.slice(0, hash));
    }
    links = [...seen];
  }
  return { title, data, links };
}
