import { createGunzip, type Gunzip } from 'node:zlib';
import { Parser } from 'htmlparser2';
import type { Dispatcher } from 'undici';
import { classify } from '../fetch/classify.js';
import { request } from '../fetch/undici.js';
import type { RecordError } from '../record/record.js';
import { sitemapsOf } from '../schedule/robots-rules.js';

/**
 * Sitemaps (sitemaps.org protocol) read as streams: a sitemap may hold 50,000
 * URLs and 50 MB of XML, so it is never loaded whole. The body goes through
 * gunzip when it is gzip (Content-Encoding, or the gzip magic of a `.xml.gz`
 * served as bytes), then through htmlparser2's tokenizer in XML mode, and each
 * `<loc>` is handed on as soon as its element closes. An index (`<sitemapindex>`)
 * is followed, depth first, up to MAX_INDEX_DEPTH levels; a plain-text sitemap
 * (one URL a line, protocol section "Text file") is read line by line.
 */

/** The protocol's own limit on one sitemap, uncompressed; not --max-bytes, which is for pages. */
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;
/** An index of indexes of indexes…: the protocol allows one level; real sites nest a few. */
export const MAX_INDEX_DEPTH = 4;
const MAX_REDIRECTS = 5;

export interface SitemapEntry {
  /** The `<loc>`, as written (trimmed): it becomes an input line. */
  readonly url: string;
  /** The sitemap it was listed in. */
  readonly sitemap: string;
}

export interface SitemapOptions {
  dispatcher: Dispatcher;
  headers: Readonly<Record<string, string>>;
  /** One sitemap file's deadline, every redirect and the whole body included. */
  timeoutMs: number;
  /** --since as epoch ms: entries whose <lastmod> is earlier are dropped; entries without one are kept. Null: all. */
  since: number | null;
  /** A problem that leaves what was read usable (broken XML, a file over the cap). */
  warn(message: string, fields: Record<string, unknown>): void;
  /** A sitemap that could not be read at all: it becomes a record of its own. */
  failed(sitemap: string, error: RecordError, status: number | null): void;
  /** Cap on one file, uncompressed (SITEMAP_MAX_BYTES unless a test says less). */
  maxBytes?: number;
}

/** What one file held: its URL entries, and the sitemaps an index lists. */
type Item = { kind: 'url'; url: string } | { kind: 'sitemap'; url: string };

class SitemapError extends Error {
  constructor(
    readonly error: RecordError,
    readonly status: number | null,
  ) {
    super(error.message);
  }
}

/** `<ns:loc>` → `loc`: the protocol's elements, whatever prefix a generator gave its namespace. */
const localName = (name: string): string => {
  const i = name.indexOf(':');
  return (i < 0 ? name : name.slice(i + 1)).toLowerCase();
};

/**
 * The URL entries of every sitemap in `roots`, in order, indexes followed.
 * A sitemap that cannot be had is reported through `failed` and skipped; the
 * rest go on. Each sitemap URL is read at most once.
 */
export async function* readSitemaps(roots: readonly string[], options: SitemapOptions): AsyncGenerator<SitemapEntry> {
  const seen = new Set<string>();
  async function* walk(url: string, depth: number): AsyncGenerator<SitemapEntry> {
    if (seen.has(url)) return;
    seen.add(url);
    for await (const item of readOne(url, options)) {
      if (item.kind === 'url') yield { url: item.url, sitemap: url };
      else if (depth >= MAX_INDEX_DEPTH) options.warn('sitemap index nested too deep; not followed', { sitemap: item.url, depth: depth + 1 });
      else yield* walk(item.url, depth + 1);
    }
  }
  for (const root of roots) yield* walk(root, 0);
}

/** robots.txt is read up to this, as the robots.txt check reads it (RFC 9309 asks at least 500 KiB). */
const ROBOTS_MAX_BYTES = 512 * 1024;

/**
 * --sitemaps-from-robots: the sitemaps an origin's robots.txt lists. A
 * robots.txt that is missing or cannot be read lists none (a warning when it
 * failed for another reason than not being there).
 */
