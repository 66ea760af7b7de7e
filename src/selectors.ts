import { load } from 'cheerio/slim';
import { UsageError } from './errors.js';

/** One `--select` flag, parsed: `NAME=CSS`, `NAME=CSS@ATTR`, `NAME[]=CSS`, `NAME[]=CSS@ATTR`. */
export interface SelectorSpec {
  name: string;
  css: string;
  /** Attribute to read instead of the text; `href`/`src` are resolved to absolute URLs. */
  attr: string | null;
  /** `NAME[]`: every match as an array instead of the first match. */
  many: boolean;
}

const SPEC = /^([A-Za-z_][\w.-]*)(\[\])?=(.+)$/s;
// The attribute suffix is the last `@name` at the very end; an `@` inside the CSS
// (e.g. `a[href^="mailto:x@"]`) is followed by other characters and stays CSS.
const ATTR_SUFFIX = /@([A-Za-z_:][\w:.-]*)$/;

// An empty document is enough to make css-select compile (and reject) a selector.
let probe: ReturnType<typeof load> | undefined;

export function parseSelector(flag: string): SelectorSpec {
  const m = SPEC.exec(flag);
  if (!m) {
    throw new UsageError(`invalid --select "${flag}": expected NAME=CSS, NAME=CSS@ATTR or NAME[]=CSS`);
  }
  const [, name = '', brackets, rest = ''] = m;
  let css = rest.trim();
  let attr: string | null = null;
  const a = ATTR_SUFFIX.exec(css);
  if (a) {
    attr = (a[1] ?? '').toLowerCase();
    css = css.slice(0, a.index).trim();
  }
  if (css === '') throw new UsageError(`invalid --select "${flag}": empty CSS selector`);
  probe ??= load('');
  try {
    probe(css);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`invalid --select "${flag}": malformed CSS selector (${why})`);
  }
  return { name, css, attr, many: brackets === '[]' };
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
