import type { DataValue } from './record.js';

/** One `--select` flag, parsed: `NAME=CSS`, `NAME=CSS@ATTR`, `NAME[]=CSS`, `NAME[]=CSS@ATTR`. */
export interface SelectorSpec {
  name: string;
  css: string;
  /** Attribute to read instead of the text; `href`/`src` are resolved to absolute URLs. */
  attr: string | null;
  /** `NAME[]`: every match as an array instead of the first match. */
  many: boolean;
  /**
   * `@textContent`: the text exactly as the document holds it, line breaks and
   * runs of spaces kept (the DOM's textContent), for `<pre>`, code and poems;
   * without it, text is stripped and collapsed.
   */
  keepWhitespace?: boolean;
}

/** What the parse stage takes from one HTML page: the record's title, data and links. */
export interface Extracted {
  title: string | null;
  data: Record<string, DataValue>;
  links: string[] | null;
  /**
   * --follow only: the links a crawl follows (--link-selector's, minus
   * nofollow ones), absolute, fragment-free, deduped; not written to records.
   */
  follow?: string[];
}
