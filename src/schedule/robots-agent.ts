/**
 * The product token robots.txt groups are matched against (RFC 9309 2.2.1):
 * letters, `_` and `-`. Kept apart from the matcher so the option table can
 * check `--robots-agent` without loading it.
 */

/** Ours, and the fallback for a User-Agent that starts with no token. */
export const DEFAULT_ROBOTS_AGENT = 'scrape';

const TOKEN = /^[A-Za-z_-]+$/;
const LEADING_TOKEN = /^[A-Za-z_-]+/;

export function isProductToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * The product token of a User-Agent: its leading run of token characters
 * (`AcmeBot/1.2 (+https://acme.example/bot)` → `AcmeBot`), or `scrape` when it
 * starts with none. A browser-like `Mozilla/5.0 (compatible; AcmeBot/1.2)`
 * gives `Mozilla`: such a User-Agent needs --robots-agent.
 */
export function productToken(userAgent: string): string {
  return LEADING_TOKEN.exec(userAgent.trimStart())?.[0] ?? DEFAULT_ROBOTS_AGENT;
}
