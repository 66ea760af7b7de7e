import { decodeBuffer, getEncoding } from 'encoding-sniffer';

/** The charset label of a Content-Type header, if any. */
export function charsetOf(contentType: string | null): string | undefined {
  const m = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType) : null;
  return m?.[1];
}

/**
 * Bytes → text the way browsers do it: BOM, then the Content-Type charset, then
 * a `<meta charset>`/http-equiv in the first KiB, else UTF-8 (what undeclared
 * pages are today, rather than the WHATWG default of windows-1252). Unknown
 * labels fall through to the next source instead of throwing.
 */
export function decodeHtml(body: Buffer, contentType: string | null): string {
  const label = charsetOf(contentType);
  const options = { ...(label !== undefined ? { transportLayerEncodingLabel: label } : {}), defaultEncoding: 'utf-8' };
  // The sniffer only needs the head (BOM and <meta> prescan live in the first KiB).
  if (getEncoding(body.subarray(0, 1024), options) === 'UTF-8') {
    // Most of the web: V8's native UTF-8 decoder is several times faster than a
    // generic TextDecoder. Drop the BOM as TextDecoder would.
    const text = body.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  return decodeBuffer(body, options);
}

const MARKUP = /^(text\/html|application\/xhtml\+xml)\b/i;

/** Only HTML is parsed; JSON, text, images and octet-streams get `title: null`. */
export function isHtml(contentType: string | null, body: Buffer): boolean {
  if (contentType !== null && contentType.trim() !== '') return MARKUP.test(contentType.trim());
  // No Content-Type: sniff like a browser would, looking for a leading tag.
  const head = body.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}
