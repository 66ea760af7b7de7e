import type { DataValue } from '../record/record.js';
import { CappedParser } from './capped-parser.js';
import type { FollowCollector } from './follow-links.js';
import { ownString } from './own-string.js';
import { matches, type StreamPlan } from './stream-plan.js';

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
 * extract.ts. Both paths see the same tokenizer and tree-construction rules
 * (htmlparser2's Parser, nesting capped the same way), and a test holds their
 * results equal on every fixture.
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

  const handler = {
    get depth() {
      return depth;
    },
    onopentag(name: string, attribs: Record<string, string>) {
      depth++;
      follow?.onopentag(name, attribs);
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
          capture((t) => (list[i] = collapse(t)));
        } else {
          capture((t) => (data[spec.name] = collapse(t)));
        }
      }
    },
    ontext(text: string) {
      for (const c of captures) c.parts.push(text);
    },
    onclosetag() {
      for (let i = captures.length - 1; i >= 0; i--) {
        const c = captures[i]!;
        if (c.depth === depth) {
          c.done(c.parts.join(''));
          captures.splice(i, 1);
        }
      }
      depth--;
    },
  };
  new CappedParser(handler).end(html);
  // Elements still open at the end of the document end with it.
  for (const c of captures) c.done(c.parts.join(''));
  return { title, data, baseHref, hrefs };
}
