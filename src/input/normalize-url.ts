/**
 * Parse an input line into the URL we fetch and dedupe on, or null when the
 * line is not an absolute http(s) URL. WHATWG URL parsing already lower-cases
 * the scheme and host, converts IDN hosts to punycode and drops default ports;
 * we also drop the fragment, which never reaches the server. This is the one
 * parse of a URL per input line: input/targets.ts keeps the parts the later
 * stages need.
 */
export function parseUrl(raw: string): URL | null {
  // Reject before parsing: the WHATWG parser silently strips tabs/newlines and
  // percent-encodes spaces, which would turn obvious garbage into a fetchable URL.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
  if (raw.length === 0 || /[\s\u0000-\u001f\u007f]/.test(raw)) return null;
  if (!/^https?:\/\//i.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  url.hash = '';
  return url;
}

/** The normalised URL (href) of an input line, or null when it is not an absolute http(s) URL. */
export function normalizeUrl(raw: string): string | null {
  return parseUrl(raw)?.href ?? null;
}
