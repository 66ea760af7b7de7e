#!/usr/bin/env node
// Floor, not a competitor: undici `request` + p-limit fetching every page and
// reading its body, with no parsing at all. What the HTTP client and the fixture
// server allow on this machine; a scraper that parses cannot beat it.
//
//   node bench/runners/fetch-only.mjs -c 50 -o out.jsonl urls.txt
//
// One JSON line per page: { url, status, bytes }. On stderr, one JSON line with
// the wall time from the first request to the last body (process start-up left
// out), which the --compare section sets against scrape's in-process figure.
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import { jsonLinesWriter, runnerArgs } from './common.mjs';

const args = runnerArgs();
const dispatcher = new Agent({ connections: args.concurrency, keepAliveTimeout: 30_000 });
const limit = pLimit(args.concurrency);
const out = jsonLinesWriter(args.out);
let failed = 0;

async function fetchOne(url) {
  try {
    const res = await request(url, { dispatcher, headersTimeout: args.timeout, bodyTimeout: args.timeout });
    const body = await res.body.arrayBuffer();
    if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}`);
    out.write({ url, status: res.statusCode, bytes: body.byteLength });
  } catch (err) {
    failed++;
    out.write({ url, error: String(err?.message ?? err) });
  }
}

const t0 = performance.now();
await Promise.all(args.urls.map((url) => limit(fetchOne, url)));
const inProcessMs = performance.now() - t0;
await out.close();
await dispatcher.close();
process.stderr.write(`${JSON.stringify({ inProcessMs: Math.round(inProcessMs * 10) / 10 })}\n`);
process.exitCode = failed ? 1 : 0;
