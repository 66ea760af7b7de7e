#!/usr/bin/env node
// Crawlee's CheerioCrawler doing the same per-page work as the other runners.
//
//   node bench/runners/crawlee.mjs -c 32 -o out.jsonl urls.txt
//
// Crawlee lives in bench/peers/crawlee/node_modules (installed by bench/run.mjs
// with `npm ci`), never in scrape's own dependencies, so it is imported by path.
//
// Configured to be fair to Crawlee: its autoscaled pool is pinned at the same
// concurrency as everyone else (min = max = desired = C), storage stays in
// memory (persistStorage: false, purged on start), logging is quiet, and
// records go straight to a JSON Lines file instead of a Dataset.
import { extract, jsonLinesWriter, loadCrawlee, runnerArgs } from './common.mjs';

const { CheerioCrawler, Configuration } = await loadCrawlee();

const args = runnerArgs();
const C = args.concurrency;

const config = new Configuration({ persistStorage: false, purgeOnStart: true });
const out = jsonLinesWriter(args.out);
let failed = 0;

const crawler = new CheerioCrawler(
  {
    minConcurrency: C,
    maxConcurrency: C,
    autoscaledPoolOptions: { desiredConcurrency: C },
    navigationTimeoutSecs: Math.ceil(args.timeout / 1000),
    requestHandlerTimeoutSecs: Math.ceil(args.timeout / 1000),
    maxRequestRetries: 0,
    async requestHandler({ request, response, $ }) {
      const url = request.loadedUrl ?? request.url;
      out.write({ url: request.url, status: response.statusCode, ...extract($, url) });
    },
    failedRequestHandler({ request }, error) {
      failed++;
      out.write({ url: request.url, error: String(error?.message ?? error) });
    },
  },
  config,
);

await crawler.run(args.urls);
await out.close();
process.exitCode = failed ? 1 : 0;
