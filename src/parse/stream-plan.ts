import { parse as parseCss, type AttributeSelector, type Selector } from 'css-what';
import type { SelectorSpec } from '../record/extraction.js';

/**
 * Which selectors stream-extract.ts can answer from parser events alone, and
 * matching one element against them. Apart from the parser so that checking
 * `--select` flags at start-up needs only css-what, not the parse stage.
 */

type Simple = { kind: 'tag'; name: string } | { kind: 'attr'; sel: AttributeSelector };
/** Element matches when every part of one compound of the list matches. */
type Compounds = Simple[][];

/** The selector as compounds, or null when it needs a DOM (combinators, pseudos). */
export function compileStreamable(css: string): Compounds | null {
  let groups: Selector[][];
  try {
    groups = parseCss(css);
  } catch {
    return null;
  }
  const out: Compounds = [];
  for (const group of groups) {
    const compound: Simple[] = [];
    for (const token of group) {
      if (token.type === 'universal') continue;
      if (token.type === 'tag') compound.push({ kind: 'tag', name: token.name.toLowerCase() });
      else if (token.type === 'attribute' && token.namespace === null) {
        compound.push({ kind: 'attr', sel: { ...token, name: token.name.toLowerCase() } });
      } else return null;
    }
    out.push(compound);
  }
  return out;
}

function attrMatches(sel: AttributeSelector, attribs: Record<string, string>): boolean {
  let value = attribs[sel.name];
  if (sel.action === 'exists') return value !== undefined;
  if (sel.action === 'not') {
    if (value === undefined) return true;
  } else if (value === undefined) return false;
  let want = sel.value;
  // Only an explicit ` i` flag folds case; class and id stay case-sensitive (no quirks mode), as in css-select.
  if (sel.ignoreCase === true) {
    value = value!.toLowerCase();
    want = want.toLowerCase();
  }
  const v = value!;
  switch (sel.action) {
    case 'equals':
      return v === want;
    case 'not':
      return v !== want;
    case 'element':
      return want !== '' && !/\s/.test(want) && v.split(/[\t\n\f\r ]+/).includes(want);
    case 'start':
      return want !== '' && v.startsWith(want);
    case 'end':
      return want !== '' && v.endsWith(want);
    case 'any':
      return want !== '' && v.includes(want);
    case 'hyphen':
      return v === want || v.startsWith(`${want}-`);
    default:
      return false;
  }
}

export function matches(compounds: Compounds, name: string, attribs: Record<string, string>): boolean {
  return compounds.some((compound) =>
    compound.every((p) => (p.kind === 'tag' ? p.name === name : attrMatches(p.sel, attribs))),
  );
}

export interface StreamPlan {
  selectors: readonly { spec: SelectorSpec; compounds: Compounds }[];
}

/** Every selector compiles to compounds, or null: then the DOM path must run. */
export function planStream(selectors: readonly SelectorSpec[]): StreamPlan | null {
  const out: StreamPlan['selectors'][number][] = [];
  for (const spec of selectors) {
    const compounds = compileStreamable(spec.css);
    if (compounds === null) return null;
    out.push({ spec, compounds });
  }
  return { selectors: out };
}

