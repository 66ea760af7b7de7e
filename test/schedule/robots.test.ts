/** robots.txt: one fetch per origin, one verdict per URL, and the verdict's parts. */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/fetch/agent.js';
import { toTarget, type UrlTarget } from '../../src/input/targets.js';
import type { Enter } from '../../src/schedule/host-gate.js';
import { createRobots, MAX_CRAWL_DELAY_MS } from '../../src/schedule/robots.js';
import { listenOnLoopback } from '../helpers/server.js';

interface Served {
  origin: string;
  /** Paths requested, in order. */
  paths: string[];
}

const servers: Server[] = [];
const agents: ReturnType<typeof createAgent>[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.destroy()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A server whose /robots.txt answers `status` with `body` (after `delayMs`). */
async function robotsServer(status: number, body: string, delayMs = 0): Promise<Served> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url!);
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    }, delayMs);
  });
  servers.push(server);
  const { origin } = await listenOnLoopback(server);
  return { origin, paths };
}

function robotsFor(timeoutMs = 5000) {
  const agent = createAgent({ connectionsPerOrigin: 4, timeoutMs });
  agents.push(agent);
  return createRobots({ dispatcher: agent, headers: { 'user-agent': 'scrape/test' }, timeoutMs, monotonic: () => performance.now(), now: Date.now });
}

/** An `enter` that counts the calls that go through it (the robots.txt fetches). */
function countingEnter(): Enter & { calls: number } {
  const enter = (async (fn) => {
    enter.calls++;
    return fn();
  }) as Enter & { calls: number };
  enter.calls = 0;
  return enter;
}

const url = (origin: string, path: string): UrlTarget => toTarget(`${origin}${path}`) as UrlTarget;

describe('robots.txt', () => {
  it('fetches robots.txt once per origin, through one global slot, for many URLs asked at once', async () => {
    const s = await robotsServer(200, 'User-agent: *\nDisallow: /private/\n', 50);
    const robots = robotsFor();
    const enter = countingEnter();
    const verdicts = await Promise.all(['/a', '/b', '/private/x', '/c'].map((p) => robots.verdict(url(s.origin, p), enter)));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false, true]);
    expect(s.paths).toEqual(['/robots.txt']);
    expect(enter.calls).toBe(1);
    // Later URLs of the origin are answered from the cache.
    await robots.verdict(url(s.origin, '/d'), enter);
    expect(s.paths).toHaveLength(1);
    expect(enter.calls).toBe(1);
  });

  it('gives Crawl-delay for the "scrape" token with the verdict, capped at a minute', async () => {
    const s = await robotsServer(200, 'User-agent: other\nCrawl-delay: 30\n\nUser-agent: scrape\nCrawl-delay: 0.4\nDisallow: /no/\n');
    const robots = robotsFor();
    expect(await robots.verdict(url(s.origin, '/yes'), countingEnter())).toEqual({ allowed: true, crawlDelayMs: 400 });
    expect(await robots.verdict(url(s.origin, '/no/x'), countingEnter())).toEqual({
      allowed: false,
      error: { code: 'ROBOTS_DISALLOWED', message: 'disallowed by robots.txt' },
    });
    const slow = await robotsServer(200, 'User-agent: *\nCrawl-delay: 3600\n');
    expect(await robots.verdict(url(slow.origin, '/'), countingEnter())).toEqual({ allowed: true, crawlDelayMs: MAX_CRAWL_DELAY_MS });
  });

  it('allows everything on a 4xx, and disallows everything on a 5xx or a timeout, saying why', async () => {
    const robots = robotsFor(300);
    const missing = await robotsServer(404, 'no');
    const busy = await robotsServer(503, 'busy');
    const hung = await robotsServer(200, '', 3000);
    expect(await robots.verdict(url(missing.origin, '/a'), countingEnter())).toEqual({ allowed: true, crawlDelayMs: 0 });
    expect(await robots.verdict(url(busy.origin, '/a'), countingEnter())).toEqual({
      allowed: false,
      error: { code: 'ROBOTS_DISALLOWED', message: 'robots.txt answered 503; treated as disallow-all' },
    });
    expect(await robots.verdict(url(hung.origin, '/a'), countingEnter())).toEqual({
      allowed: false,
      error: { code: 'ROBOTS_DISALLOWED', message: 'robots.txt timed out; treated as disallow-all' },
    });
  });

  it('answers a redirect hop from the same cache, without a global slot of its own', async () => {
    const s = await robotsServer(200, 'User-agent: *\nDisallow: /private/\n');
    const robots = robotsFor();
    expect(await robots.refusal(url(s.origin, '/private/x'))).toEqual({ code: 'ROBOTS_DISALLOWED', message: 'disallowed by robots.txt' });
    expect(await robots.refusal(url(s.origin, '/public'))).toBeNull();
    const enter = countingEnter();
    await robots.verdict(url(s.origin, '/a'), enter);
    expect(enter.calls).toBe(0);
    expect(s.paths).toEqual(['/robots.txt']);
  });
});
