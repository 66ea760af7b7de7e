/**
 * Whether htmlparser2's tree, for the page being streamed, is the tree the
 * HTML Standard's tree construction builds (https://html.spec.whatwg.org/#tree-construction).
 *
 * htmlparser2 closes elements with its own, smaller rules (a start tag closes
 * only the elements on top of its stack that it "implies"; an end tag closes
 * the nearest open element of its name). Most pages never meet a difference,
 * and for them streaming is exact. This class follows the parser's events with
 * its own copy of the stack of open elements and, at every start tag, end tag
 * and piece of text, works out what the Standard would pop, insert or move. It
 * throws Unsupported at the first place where that is not exactly what
 * htmlparser2 did, or where the Standard does something a stream cannot follow
 * (foster parenting, the adoption agency, foreign content, templates); the
 * page then goes to the DOM path, built by parse5 (dom.ts).
 *
 * It is deliberately conservative: it only has to be right when it lets a page
 * through. test/parse/differential.test.ts holds it to parse5 on every fixture
 * and on a generated corpus of broken markup.
 */

/** Thrown from a parser callback: this page must take the DOM path. */
export class Unsupported extends Error {}

const fail = (why: string): never => {
  throw new Unsupported(why);
};

/** §13.2.4.2 "special" elements (HTML namespace). */
const SPECIAL = new Set(
  'address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp'.split(
    ' ',
  ),
);
/** Elements the "active formatting elements" list tracks. */
const FORMATTING = new Set('a b big code em font i nobr s small strike strong tt u'.split(' '));
/** Start tags that "close a p element" when one is in button scope. */
const CLOSES_P = new Set(
  'address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form li dd dt plaintext table hr xmp'.split(
    ' ',
  ),
);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template']);
const TABLE_CONTEXT = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr']);
const TABLE_PARTS = new Set(['caption', 'colgroup', 'col', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th']);
/** What may appear directly in a table without being foster-parented. */
const IN_TABLE_OK = new Set([...TABLE_PARTS, 'script', 'style']);
/** Block end tags: "generate implied end tags, pop until" the element, if in scope. */
const BLOCK_END = new Set(
  'address article aside blockquote button center details dialog dir div dl fieldset figcaption figure footer header hgroup listing main menu nav ol pre search section summary ul applet marquee object'.split(
    ' ',
  ),
);
const HEAD_CONTENT = new Set(['base', 'basefont', 'bgsound', 'link', 'meta', 'noframes', 'script', 'style', 'title']);
/** Text elements htmlparser2 parses as markup but the Standard as raw text. */
const RAW_BY_STANDARD = new Set(['iframe', 'noembed', 'noframes']);
/** What htmlparser2's tokenizer itself treats as raw text: `<x/>` turns that off there, not in the Standard. */
const RAW_IN_TOKENIZER = new Set(['script', 'style', 'title', 'textarea', 'xmp']);
/** Start tags whose tree construction streaming does not follow at all. */
const NEVER = new Set(['template', 'svg', 'math', 'frameset', 'frame', 'image', 'plaintext', 'isindex', 'select', 'option', 'optgroup', 'datalist']);
const VOID = new Set('area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr'.split(' '));

const isWhitespace = (s: string): boolean => /^[\t\n\f\r ]*$/.test(s);

export class TreeCheck {
  /** The stack of open elements htmlparser2 and the Standard share (bottom first). */
  private readonly stack: string[] = [];
  /** Elements htmlparser2 closed implicitly, waiting for the tag that caused it. */
  private readonly pending: string[] = [];
  private sawBody = false;
  /** sawBody as it was before the latest start tag. */
  private bodyBeforeStart = false;
  private sawHtml = false;
  private sawHead = false;
  /** Past an explicit </body> or </html>: the Standard keeps the elements open, htmlparser2 does not. */
  private closedBody = false;
  private standardsMode = false;

  constructor(private readonly maxDepth: number) {}

  doctype(value: string): void {
    this.standardsMode = /^!doctype\s+html\s*$/i.test(value);
  }

  /** htmlparser2 closed `name` without its end tag (implied by the next tag, or void). */
  impliedClose(name: string): void {
    if (VOID.has(name)) return;
    this.pending.push(name);
  }

  startTag(name: string): void {
    this.bodyBeforeStart = this.sawBody;
    if (NEVER.has(name)) fail(`<${name}>`);
    if (this.closedBody) fail('content after </body>');
    const stack = this.stack;
    const top = stack[stack.length - 1];
    if (top !== undefined && RAW_BY_STANDARD.has(top)) fail(`markup inside <${top}>`);
    const expected = this.startTagPops(name);
    this.settle(expected, []);
    if (!VOID.has(name)) {
      stack.push(name);
      if (stack.length > this.maxDepth) fail('nesting deeper than the cap');
    }
  }

  /** htmlparser2 made an element for an end tag with no start tag (`</p>`): before the body the Standard ignores it. */
  impliedStart(name: string): void {
    if (!this.bodyBeforeStart && name === 'p') fail('</p> before the body');
  }

  /** Checks on the finished start tag, whose `>` is html[end] (`<title/>`). */
  startTagEnd(name: string, html: string, end: number): void {
    if (RAW_IN_TOKENIZER.has(name) && html.charCodeAt(end - 1) === 47 /* / */) fail(`self-closing <${name}/>`);
  }

  /** An end tag written at html[start]. */
  endTag(name: string, html: string, start: number): void {
    // `</ x>` is a bogus comment to the Standard, an end tag to htmlparser2.
    const c = html.charCodeAt(start + 2) | 0x20;
    if (html.charCodeAt(start) !== 60 || html.charCodeAt(start + 1) !== 47 || c < 97 || c > 122) fail('end tag that is a bogus comment');
    // Well-formed markup, the common case: an end tag for the current node pops
    // just that node in every insertion mode (body and html aside).
    if (this.pending.length === 0 && this.stack[this.stack.length - 1] === name && name !== 'body' && name !== 'html') {
      this.stack.pop();
      return;
    }
    if (VOID.has(name)) {
      // </br> is a <br>; other void end tags are dropped by both.
      if (this.pending.length > 0) fail(`</${name}> after implied closes`);
      return;
    }
    if (name === 'body' || name === 'html') {
      // The Standard pops nothing (only switches mode); htmlparser2 pops everything.
      this.closedBody = true;
      this.pending.length = 0;
      this.stack.length = 0;
      return;
    }
    this.settle(this.endTagPops(name), [name]);
  }

  /** Decoded text, written as html[start..end]. */
  text(text: string, html: string, start: number, end: number): void {
    const top = this.stack[this.stack.length - 1];
    // In iframe, noembed and noframes a character reference stays one to the Standard.
    if (top !== undefined && RAW_BY_STANDARD.has(top) && html.slice(start, end + 1) !== text) fail('character reference inside raw text');
    if (top === 'script' && text.includes('<!--')) fail('escaped script data');
    // Inside an ordinary element (the common case) nothing below applies.
    if (top !== undefined && top !== 'html' && top !== 'head' && !TABLE_CONTEXT.has(top)) return;
    if (isWhitespace(text)) return;
    if (this.closedBody) fail('text after </body>');
    if (top !== undefined && TABLE_CONTEXT.has(top)) fail('text foster-parented out of a table');
    // Text starts the body unless it is inside an element (a <title> in head, or already in the body).
    if (top === undefined || top === 'html' || top === 'head') this.sawBody = true;
  }

  comment(data: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined && RAW_BY_STANDARD.has(top)) fail(`comment inside <${top}>`);
    if (data.startsWith('>') || data.startsWith('->') || data.includes('--!>') || data.startsWith('[CDATA[')) fail('comment the Standard ends elsewhere');
  }

  /**
   * A heading closed, with `source` from its start tag to the tag that closed it.
   * htmlparser2 drops an end tag of another heading level without an event
   * (`<h1>x</h2>`), where the Standard closes the h1: more than the one end
   * tag that closed it means that happened.
   */
  headingClosed(source: string, explicit: boolean): void {
    const ends = source.match(/<\/h[1-6]/gi)?.length ?? 0;
    if (ends > (explicit ? 1 : 0)) fail('heading closed by another heading end tag');
  }

  /** htmlparser2's implied closes (and the explicit one) must be exactly what the Standard pops. */
  private settle(expected: readonly string[], explicit: readonly string[]): void {
    const pending = this.pending;
    if (expected.length !== pending.length + explicit.length) fail('implied end tags differ');
    const stack = this.stack;
    for (let i = 0; i < expected.length; i++) {
      const name = i < pending.length ? pending[i] : explicit[i - pending.length];
      if (name !== expected[i] || stack[stack.length - 1] !== name) fail('implied end tags differ');
      stack.pop();
    }
    while (pending.length > 0) pending.pop();
  }

  private inScope(name: string, extra?: ReadonlySet<string>): number {
    const stack = this.stack;
    for (let i = stack.length - 1; i >= 0; i--) {
      const n = stack[i]!;
      if (n === name) return i;
      if (SCOPE.has(n) || extra?.has(n)) return -1;
    }
    return -1;
  }

  /** Top-first list of the elements from index i up. */
  private popsFrom(i: number): string[] {
    return this.stack.slice(i).reverse();
  }

  /** What the Standard pops before inserting `<name>` ("in body", "in table" and the cell/row modes). */
  private startTagPops(name: string): string[] {
    const stack = this.stack;
    const top = stack[stack.length - 1];
    if (name === 'html') {
      if (this.sawHtml || stack.length > 0 || this.sawHead || this.sawBody) fail('second <html>');
      this.sawHtml = true;
      return NONE;
    }
    if (name === 'head') {
      if (this.sawHead || this.sawBody || stack.some((n) => n !== 'html')) fail('<head> out of place');
      this.sawHead = true;
      return NONE;
    }
    if (name === 'body') {
      if (this.sawBody || stack.some((n) => n !== 'html' && n !== 'head')) fail('<body> out of place');
      this.sawBody = true;
      // htmlparser2 closes an open <head> (and link/script); the Standard pops head the same way.
      return top === 'head' ? ['head'] : NONE;
    }
    if (name === 'noscript' && !this.sawBody) fail('<noscript> in head');
    if (!HEAD_CONTENT.has(name)) this.sawBody = true;

    if (top !== undefined && TABLE_CONTEXT.has(top) && !IN_TABLE_OK.has(name)) fail(`<${name}> foster-parented out of a table`);
    if (TABLE_PARTS.has(name)) return this.tablePartPops(name);
    if (name === 'table' && this.inScope('p', BUTTON) >= 0 && !this.standardsMode) fail('<table> in a <p> in quirks mode');
    if (name === 'a' && stack.includes('a')) fail('<a> inside <a>');
    if (name === 'nobr' && stack.includes('nobr')) fail('<nobr> inside <nobr>');
    if (name === 'button' && this.inScope('button') >= 0) fail('<button> inside <button>');
    if (name === 'form' && stack.includes('form')) fail('<form> inside <form>');

    let pops: string[] = NONE;
    if (name === 'li' || name === 'dd' || name === 'dt') {
      const same = name === 'li' ? LI : DD_DT;
      for (let i = stack.length - 1; i >= 0; i--) {
        const n = stack[i]!;
        if (same.has(n)) {
          pops = this.popsFrom(i);
          break;
        }
        if (SPECIAL.has(n) && n !== 'address' && n !== 'div' && n !== 'p') break;
      }
    }
    // Then "close a p element" (always after the li/dd/dt loop, which cannot leave a p on top).
    if (CLOSES_P.has(name)) {
      const rest = stack.length - pops.length;
      const p = this.inScope('p', BUTTON);
      if (p >= 0 && p < rest) pops = [...pops, ...this.stack.slice(p, rest).reverse()];
    }
    if (HEADINGS.has(name)) {
      const after = stack[stack.length - pops.length - 1];
      if (after !== undefined && HEADINGS.has(after)) fail('heading inside heading');
    }
    this.noReconstruction(pops);
    return pops;
  }

  /** Cells, rows and sections: "close the cell", "clear the stack back to a table … context". */
  private tablePartPops(name: string): string[] {
    const stack = this.stack;
    const table = stack.lastIndexOf('table');
    if (table < 0 || stack.lastIndexOf('template') > table) fail(`<${name}> outside a table`);
    const targets = name === 'td' || name === 'th' ? CELL : name === 'tr' ? ROW : SECTION;
    for (let i = table + 1; i < stack.length; i++) if (targets.has(stack[i]!)) return this.popsFrom(i);
    if (name === 'caption' || name === 'colgroup' || name === 'col') {
      if (stack.length - 1 !== table) fail(`<${name}> inside a table part`);
    }
    return NONE;
  }

  private endTagPops(name: string): string[] {
    const stack = this.stack;
    const top = stack[stack.length - 1];
    if (TABLE_PARTS.has(name) || name === 'table') {
      // "in table scope": only html, table and template bound it.
      for (let i = stack.length - 1; i >= 0; i--) {
        const n = stack[i]!;
        if (n === name) return this.popsFrom(i);
        if (n === 'table' || n === 'html' || n === 'template') return NONE;
      }
      return NONE;
    }
    if (FORMATTING.has(name)) {
      // The adoption agency: simple only when the element is the current node.
      if (top === name) return [name];
      if (stack.includes(name)) fail(`misnested </${name}>`);
      return NONE;
    }
    if (name === 'head' || name === 'form' || name === 'option' || name === 'optgroup' || name === 'select') {
      if (top === name) return [name];
      fail(`</${name}> not closing the current node`);
    }
    let at = -1;
    if (name === 'p') {
      at = this.inScope('p', BUTTON);
      if (at < 0 && stack.includes('p')) fail('</p> outside the button scope of its <p>');
    } else if (name === 'li') at = this.inScope('li', LIST);
    else if (HEADINGS.has(name)) {
      for (let i = stack.length - 1; i >= 0; i--) {
        const n = stack[i]!;
        if (HEADINGS.has(n)) {
          at = i;
          break;
        }
        if (SCOPE.has(n)) break;
      }
    } else if (BLOCK_END.has(name) || name === 'dd' || name === 'dt') at = this.inScope(name);
    else {
      // "Any other end tag": the nearest element of that name, unless a special one comes first.
      for (let i = stack.length - 1; i >= 0; i--) {
        const n = stack[i]!;
        if (n === name) {
          at = i;
          break;
        }
        if (SPECIAL.has(n)) break;
      }
    }
    if (at < 0) return NONE;
    const pops = this.popsFrom(at);
    this.noReconstruction(pops.slice(1));
    return pops;
  }

  /** A formatting element popped without its own end tag is reconstructed later: not streamable. */
  private noReconstruction(popped: readonly string[]): void {
    for (const n of popped) if (FORMATTING.has(n)) fail(`<${n}> closed implicitly`);
  }
}

const NONE: string[] = [];
const BUTTON = new Set(['button']);
const LIST = new Set(['ol', 'ul']);
const LI = new Set(['li']);
const DD_DT = new Set(['dd', 'dt']);
// A caption or column group open in the table is closed by any of these too.
const CELL = new Set(['td', 'th', 'caption', 'colgroup']);
const ROW = new Set(['td', 'th', 'tr', 'caption', 'colgroup']);
const SECTION = new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot', 'caption', 'colgroup']);
