import { decodeBuffer } from 'encoding-sniffer';

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
  return decodeBuffer(body, {
    ...(label !== undefined ? { transportLayerEncodingLabel: label } : {}),
    defaultEncoding: 'utf-8',
  });
}

const MARKUP = /^(text\/html|application\/xhtml\+xml)\b/i;

/** Only HTML is parsed; JSON, text, images and octet-streams get `title: null`. */
export function isHtml(contentType: string | null, body: Buffer): boolean {
  if (contentType !== null && contentType.trim() !== '') return MARKUP.test(contentType.trim());
  // No Content-Type: sniff like a browser would, looking for a leading tag.
  const head = body.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}
