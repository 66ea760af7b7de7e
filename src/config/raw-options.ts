/** What commander hands us: strings and booleans, unchecked. */
export interface RawOptions {
  concurrency?: string;
  perHost?: string;
  timeout?: string;
  retries?: string;
  maxBytes?: string;
  maxRedirects?: string;
  header?: string[];
  userAgent?: string;
  links?: boolean;
  output?: string;
  format?: string;
  robots?: boolean;
  compare?: boolean;
  quiet?: boolean;
  logLevel?: string;
  select?: string[];
  workers?: string;
  rate?: string;
  cacheDir?: string;
  changedOnly?: boolean;
  resume?: boolean;
  summaryFile?: string;
  shard?: string;
  retryMaxWait?: string;
  denyPrivate?: boolean;
  /** --config FILE: more RawOptions, read from JSON; flags win. */
  config?: string;
}
