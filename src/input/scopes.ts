/**
 * --scope's values, apart from the link filter (link-filter.ts) so the option
 * table, which `--help` loads, does not load the Public Suffix List with them.
 */
export const SCOPES = ['host', 'domain', 'prefix', 'any'] as const;

/** Which discovered links a crawl follows, relative to their seed. */
export type Scope = (typeof SCOPES)[number];
