import type { SelectorSpec } from '../record/extraction.js';
import { UsageError } from './usage-error.js';

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
  return { name, css, attr, many: brackets === '[]', ...(keepWhitespace ? { keepWhitespace } : {}) };
}

/** `--link-selector`: a CSS selector, checked by checkSelectors with the rest. */
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

/** The flag as it was given, for messages. */
function flagOf(s: SelectorSpec): string {
  return `${s.name}${s.many ? '[]' : ''}=${s.css}${s.attr === null ? (s.keepWhitespace ? '@textContent' : '') : `@${s.attr}`}`;
}

/**
 * Check every selector the way extraction will run it, before any request: a
 * malformed one (css-what refuses it) or one css-select cannot run (an unknown
 * pseudo-class, a pseudo-element) is a usage error.
 *
 * css-what loads here through import(), the one way the whole program loads
 * it (stream-plan.ts and css-select import it). parseSelector used to
 * require() it, to check syntax synchronously in buildConfig: where require()
 * and import resolve the package to different paths (node_modules behind a
 * symlink; on Node 20 import stopped following it once stdin was a pipe) that
 * made two instances, and css-select, imported later, failed to load
 * ("Cannot read properties of undefined (reading 'Universal')"). Nothing
 * loads without selectors: `--help` and a run without --select load no
 * css-what at start-up.
 *
 * Selectors the streaming path answers need only css-what; the others need
 * cheerio (css-select), which then loads here: those runs take the DOM path
 * for every page anyway.
 */
export async function checkSelectors(specs: readonly SelectorSpec[], linkSelector: string | null = null): Promise<void> {
  if (specs.length === 0 && linkSelector === null) return;
  const [{ parse }, { compileStreamable }] = await Promise.all([import('css-what'), import('../parse/stream-plan.js')]);
  const linkError = (err: unknown): UsageError =>
    new UsageError(`invalid --link-selector "${linkSelector}": malformed or unsupported CSS selector (${err instanceof Error ? err.message : String(err)})`);
  // Syntax first (css-what), for every selector; then what only the DOM path can run, through css-select itself.
  if (linkSelector !== null) checkOne(parse, linkSelector, linkError);
  for (const s of specs) checkOne(parse, s.css, (err) => malformed(flagOf(s), err));
  const domOnly = specs.filter((s) => compileStreamable(s.css) === null);
  const linkDomOnly = linkSelector !== null && compileStreamable(linkSelector) === null;
  if (domOnly.length === 0 && !linkDomOnly) return;
  const probe = (await import('cheerio/slim')).load('');
  if (linkDomOnly) checkOne(probe, linkSelector, linkError);
  for (const s of domOnly) checkOne(probe, s.css, (err) => malformed(flagOf(s), err, 'unsupported'));
}

/** Runs `check` on a selector; what it throws becomes the usage error `refused` makes of it. */
function checkOne(check: (css: string) => unknown, css: string, refused: (err: unknown) => UsageError): void {
  try {
    check(css);
  } catch (err) {
    throw refused(err);
  }
}
