import { Document, Element, type ParentNode, Text } from 'domhandler';
import { Tokenizer } from 'htmlparser2';
import { MAX_DEPTH } from './max-depth.js';

/**
 * The tree of a page nested deeper than MAX_DEPTH (max-depth.ts): the only
 * pages not built by parse5 (dom.ts), whose stack walks make such depths cost
 * seconds. Built as Blink builds them: the stack of open elements keeps every
 * element, so end tags still match and each element keeps its own text, but
 * an element opened deeper than MAX_DEPTH is attached to the parent of the
 * current node instead, so the tree is never deeper than the cap (Blink's
 * HTMLConstructionSite, kMaximumHTMLParserDOMTreeDepth).
 *
 * Driven by htmlparser2's Tokenizer, its public lower layer (raw text of
 * script, style, title and textarea, entities), with our own small tree
 * rules: void elements, and the common implied end tags (p, li, dt, dd,
 * option, table cells and rows). Nothing of htmlparser2's Parser is
 * overridden, and nothing here walks more than a bounded part of the stack
 * per tag, so a 5 MiB page of nested tags builds in linear time.
 */

const VOID = new Set([
  'area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

const BLOCK_CLOSES_P = [
  'address', 'article', 'aside', 'blockquote', 'details', 'dialog', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul',
];
/** Start tag → the open elements (at the top of the stack) it ends first. */
const IMPLIED_END = new Map<string, ReadonlySet<string>>([
  ...BLOCK_CLOSES_P.map((t): [string, ReadonlySet<string>] => [t, new Set(['p'])]),
  ['li', new Set(['li', 'p'])],
  ['dt', new Set(['dt', 'dd', 'p'])],
  ['dd', new Set(['dt', 'dd', 'p'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['tr', new Set(['tr', 'td', 'th'])],
  ['td', new Set(['td', 'th'])],
  ['th', new Set(['td', 'th'])],
]);

/** How far down the stack an end tag looks for its element: a stray end tag costs at most this, however deep the page. */
const END_TAG_SEARCH = MAX_DEPTH;

interface Open {
  readonly name: string;
  readonly node: Element;
}

function append(parent: ParentNode, child: Element | Text): void {
  const last = parent.children.at(-1) ?? null;
  child.parent = parent;
  child.prev = last;
  child.next = null;
  if (last) last.next = child;
  parent.children.push(child);
}

/** HTML text → document with nesting capped at MAX_DEPTH, deeper elements as siblings at the cap, each with its own text. */
export function parseDeep(html: string): Document {
  const root = new Document([]);
  const stack: Open[] = [];
  const current = (): ParentNode => stack.at(-1)?.node ?? root;
  const slice = (start: number, end: number): string => html.slice(start, end);

  let tagName = '';
  let attribs: Record<string, string> = {};
  let attribName = '';
  let attribValue = '';

  const addText = (text: string): void => {
    if (text === '') return;
    const parent = current();
    const last = parent.children.at(-1);
    if (last instanceof Text) last.data += text;
    else append(parent, new Text(text));
  };

  const pop = (): void => {
    stack.pop();
  };

  const open = (): void => {
    const implied = IMPLIED_END.get(tagName);
    while (implied && stack.length > 0 && implied.has(stack.at(-1)!.name)) pop();
    const element = new Element(tagName, attribs, []);
    // Past the cap, attach to the current node's parent: a sibling at the cap, not a child below it.
    const top = stack.at(-1)?.node;
    const parent: ParentNode = top === undefined ? root : stack.length < MAX_DEPTH ? top : (top.parent ?? root);
    append(parent, element);
    if (!VOID.has(tagName)) stack.push({ name: tagName, node: element });
  };

  const close = (name: string): void => {
    const floor = Math.max(0, stack.length - END_TAG_SEARCH);
    for (let i = stack.length - 1; i >= floor; i--) {
      if (stack[i]!.name === name) {
        stack.length = i;
        return;
      }
    }
    // Not open (or too far down to be meant): ignored, as a browser ignores a stray end tag.
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext: (start, end) => addText(slice(start, end)),
      ontextentity: (codepoint) => addText(String.fromCodePoint(codepoint)),
      onopentagname(start, end) {
        tagName = slice(start, end).toLowerCase();
        attribs = {};
      },
      onattribname(start, end) {
        attribName = slice(start, end).toLowerCase();
        attribValue = '';
      },
      onattribdata(start, end) {
        attribValue += slice(start, end);
      },
      onattribentity(codepoint) {
        attribValue += String.fromCodePoint(codepoint);
      },
      onattribend() {
        // The first of a repeated attribute wins, as in the Standard.
        if (!Object.hasOwn(attribs, attribName)) attribs[attribName] = attribValue;
        attribValue = '';
      },
      onopentagend: open,
      // In HTML, `<div/>` opens a div: the slash means nothing (void elements close anyway).
      onselfclosingtag: open,
      onclosetag(start, end) {
        close(slice(start, end).toLowerCase());
      },
      oncomment() {},
      oncdata() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return root;
}
