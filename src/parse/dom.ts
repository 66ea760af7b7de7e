import type { Document, Element, ParentNode } from 'domhandler';
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import { parseDeep } from './deep-tree.js';
import { MAX_DEPTH } from './max-depth.js';


class TooDeep extends Error {}

function depthOf(node: ParentNode): number {
  let d = 0;
  for (let n: ParentNode | null = node; n !== null && n.type !== 'root'; n = n.parent) if (++d > MAX_DEPTH) break;
  return d;
}

/**
 * parse5's htmlparser2 tree adapter (so css-select and cheerio run on the
 * result), with two changes: a template's contents are kept off the tree, as
 * in a browser, where they are a separate document fragment that selectors do
 * not reach; and a tree that would pass MAX_DEPTH stops the parse.
 */
const standardAdapter: typeof adapter = {
  ...adapter,
  appendChild(parent, node) {
    if (node.type === 'tag' && depthOf(parent) >= MAX_DEPTH) throw new TooDeep();
    adapter.appendChild(parent, node);
  },
  insertBefore(parent, node, reference) {
    if (node.type === 'tag' && depthOf(parent) >= MAX_DEPTH) throw new TooDeep();
    adapter.insertBefore(parent, node, reference);
  },
  setTemplateContent(template, content) {
    templateContents.set(template, content);
  },
  getTemplateContent(template) {
    return templateContents.get(template)!;
  },
};
const templateContents = new WeakMap<Element, Document>();

/**
 * HTML text → document as the HTML Standard's tree construction builds it
 * (parse5): implied tbody, html, head and body; auto-closed p, li, dd, dt and
 * option; raw text in script, style, textarea, title, xmp, iframe, noembed,
 * noframes and plaintext; foster parenting; the adoption agency. Scripting
 * counts as off, so <noscript> holds markup a scraper can select.
 *
 * A page nested deeper than MAX_DEPTH is built by deep-tree.ts instead
 * (simpler tree rules; deeper elements as siblings at the cap, each with its
 * own text, as Blink does).
 */
export function parseDocument(html: string): Document {
  try {
    return parse(html, { treeAdapter: standardAdapter, scriptingEnabled: false });
  } catch (err) {
    if (err instanceof TooDeep) return parseDeep(html);
    throw err;
  }
}
