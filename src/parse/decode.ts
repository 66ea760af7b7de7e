import { isAscii } from 'node:buffer';
import { decodeBuffer } from 'encoding-sniffer';
import { ResultType, Sniffer } from 'encoding-sniffer/sniffer';
import { Parser } from 'htmlparser2';

/** The charset label of a Content-Type header, if any. */
export function charsetOf(contentType: string | null): string | undefined {
  const m = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType) : null;
  return m?.[1];
}

/** The HTML Standard's prescan reads this much: a BOM and a <meta> there decide before parsing. */
const PRESCAN_BYTES = 1024;

/**
 * A <meta> that may name a charset. Only a page that declared nothing in its
 * first KiB (nor by BOM or header) is searched for one, with this one regular
 * expression over the text it was decoded to (~6 us for 27 KB, against ~1 ms
 * to fetch, parse and write the page); only a page where it matches is
 * tokenized for the real thing.
 */
const MAYBE_META_CHARSET = /<meta[\t\n\f\r /][^>]*charset/i;

/**
 * Every encoding a <meta> can name reads ASCII bytes as ASCII, but for
 * ISO-2022-JP, whose escapes start with ESC: such a body decodes to the same
 * text whatever a late <meta> says, and is not searched (~0.4 us for 27 KB).
 */
const sameTextInAnyEncoding = (body: Buffer): boolean => isAscii(body) && !body.includes(0x1b);

/** Bytes → text in an encoding the sniffer named. */
function decodeAs(body: Buffer, encoding: string): string {
  if (encoding === 'UTF-8') {
    // Most of the web: V8's native UTF-8 decoder is several times faster than a
    // generic TextDecoder. Drop the BOM as TextDecoder would.
    const text = body.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  return decodeBuffer(body, { userEncoding: encoding });
}

/**
 * The HTML Standard's "change the encoding": while the encoding is only a
 * guess, the first <meta> element the parser meets whose charset (or
 * http-equiv Content-Type content) names an encoding decides it, wherever it
 * is. htmlparser2 tokenizes as that parser does: a "<meta" in a comment, an
 * attribute value or a script, style, title or textarea is no element. Each
 * meta tag's own text goes through the prescan's rules for one tag (labels,
 * UTF-16 → UTF-8, x-user-defined → windows-1252).
 */
function lateMetaEncoding(text: string): string | undefined {
  let found: string | undefined;
  const parser: Parser = new Parser({
    onopentag(name) {
      if (name !== 'meta' || found !== undefined) return;
      const tag = new Sniffer();
      tag.write(Buffer.from(text.slice(parser.startIndex, parser.endIndex + 1)));
      if (tag.resultType !== ResultType.META_TAG) return;
      found = tag.encoding;
      parser.pause();
    },
  });
  parser.end(text);
  return found;
}

/**
 * The encoding a browser settles on, and the text: BOM, then the Content-Type
 * charset, then a <meta charset>/http-equiv in the first KiB (the prescan),
 * else `defaultEncoding` unless a <meta> further on names one (see
 * lateMetaEncoding). Unknown labels fall through to the next source.
 */
function settle(body: Buffer, contentType: string | null, defaultEncoding: string, only: 'text' | 'name'): { encoding: string; text: string } {
  const label = charsetOf(contentType);
  const sniffer = new Sniffer({ ...(label !== undefined ? { transportLayerEncodingLabel: label } : {}), defaultEncoding });
  sniffer.write(body.subarray(0, PRESCAN_BYTES));
  const text = decodeAs(body, sniffer.encoding);
  // A BOM and the header are certain. So, here, is a meta the prescan found:
  // the Standard keeps it tentative until the parser meets that same meta,
  // which it nearly always does (the exception: one inside a script or style).
  if (sniffer.resultType !== ResultType.DEFAULT) return { encoding: sniffer.encoding, text };
  if ((only === 'text' && sameTextInAnyEncoding(body)) || !MAYBE_META_CHARSET.test(text)) return { encoding: sniffer.encoding, text };
  const late = lateMetaEncoding(text);
  if (late === undefined || late === sniffer.encoding) return { encoding: sniffer.encoding, text };
  return { encoding: late, text: decodeAs(body, late) };
}

/**
 * Bytes → text the way browsers do it (settle), with UTF-8 for a page that
 * declares nothing: what undeclared pages are today, rather than the WHATWG
 * default of windows-1252.
 */
export function decodeHtml(body: Buffer, contentType: string | null): string {
  return settle(body, contentType, 'utf-8', 'text').text;
}

/**
 * The encoding a browser settles on, by name (`UTF-8`, `windows-1252`,
 * `ISO-8859-2`…), `defaultEncoding` for a page that declares none: what
 * decodeHtml decodes with, though for an ASCII body it need not look further
 * than the first KiB (the text is the same).
 */
export function htmlEncoding(body: Buffer, contentType: string | null, defaultEncoding = 'utf-8'): string {
  return settle(body, contentType, defaultEncoding, 'name').encoding;
}

const MARKUP = /^(text\/html|application\/xhtml\+xml)\b/i;

/** Only HTML is parsed; JSON, text, images and octet-streams get `title: null`. */
export function isHtml(contentType: string | null, body: Buffer): boolean {
  if (contentType !== null && contentType.trim() !== '') return MARKUP.test(contentType.trim());
  // No Content-Type: sniff like a browser would, looking for a leading tag.
  const head = body.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}