export async function robotsSitemaps(origin: string, options: SitemapOptions): Promise<string[]> {
  const url = `${origin}/robots.txt`;
  try {
    const response = await open(url, options);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= ROBOTS_MAX_BYTES) break;
      }
    } finally {
      if (!response.body.readableEnded) {
        response.body.on('error', () => {});
        response.body.destroy();
      }
    }
    return sitemapsOf(Buffer.concat(chunks).subarray(0, ROBOTS_MAX_BYTES), url);
  } catch (err) {
    const failure = err instanceof SitemapError ? err : new SitemapError(classify(err), null);
    if (failure.status !== 404 && failure.status !== 410) options.warn('robots.txt could not be read for its Sitemap lines', { robots: url, error: failure.error.code, reason: failure.error.message });
    return [];
  }
}

/** One sitemap file's items; a failure before any item is reported, one after is a warning (what came first is used). */
async function* readOne(url: string, options: SitemapOptions): AsyncGenerator<Item> {
  let produced = 0;
  try {
    for await (const item of items(url, options)) {
      produced++;
      yield item;
    }
  } catch (err) {
    const failure = err instanceof SitemapError ? err : new SitemapError(classify(err), null);
    if (produced === 0) options.failed(url, failure.error, failure.status);
    else options.warn(`sitemap broken after ${produced} entries; those were used`, { sitemap: url, error: failure.error.code, reason: failure.error.message });
  }
}

async function* items(url: string, options: SitemapOptions): AsyncGenerator<Item> {
  const response = await open(url, options);
  const deadline = setTimeout(() => response.body.destroy(new SitemapError({ code: 'TIMEOUT', message: `sitemap not read within ${options.timeoutMs} ms` }, response.status)), options.timeoutMs);
  try {
    yield* parse(response.body, response.encoding, response.contentType, url, options);
  } finally {
    clearTimeout(deadline);
    // Left early (a stop, the cap, a consumer that had enough): drop the rest of the body.
    if (!response.body.readableEnded) {
      response.body.on('error', () => {});
      response.body.destroy();
    }
  }
}

interface Opened {
  status: number;
  body: Dispatcher.ResponseData['body'];
  encoding: string | null;
  contentType: string | null;
}

