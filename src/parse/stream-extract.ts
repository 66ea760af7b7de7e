import type { DataValue } from '../record/record.js';
import { Parser } from 'htmlparser2';
import type { FollowCollector } from './follow-links.js';
import { MAX_DEPTH } from './max-depth.js';
import { ownString } from './own-string.js';
import { matches, type StreamPlan } from './stream-plan.js';
import { TreeCheck } from './tree-check.js';

/**
 * Extraction straight from the parser's events, with no DOM.
 *
 * Building a DOM for every page and dropping it at once was most of the
 * parse stage's cost (allocation, then garbage collection: 20–25 % of CPU in
 * the W1 profile) and what made peak RSS climb. Title, links, `<base>` and
 * selectors made of one compound each (`h1`, `.price`, `a#main[href]`,
 * `meta[name=description]`, comma lists of those) only ever look at one
 * element's tag and attributes, so they are answered while the page streams
 * past. Anything else (combinators, pseudo-classes) goes to the DOM path in
 * extract.ts. The answers are the HTML Standard's only while htmlparser2's tree
 * is the Standard's tree: tree-check.ts follows the parse and throws
 * Unsupported where they would part (the caller then takes the DOM path, built
 * by parse5). test/parse/differential.test.ts holds the two paths equal.
 */

/** A text being collected from one element until it closes. */
interface Capture {
  depth: number;
  parts: string[];
  done: (text: string) => void;
}

export interface StreamResult {
  title: string | null;
  /** Raw values; attribute values of href/src are resolved by the caller. */
  data: Record<string, DataValue>;
  baseHref: string | undefined;
  hrefs: string[] | null;
}

/** One pass of the parser over `html`, answering the plan. */
export function streamExtract(
  html: string,
  plan: StreamPlan,
  wantLinks: boolean,
  collapse: (s: string) => string,
  follow: FollowCollector | null = null,
): StreamResult {
  const data: Record<string, DataValue> = {};
  for (const { spec } of plan.selectors) data[spec.name] = spec.many ? [] : null;
  const firstSeen = new Set<string>();
  const captures: Capture[] = [];
  const hrefs: string[] | null = wantLinks ? [] : null;
  let title: string | null = null;
  let titleSeen = false;
  let baseHref: string | undefined;
  let depth = 0;

  const capture = (done: (text: string) => void): void => {
    captures.push({ depth, parts: [], done });
  };

  const check = new TreeCheck(MAX_DEPTH);
  /** Where the start tag of each open heading ends (tree-check.ts headingClosed). */
  const headings: { depth: number; from: number }[] = [];
  /** The Standard drops a newline right after <pre>, <listing> and <textarea>. */
  let dropNewline = false;
  let ending = false;

  const close = (name: string, implied: boolean): void => {
    for (let i = captures.length - 1; i >= 0; i--) {
      const c = captures[i]!;
      if (c.depth === depth) {
        c.done(c.parts.join(''));
        captures.splice(i, 1);
      }
    }
    const h = headings[headings.length - 1];
    if (h !== undefined && h.depth === depth) {
      headings.pop();
      check.headingClosed(html.slice(h.from, ending ? html.length : parser.endIndex + 1), !ending && !implied && /^h[1-6]$/.test(name));
    }
    depth--;
  };

  const handler = {
    onopentagname(name: string) {
      dropNewline = false;
      check.startTag(name);
    },
    onopentag(name: string, attribs: Record<string, string>, implied: boolean) {
      depth++;
      follow?.onopentag(name, attribs);
      if (implied) check.impliedStart(name);
      else check.startTagEnd(name, html, parser.endIndex);
      dropNewline = name === 'pre' || name === 'listing' || name === 'textarea';
      if (name.length === 2 && name.charCodeAt(0) === 104 /* h */ && /^h[1-6]$/.test(name)) headings.push({ depth, from: parser.endIndex + 1 });
      if (name === 'title' && !titleSeen) {
        titleSeen = true;
        capture((t) => (title = collapse(t) || null));
      } else if (name === 'base' && baseHref === undefined && attribs.href !== undefined) {
        baseHref = ownString(attribs.href);
      } else if (hrefs !== null && (name === 'a' || name === 'area') && attribs.href !== undefined) {
        // Copied now, not when resolved: the array may already live in the old generation (own-string.ts).
        hrefs.push(ownString(attribs.href));
      }
      for (const { spec, compounds } of plan.selectors) {
        if (!spec.many && firstSeen.has(spec.name)) continue;
        if (!matches(compounds, name, attribs)) continue;
        if (!spec.many) firstSeen.add(spec.name);
        if (spec.attr !== null) {
          const raw = attribs[spec.attr];
          const v = raw === undefined ? undefined : ownString(raw);
          if (spec.many) {
            if (v !== undefined) (data[spec.name] as string[]).push(v);
          } else data[spec.name] = v ?? null;
        } else if (spec.many) {
          const list = data[spec.name] as string[];
          const i = list.push('') - 1;
          capture((t) => (list[i] = spec.keepWhitespace ? ownString(t) : collapse(t)));
        } else {
          capture((t) => (data[spec.name] = spec.keepWhitespace ? ownString(t) : collapse(t)));
        }
      }
    },
    ontext(text: string) {
      if (dropNewline) {
        dropNewline = false;
        if (text.charCodeAt(0) === 10) text = text.slice(1);
      }
      check.text(text, html, parser.startIndex, parser.endIndex);
      for (const c of captures) c.parts.push(text);
    },
    onclosetag(name: string, implied: boolean) {
      dropNewline = false;
      if (!ending) {
        if (implied) check.impliedClose(name);
        else check.endTag(name, html, parser.startIndex);
      }
      close(name, implied);
    },
    oncomment(data: string) {
      dropNewline = false;
      check.comment(data);
    },
    onprocessinginstruction(name: string, value: string) {
      dropNewline = false;
      if (name.toLowerCase() === '!doctype') check.doctype(value);
    },
  };
  const parser = new Parser(handler);
  parser.write(html);
  // What is still open at the end of the document ends with it.
  ending = true;
  parser.end();
  // Elements still open at the end of the document end with it.
  for (const c of captures) c.done(c.parts.join(''));
  return { title, data, baseHref, hrefs };
}
