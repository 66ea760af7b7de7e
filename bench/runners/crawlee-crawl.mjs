#!/usr/bin/env node
// Crawlee's CheerioCrawler crawling a site from its home page (the crawl
// workload of bench/run.mjs): enqueueLinks on every page, same host only,
// the same concurrency as scrape, storage in memory, one JSON line per page.
//
//   node bench/runners/crawlee-crawl.mjs -c 16 -o out.jsonl urls.txt
import { extract, jsonLinesWriter, loadCrawlee, runnerArgs } from './common.mjs';

const { CheerioCrawler, Configuration } = await loadCrawlee();

const args = runnerArgs();
const C = args.concurrency;
const out = jsonLinesWriter(args.out);
const crawler = new CheerioCrawler(
  {
    minConcurrency: C,
    maxConcurrency: C,
    autoscaledPoolOptions: { desiredConcurrency: C },
    maxRequestRetries: 0,
    async requestHandler({ request, response, $, enqueueLinks }) {
      out.write({ url: request.url, status: response.statusCode, ...extract($, request.loadedUrl ?? request.url) });
      await enqueueLinks({ strategy: 'same-hostname' });
    },
  },
  new Configuration({ persistStorage: false, purgeOnStart: true }),
);
await crawler.run(args.urls);
await out.close();
