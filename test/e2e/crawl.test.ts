/** Issue 15: `--follow` through the real binary, against the fixture site on 127.0.0.1: streams, stdout data only, exit status. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { useServer } from '../helpers/setup.js';

describe('scrape --follow', () => {
  const server = useServer({ each: true });

  it('crawls the fixture site one hop from its home page: the home page at depth 0, its same-host links at depth 1, each once', async () => {
    const s = server();
    const r = await runCli(['--follow', '--depth', '1', '-'], { stdin: `${s.url('/index.html')}\n`, timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(0);
    const home = r.records.find((x) => x.depth === 0)!;
    expect(home).toMatchObject({ url: s.url('/index.html'), parent: null, source: 'input' });
    const found = r.records.filter((x) => x.depth === 1);
    // The home page's same-host links (off-host, mailto: and fragments are not followed), each fetched once.
    expect(found.map((x) => new URL(x.url).pathname).sort()).toEqual(
      expect.arrayContaining(['/articles/first.html', '/articles/second.html', '/articles/third.html', '/shop/products.html']),
    );
    for (const x of found) expect(x).toMatchObject({ parent: home.url, source: 'link' });
    for (const x of r.records) expect(s.hits(new URL(x.url).pathname)).toBeLessThanOrEqual(1);
    expect(r.records.every((x) => new URL(x.url).host === new URL(home.url).host)).toBe(true);
  });

  it('an invalid --include is exit 2 before any request', async () => {
    const s = server();
    const r = await runCli(['--follow', '--include', '(', '-'], { stdin: `${s.url('/index.html')}\n`, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(s.requests.length).toBe(0);
  });
});