/** GET with redirects followed (up to 5), a 2xx or a SitemapError. */
async function open(start: string, options: SitemapOptions): Promise<Opened> {
  let url = start;
  for (let hop = 0; ; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SitemapError({ code: 'INVALID_URL', message: 'not an absolute http(s) URL' }, null);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SitemapError({ code: hop === 0 ? 'INVALID_URL' : 'BAD_REDIRECT', message: `not an http(s) URL: ${parsed.protocol}` }, null);
    }
    const res = await request(
      { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` },
      {
        dispatcher: options.dispatcher,
        method: 'GET',
        headers: { ...options.headers, 'accept-encoding': 'gzip' },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      },
    );
    const header = (name: string): string | null => {
      const v = res.headers[name];
      return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
    };
    if (res.statusCode >= 300 && res.statusCode < 400 && header('location') !== null) {
      await res.body.dump().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new SitemapError({ code: 'TOO_MANY_REDIRECTS', message: `more than ${MAX_REDIRECTS} redirects` }, res.statusCode);
      url = new URL(header('location')!, url).href;
      continue;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump().catch(() => {});
      throw new SitemapError({ code: 'HTTP_STATUS', message: `sitemap answered HTTP ${res.statusCode}` }, res.statusCode);
    }
    return { status: res.statusCode, body: res.body, encoding: header('content-encoding'), contentType: header('content-type') };
  }
}

/** The body, decoded (gzip once for Content-Encoding, once more for a .gz file), capped, tokenized. */
async function* parse(
  body: AsyncIterable<Buffer>,
  encoding: string | null,
  contentType: string | null,
  url: string,
  options: SitemapOptions,
): AsyncGenerator<Item> {
  const cap = options.maxBytes ?? SITEMAP_MAX_BYTES;
  const coding = encoding?.trim().toLowerCase() ?? '';
  if (coding !== '' && coding !== 'identity' && coding !== 'gzip' && coding !== 'x-gzip') {
    throw new SitemapError({ code: 'DECODE', message: `unsupported Content-Encoding "${coding}" for a sitemap` }, 200);
  }
  let bytes: AsyncIterable<Buffer> = coding === 'gzip' || coding === 'x-gzip' ? gunzip(body) : body;
  bytes = unzipIfGzip(bytes);

  const found: Item[] = [];
  let text: boolean | null = null; // plain-text sitemap?
  let lineCarry = '';
  let total = 0;
  let inLoc = false;
  let loc = '';
  let inLastmod = false;
  let lastmod = '';
  let container: 'url' | 'sitemap' | null = null;
  let entryLoc: string | null = null;
  let root: string | null = null;
  let rootClosed = false;
  const keep = (when: string): boolean => {
    if (options.since === null || when === '') return true;
    const t = Date.parse(when);
    return Number.isNaN(t) || t >= options.since;
  };
  const parser = new Parser(
    {
      onopentag(name) {
        const tag = localName(name);
        root ??= tag;
        if (tag === 'url' || tag === 'sitemap') {
          container = tag;
          entryLoc = null;
          lastmod = '';
        } else if (tag === 'loc' && container !== null) {
          inLoc = true;
          loc = '';
        } else if (tag === 'lastmod' && container !== null) {
          inLastmod = true;
          lastmod = '';
        }
      },
      ontext(t) {
        if (inLoc) loc += t;
        else if (inLastmod) lastmod += t;
      },
      // `implied`: closed by the end of the input, not by its end tag. A <loc>
      // or an entry cut off that way is incomplete (a URL cut in half) and dropped.
      onclosetag(name, implied) {
        const tag = localName(name);
        if (tag === 'loc' && inLoc) {
          inLoc = false;
          if (!implied) entryLoc = decodeEntities(loc.trim());
        } else if (tag === 'lastmod' && inLastmod) {
          inLastmod = false;
        } else if ((tag === 'url' || tag === 'sitemap') && container === tag) {
          if (entryLoc && !implied) {
            if (tag === 'sitemap') found.push({ kind: 'sitemap', url: entryLoc });
            else if (keep(lastmod.trim())) found.push({ kind: 'url', url: entryLoc });
          }
          container = null;
        } else if (tag === root && !implied) {
          rootClosed = true;
        }
      },
    },
    { xmlMode: true, decodeEntities: false },
  );

  for await (const chunk of bytes) {
    let piece = chunk;
    if (total + piece.length > cap) {
      piece = piece.subarray(0, cap - total);
      options.warn(`sitemap larger than ${cap} bytes uncompressed; the rest is ignored`, { sitemap: url });
    }
    total += piece.length;
    const s = piece.toString('utf8');
    if (text === null) {
      const start = s.replace(/^\uFEFF/, '').trimStart();
      if (start === '') continue;
      text = !start.startsWith('<') && !(contentType ?? '').includes('xml');
    }
    if (text) {
      const lines = (lineCarry + s).split(/\r?\n/);
      lineCarry = lines.pop() ?? '';
      for (const line of lines) {
        const u = line.replace(/^\uFEFF/, '').trim();
        if (u !== '') found.push({ kind: 'url', url: u });
      }
    } else parser.write(s);
    yield* found.splice(0);
    if (total >= cap) break;
  }
  if (text) {
    const u = lineCarry.trim();
    if (u !== '') yield { kind: 'url', url: u };
    return;
  }
  parser.end();
  yield* found.splice(0);
  if (root !== null && !rootClosed) options.warn(`sitemap XML ended before </${root}>; the entries before the break were used`, { sitemap: url });
  if (root !== null && root !== 'urlset' && root !== 'sitemapindex') options.warn(`not a sitemap: the document is <${root}>`, { sitemap: url });
}

/** The five XML entities and numeric references: all a <loc> may hold (the protocol requires & to be escaped). */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    }
  });
}

/** A stream through gunzip; a corrupt or truncated stream ends in a DECODE SitemapError. */
async function* gunzip(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const z: Gunzip = createGunzip();
  const feed = (async () => {
    try {
      for await (const chunk of input) if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
      z.end();
    } catch (err) {
      z.destroy(err as Error);
    }
  })();
  try {
    for await (const out of z as AsyncIterable<Buffer>) yield out;
  } catch (err) {
    if (err instanceof SitemapError) throw err;
    throw new SitemapError({ code: 'DECODE', message: `corrupt gzip: ${(err as Error).message}` }, 200);
  } finally {
    z.destroy();
    await feed.catch(() => {});
  }
}

/** A `.xml.gz` served as bytes: gunzip when the body starts with gzip's magic (1f 8b). */
async function* unzipIfGzip(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => {
      let sentFirst = false;
      return {
        next: () => {
          if (sentFirst) return it.next();
          sentFirst = true;
          return Promise.resolve(first);
        },
        return: async () => (await it.return?.()) ?? { done: true, value: undefined },
      };
    },
  };
  const head = first.value;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) yield* gunzip(rest);
  else yield* rest;
}
