import { parse as parseCss, type AttributeSelector, type Selector } from 'css-what';
import type { SelectorSpec } from '../record/extraction.js';

/**
 * Which selectors stream-extract.ts can answer from parser events alone, and
 * matching one element against them. Apart from the parser so that checking
 * `--select` flags at start-up needs only css-what, not the parse stage.
 */

type Simple = { kind: 'tag'; name: string } | { kind: 'attr'; test: (attribs: Record<string, string>) => boolean };
/** Element matches when every part of one compound of the list matches. */
type Compounds = Simple[][];

/**
 * Elements the HTML Standard's tree construction creates without a tag in the
 * source (`<table><tr>` gets a tbody, every page an html, head and body): a
 * stream of tags cannot see them, so selectors naming them (or `*` alone, whose
 * first match is always html) take the DOM path.
 */
const IMPLIED_ELEMENTS = new Set(['html', 'head', 'body', 'tbody', 'tr', 'colgroup']);

/** The selector as compounds, or null when it needs a DOM (combinators, pseudos, implied elements). */
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
      if (token.type === 'tag') {
        const name = token.name.toLowerCase();
        if (IMPLIED_ELEMENTS.has(name)) return null;
        compound.push({ kind: 'tag', name });
      } else if (token.type === 'attribute' && token.namespace === null) {
        compound.push({ kind: 'attr', test: attributeTest({ ...token, name: token.name.toLowerCase() }) });
      } else return null;
    }
    if (compound.length === 0) return null;
    out.push(compound);
  }
  return out;
}

/**
 * Attribute values whose case the HTML Standard says selectors ignore in HTML
 * documents (https://html.spec.whatwg.org/#case-sensitivity-of-selectors), as
 * css-select, which the DOM path runs, lists them: `meta[http-equiv=content-type]`
 * matches `http-equiv="Content-Type"`, `input[type=hidden]` `type="HIDDEN"`.
 */
const CASE_INSENSITIVE_VALUES = new Set(
  'accept accept-charset align alink axis bgcolor charset checked clear codetype color compact declare defer dir direction disabled enctype face frame hreflang http-equiv lang language link media method multiple nohref noresize noshade nowrap readonly rel rev rules scope scrolling selected shape target text type valign valuetype vlink'.split(
    ' ',
  ),
);

const escapeRegex = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * One attribute selector as a test on an element's attributes, with exactly
 * css-select's semantics (its lib/attributes.js), so the two paths cannot
 * disagree: an explicit ` i`/` s` flag wins; class and id (flag "quirks") stay
 * case-sensitive, as in a no-quirks document; otherwise the list above decides.
 */
function attributeTest(sel: AttributeSelector): (attribs: Record<string, string>) => boolean {
  const { name } = sel;
  const ic = typeof sel.ignoreCase === 'boolean' ? sel.ignoreCase : sel.ignoreCase === 'quirks' ? false : CASE_INSENSITIVE_VALUES.has(name);
  const value = ic ? sel.value.toLowerCase() : sel.value;
  const len = value.length;
  switch (sel.action) {
    case 'exists':
      return (a) => a[name] !== undefined;
    case 'equals':
      return ic ? (a) => a[name]?.toLowerCase() === value : (a) => a[name] === value;
    case 'hyphen':
      return (a) => {
        const v = a[name];
        return v !== undefined && (v.length === len || v.charAt(len) === '-') && (ic ? v.slice(0, len).toLowerCase() : v.slice(0, len)) === value;
      };
    case 'element': {
      if (/\s/.test(value)) return () => false;
      const re = new RegExp(`(?:^|\\s)${escapeRegex(sel.value)}(?:$|\\s)`, ic ? 'i' : '');
      return (a) => {
        const v = a[name];
        return v !== undefined && v.length >= len && re.test(v);
      };
    }
    case 'start':
      if (len === 0) return () => false;
      return ic ? (a) => a[name]?.slice(0, len).toLowerCase() === value : (a) => a[name]?.startsWith(value) === true;
    case 'end':
      if (len === 0) return () => false;
      return ic ? (a) => a[name]?.slice(-len).toLowerCase() === value : (a) => a[name]?.endsWith(value) === true;
    case 'any': {
      if (len === 0) return () => false;
      if (!ic) return (a) => a[name]?.includes(value) === true;
      const re = new RegExp(escapeRegex(sel.value), 'i');
      return (a) => {
        const v = a[name];
        return v !== undefined && re.test(v);
      };
    }
    case 'not':
      if (len === 0) return (a) => !!a[name];
      return ic ? (a) => a[name]?.toLowerCase() !== value : (a) => a[name] !== value;
    default:
      return () => false;
  }
}

export function matches(compounds: Compounds, name: string, attribs: Record<string, string>): boolean {
  return compounds.some((compound) => compound.every((p) => (p.kind === 'tag' ? p.name === name : p.test(attribs))));
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

