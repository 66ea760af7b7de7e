import type { SelectorSpec } from '../record/extraction.js';
import { UsageError } from './usage-error.js';

/**
 * css-what loads on the first selector checked, not with this module: the
 * option table imports parseSelectors, and `--help` and `--version` load the
 * table without checking any selector. A lazy require keeps parseSelector
 * synchronous, so buildConfig stays one synchronous pass (getBuiltinModule
 * rather than importing node:module: that import alone costs `--help` 0.3 ms).
 */
let cssWhat: typeof import('css-what') | undefined;
function parseCss(css: string): unknown {
  cssWhat ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)('css-what') as typeof import('css-what');
  return cssWhat.parse(css);
}

const SPEC = /^([A-Za-z_][\w.-]*)(\[\])?=(.+)$/s;
// The attribute suffix is the last `@name` at the very end; an `@` inside the CSS
// (e.g. `a[href^="mailto:x@"]`) is followed by other characters and stays CSS.
const ATTR_SUFFIX = /@([A-Za-z_:][\w:.-]*)$/;

/** `@textContent` (any case): the text as the document has it, whitespace kept. */
const TEXT_CONTENT = 'textcontent';

function malformed(flag: string, err: unknown, what = 'malformed'): UsageError {
  const why = err instanceof Error ? err.message : String(err);
  return new UsageError(`invalid --select "${flag}": ${what} CSS selector (${why})`);
}

export function parseSelector(flag: string): SelectorSpec {
  const m = SPEC.exec(flag);
  if (!m) {
    throw new UsageError(`invalid --select "${flag}": expected NAME=CSS, NAME=CSS@ATTR or NAME[]=CSS`);
  }
  const [, name = '', brackets, rest = ''] = m;
  let css = rest.trim();
  let attr: string | null = null;
  let keepWhitespace = false;
  const a = ATTR_SUFFIX.exec(css);
  if (a) {
    attr = (a[1] ?? '').toLowerCase();
    css = css.slice(0, a.index).trim();
    // Not an attribute (none is named so): the element's text with its whitespace.
    if (attr === TEXT_CONTENT) {
      attr = null;
      keepWhitespace = true;
    }
  }
  if (css === '') throw new UsageError(`invalid --select "${flag}": empty CSS selector`);
  try {
    parseCss(css);
  } catch (err) {
    throw malformed(flag, err);
  }
  return { name, css, attr, many: brackets === '[]', ...(keepWhitespace ? { keepWhitespace } : {}) };
}

/**
 * `--link-selector`: a CSS selector, checked by checkSelectors with the rest.
 * Not parsed here: this runs for the default on every start-up, and loading
 * css-what through require() then made the parse stage's own import of it
 * (through css-select) fail on Node 20.
 */
export function parseLinkSelector(css: string, flag: string): string {
  const trimmed = css.trim();
  if (trimmed === '') throw new UsageError(`${flag} needs a CSS selector`);
  return trimmed;
}

export function parseSelectors(flags: readonly string[]): SelectorSpec[] {
  const specs = flags.map(parseSelector);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new UsageError(`--select name "${s.name}" is given twice`);
    seen.add(s.name);
  }
  return specs;
}

/**
 * Compile every selector the way extraction will, so one that css-select rejects
 * (an unknown pseudo-class, a pseudo-element) is a usage error before any request.
 * Selectors the streaming path answers are checked already (parseSelector); only
 * the others need cheerio, which then loads here instead of at start-up: it is
 * ~40 ms that otherwise delays the first request of every run.
 */
export async function checkSelectors(specs: readonly SelectorSpec[], linkSelector: string | null = null): Promise<void> {
  if (specs.length === 0 && linkSelector === null) return;
  const { compileStreamable } = await import('../parse/stream-plan.js');
  const domOnly = specs.filter((s) => compileStreamable(s.css) === null);
  const linkDomOnly = linkSelector !== null && compileStreamable(linkSelector) === null;
  if (domOnly.length === 0 && !linkDomOnly) return;
  const probe = (await import('cheerio/slim')).load('');
  if (linkDomOnly) {
    try {
      probe(linkSelector);
    } catch (err) {
      throw new UsageError(`invalid --link-selector "${linkSelector}": malformed or unsupported CSS selector (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  for (const s of domOnly) {
    try {
      probe(s.css);
    } catch (err) {
      throw malformed(`${s.name}${s.many ? '[]' : ''}=${s.css}${s.attr === null ? '' : `@${s.attr}`}`, err, 'unsupported');
    }
  }
}
