// Shared bits of the reference runners: argument parsing, URL list reading, the
// per-page extraction (title, h1, first .price, http(s) links resolved against
// the page URL) and a JSON Lines writer.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Crawlee (@crawlee/cheerio), from bench/peers/crawlee/node_modules, where
 * bench/run.mjs installs it with `npm ci`: never one of scrape's own
 * dependencies, so imported by path. Logging at warnings only. Exits 3 when
 * it is not installed.
 */
export async function loadCrawlee() {
  const entry = fileURLToPath(new URL('../peers/crawlee/node_modules/@crawlee/cheerio/index.mjs', import.meta.url));
  if (!existsSync(entry)) {
    console.error(`Crawlee is not installed (${entry}); run npm ci in bench/peers/crawlee`);
    process.exit(3);
  }
  const crawlee = await import(pathToFileURL(entry).href);
  crawlee.log.setLevel(crawlee.LogLevel.WARNING);
  return crawlee;
}

export function runnerArgs(extra = {}) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      concurrency: { type: 'string', short: 'c', default: '32' },
      timeout: { type: 'string', default: '30000' },
      ...extra,
    },
  });
  if (!values.out || positionals.length !== 1) {
    throw new Error('usage: <runner> -o OUT.jsonl -c CONCURRENCY URLS.txt');
  }
  const urls = readFileSync(positionals[0], 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  return { ...values, concurrency: Number(values.concurrency), timeout: Number(values.timeout), urls };
}

/** The same per-page work every runner does, on a loaded cheerio document. */
export function extract($, url) {
  const links = [];
  $('a[href]').each((_, el) => {
    const href = $(el).attr('href');
    if (!href) return;
    let u;
    try {
      u = new URL(href, url);
    } catch {
      return;
    }
    if (u.protocol === 'http:' || u.protocol === 'https:') links.push(u.href);
  });
  return {
    title: $('title').first().text().trim(),
    data: { h1: $('h1').first().text().trim(), price: $('.price').first().text().trim() },
    links,
  };
}

export function jsonLinesWriter(path) {
  const stream = createWriteStream(path);
  return {
    write(record) {
      stream.write(`${JSON.stringify(record)}\n`);
    },
    close() {
      return new Promise((resolve, reject) => {
        stream.on('error', reject);
        stream.end(resolve);
      });
    },
  };
}
