// Checks a runner's JSON Lines output against what the fixture server sent, so
// a runner that skips work cannot win: one line per page, every page id once,
// no error records, and for a sample of pages the title, h1, first price and
// the http(s) links (count and a few resolved URLs) must match pages.mjs.
//
// Field names are read leniently, to fit the reference runners and scrape:
// the page URL from url/requestUrl/inputUrl/finalUrl/loadedUrl, h1 and price
// from record.data (or the record itself), a one-element array counts as its
// element, and links may be strings or { url | href } objects.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { expectedFor } from './pages.mjs';

const URL_FIELDS = ['url', 'requestUrl', 'requestedUrl', 'inputUrl', 'input', 'finalUrl', 'loadedUrl'];
const PAGE_RE = /\/page\/(\d+)(?:[?#]|$)/;

function pageId(rec) {
  for (const f of URL_FIELDS) {
    const v = rec[f];
    if (typeof v === 'string') {
      const m = PAGE_RE.exec(v);
      if (m) return Number(m[1]);
    }
  }
  return -1;
}

const norm = (v) => {
  if (Array.isArray(v)) v = v[0];
  if (v && typeof v === 'object' && 'text' in v) v = v.text;
  return typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v;
};

function linkUrls(links) {
  if (!Array.isArray(links)) return null;
  return links.map((l) => {
    const s = typeof l === 'string' ? l : (l?.url ?? l?.href);
    try {
      return new URL(s).href;
    } catch {
      return String(s);
    }
  });
}

function isErrorRecord(rec) {
  return (rec.error !== undefined && rec.error !== null) || (typeof rec.status === 'number' && rec.status >= 400);
}

/** Compares one record with the page it should describe; returns the problems found. */
export function compareRecord(rec, exp) {
  const problems = [];
  const title = norm(rec.title ?? rec.data?.title);
  const h1 = norm(rec.data?.h1 ?? rec.h1);
  const price = norm(rec.data?.price ?? rec.price);
  if (title !== exp.title) problems.push(`title ${JSON.stringify(title)} != ${JSON.stringify(exp.title)}`);
  if (h1 !== exp.h1) problems.push(`h1 ${JSON.stringify(h1)} != ${JSON.stringify(exp.h1)}`);
  if (price !== exp.price) problems.push(`price ${JSON.stringify(price)} != ${JSON.stringify(exp.price)}`);
  const links = linkUrls(rec.links);
  if (!links) problems.push('no links array');
  else {
    if (links.length !== exp.linkCount) problems.push(`${links.length} links, expected ${exp.linkCount}`);
    const have = new Set(links);
    const missing = exp.sampleLinks.filter((u) => !have.has(u));
    if (missing.length) problems.push(`missing link ${missing[0]}`);
  }
  return problems;
}

/**
 * @param {string} file JSON Lines output
 * @param {{ n: number, size: string, origin: string, samples?: number, seed?: number }} o
 * @returns {Promise<{ valid: boolean, lines: number, unique: number, errors: number, problems: string[] }>}
 */
export async function checkOutput(file, { n, size, origin, samples = 12, seed = 1, fields = true }) {
  if (!existsSync(file)) return { valid: false, lines: 0, unique: 0, errors: 0, problems: ['no output file'] };
  // Sample ids: first, last and a spread of pseudo-random ones.
  const want = new Set([0, n - 1]);
  let x = (seed * 2654435761) >>> 0;
  while (want.size < Math.min(samples, n)) {
    x = (Math.imul(x ^ (x >>> 13), 1597334677) + 12345) >>> 0;
    want.add(x % n);
  }
  const seen = new Uint8Array(n);
  const sampled = new Map();
  const problems = [];
  let lines = 0;
  let unique = 0;
  let errors = 0;
  let firstError = '';
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    lines++;
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      if (problems.length < 5) problems.push(`line ${lines} is not JSON`);
      continue;
    }
    if (isErrorRecord(rec)) {
      errors++;
      firstError ||= `${rec.url ?? ''} ${JSON.stringify(rec.error ?? rec.status)}`.slice(0, 200);
    }
    const id = pageId(rec);
    if (id < 0 || id >= n) {
      if (problems.length < 5) problems.push(`line ${lines}: no page URL`);
      continue;
    }
    if (!seen[id]) unique++;
    seen[id] = 1;
    if (want.has(id) && !sampled.has(id)) sampled.set(id, rec);
  }
  if (lines !== n) problems.push(`${lines} lines, expected ${n}`);
  if (unique !== n) problems.push(`${unique} distinct pages, expected ${n}`);
  if (errors) problems.push(`${errors} error records (first: ${firstError})`);
  for (const id of want) {
    const rec = sampled.get(id);
    if (!rec) continue; // already counted as a missing page
    if (isErrorRecord(rec) || !fields) continue;
    const p = compareRecord(rec, expectedFor(id, size, origin));
    if (p.length) problems.push(`page ${id}: ${p.join('; ')}`);
    if (problems.length > 8) break;
  }
  return { valid: problems.length === 0, lines, unique, errors, problems };
}
