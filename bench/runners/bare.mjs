#!/usr/bin/env node
// Reference loop: undici `request` + p-limit + cheerio, nothing else.
//
//   node bench/runners/bare.mjs --parser parse5|htmlparser2 -c 32 -o out.jsonl urls.txt
//
// --parser parse5      cheerio's default `load` (parse5)
// --parser htmlparser2 `cheerio/slim`, whose `load` always uses htmlparser2
// One JSON line per page: { url, status, title, data: { h1, price }, links }.
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import { extract, jsonLinesWriter, runnerArgs } from './common.mjs';

const args = runnerArgs({ parser: { type: 'string', default: 'parse5' } });
const { load } =
  args.parser === 'htmlparser2'
    ? await import('cheerio/slim')
    : args.parser === 'parse5'
      ? await import('cheerio')
      : (() => {
          throw new Error(`unknown --parser ${args.parser}`);
        })();

const dispatcher = new Agent({ connections: args.concurrency, keepAliveTimeout: 30_000 });
const limit = pLimit(args.concurrency);
const out = jsonLinesWriter(args.out);
let failed = 0;

async function scrapeOne(url) {
  try {
    const res = await request(url, {
      dispatcher,
      headersTimeout: args.timeout,
      bodyTimeout: args.timeout,
    });
    const html = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}`);
    out.write({ url, status: res.statusCode, ...extract(load(html), url) });
  } catch (err) {
    failed++;
    out.write({ url, error: String(err?.message ?? err) });
  }
}

await Promise.all(args.urls.map((url) => limit(scrapeOne, url)));
await out.close();
await dispatcher.close();
process.exitCode = failed ? 1 : 0;
