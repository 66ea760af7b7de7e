/**
 * Normalise an input line into the URL we fetch and dedupe on, or null when the
 * line is not an absolute http(s) URL. WHATWG URL parsing already lower-cases the
 * scheme and host, converts IDN hosts to punycode and drops default ports; we
 * also drop the fragment, which never reaches the server.
 */
export function normalizeUrl(raw: string): string | null {
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
  return url.href;
}
