import { DomHandler, type Document } from 'domhandler';
import { Parser, type Handler } from 'htmlparser2';
import { MAX_DEPTH } from './max-depth.js';

/**
 * The tree of a page nested deeper than MAX_DEPTH (max-depth.ts), the only pages
 * built with htmlparser2's tree rules rather than the HTML Standard's. Deeper
 * elements are still created, but as empty siblings at this depth, with their
 * text in the element above.
 *
 * htmlparser2 keeps its open-element stack with Array#unshift/shift, so each
 * tag costs O(depth) and a page of 50,000 nested <div>s takes seconds; capped,
 * the stack never passes MAX_DEPTH.
 */

/** DomHandler that can say how deep the element being built is. */
class DepthHandler extends DomHandler {
  get depth(): number {
    return this.tagStack.length - 1; // [0] is the document
  }
}

/** Any parser handler that knows how many elements are open (DomHandler, or a streaming extractor). */
export type DepthAwareHandler = Partial<Handler> & { readonly depth: number };

type Phase = 'open' | 'end' | 'close' | 'other';

/**
 * htmlparser2's own hook: an element the parser treats as void is never pushed
 * on its stack. Beyond MAX_DEPTH every element is reported void, and as many
 * later end tags of that name are swallowed, so nesting resumes correctly once
 * the deep part closes. isVoidElement is asked from several places; the
 * tokenizer callbacks around it say which one is asking.
 */
export class CappedParser extends Parser {
  private phase: Phase = 'other';
  private lastOpenFlattened = false;
  private readonly pendingEnds = new Map<string, number>();

  constructor(private readonly handler: DepthAwareHandler) {
    super(handler);
  }

  protected override isVoidElement(name: string): boolean {
    if (super.isVoidElement(name)) return true;
    const phase = this.phase;
    this.phase = 'other';
    switch (phase) {
      case 'open':
        // Start tag, after the parser closed what it implies: decide once.
        this.lastOpenFlattened = this.handler.depth >= MAX_DEPTH;
        if (this.lastOpenFlattened) this.pendingEnds.set(name, (this.pendingEnds.get(name) ?? 0) + 1);
        return this.lastOpenFlattened;
      case 'end':
        // The same start tag's `>`: the same answer.
        return this.lastOpenFlattened;
      case 'close': {
        const pending = this.pendingEnds.get(name) ?? 0;
        if (pending === 0) return false;
        this.pendingEnds.set(name, pending - 1);
        return true;
      }
      case 'other':
        return false;
    }
  }

  override onopentagname(start: number, endIndex: number): void {
    this.phase = 'open';
    super.onopentagname(start, endIndex);
  }

  override onopentagend(endIndex: number): void {
    this.phase = 'end';
    super.onopentagend(endIndex);
  }

  override onselfclosingtag(endIndex: number): void {
    this.phase = 'end';
    super.onselfclosingtag(endIndex);
  }

  override onclosetag(start: number, endIndex: number): void {
    this.phase = 'close';
    super.onclosetag(start, endIndex);
  }
}

/** HTML text → document, as cheerio/slim's parseDocument would build it, nesting capped at MAX_DEPTH. */
export function parseCapped(html: string): Document {
  const handler = new DepthHandler();
  new CappedParser(handler).end(html);
  return handler.root;
}
