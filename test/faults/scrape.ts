/** Runs the real CLI over a list of URLs for the fault tests, with retries off unless asked. */
import { beforeAll, expect } from 'vitest';
import { runCli, type Rec, type RunResult } from '../helpers/run.js';

export interface Scraped extends RunResult {
  /** The one record for `url`; fails the test if there is none. */
  rec(url: string): Rec;
}

export async function scrape(urls: readonly string[], args: readonly string[] = [], timeoutMs = 20_000): Promise<Scraped> {
  const r = await runCli(['--retries', '0', '--no-robots', ...args], { stdin: urls.join('\n'), timeoutMs });
  // No crash, whatever the fault: a bug exits 70 with a stack trace.
  expect(r.stderr, 'stack trace on stderr').not.toMatch(/^\s+at /m);
  const records = r.records;
  return Object.assign(r, {
    rec(url: string): Rec {
      const found = records.filter((x) => x.url === url);
      expect(found, `records for ${url}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(-2000)}`).toHaveLength(1);
      return found[0]!;
    },
  });
}

/** The record failed with this code, and nothing of a body was passed off as data. */
export function expectFailure(rec: Rec, code: string): void {
  expect(rec.ok, JSON.stringify(rec)).toBe(false);
  expect(rec.error?.code, JSON.stringify(rec)).toBe(code);
  expect(rec.title).toBeNull();
  expect(rec.bytes).toBe(0);
}

/**
 * One CLI run over many fault URLs for the enclosing describe block (process
 * start-up is most of a test's time), with one `it` per fault reading its record.
 */
export function useScrape(urls: () => readonly string[], args: readonly string[] = []): () => Scraped {
  let result: Scraped | undefined;
  beforeAll(async () => {
    result = await scrape(urls(), args);
  });
  return () => {
    if (!result) throw new Error('scrape did not run');
    return result;
  };
}
