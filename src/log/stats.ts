import type { ErrorCode, ScrapeRecord } from '../record/record.js';

export interface Summary {
  total: number;
  ok: number;
  failed: number;
  wallMs: number;
  requestsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  /** Sum of every record's totalMs: the time a one-at-a-time run would have spent. */
  sumMs: number;
  /** sumMs ÷ wallMs: how many requests were in flight on average. */
  parallelism: number;
  errors: Partial<Record<ErrorCode, number>>;
  /** --follow only: what the crawl found, skipped and dropped (input/crawl-frontier.ts). */
  crawl?: CrawlSummary;
}

/** A crawl's counts beyond its records. */
export interface CrawlSummary {
  /** URLs found on pages and queued (new, in scope, within --depth). */
  discovered: number;
  /** Found URLs robots.txt disallowed: not requested, no record. */
  robotsSkipped: number;
  /** Queued URLs never fetched because --max-pages was reached. */
  droppedMaxPages: number;
  /** --shard with --follow: found URLs on hosts of other shards, left to them (each counted once). */
  otherShards: number;
  /**
   * Found URLs left when --max-time passed, or whose host --host-errors gave
   * up on: not fetched, no record (a --resume run fetches them).
   */
  unfinished: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Running counts and latencies; a Float64Array keeps 100k latencies in 800 KB. */
export class Stats {
  private latencies = new Float64Array(1024);
  private n = 0;
  private okCount = 0;
  private sum = 0;
  private readonly errors: Partial<Record<ErrorCode, number>> = {};
  total = 0;

  add(rec: ScrapeRecord): void {
    if (rec.ok) this.okCount++;
    else if (rec.error) this.errors[rec.error.code] = (this.errors[rec.error.code] ?? 0) + 1;
    // Invalid lines never made a request: they would drag the latency figures to 0.
    if (rec.attempts > 0) {
      if (this.n === this.latencies.length) {
        const bigger = new Float64Array(this.latencies.length * 2);
        bigger.set(this.latencies);
        this.latencies = bigger;
      }
      this.latencies[this.n++] = rec.timing.totalMs;
      this.sum += rec.timing.totalMs;
    }
    this.total++;
  }

  get failed(): number {
    return this.total - this.okCount;
  }

  summary(wallMs: number): Summary {
    const sorted = this.latencies.slice(0, this.n).sort();
    return {
      total: this.total,
      ok: this.okCount,
      failed: this.failed,
      wallMs: Math.round(wallMs),
      requestsPerSec: wallMs > 0 ? round1((this.total * 1000) / wallMs) : 0,
      p50Ms: Math.round(percentile(sorted, 50)),
      p95Ms: Math.round(percentile(sorted, 95)),
      sumMs: Math.round(this.sum),
      parallelism: wallMs > 0 ? round1(this.sum / wallMs) : 0,
      errors: { ...this.errors },
    };
  }
}
