/** robots.txt: one fetch per origin, one verdict per URL, and the verdict's parts. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/fetch/agent.js';
import { toTarget, type UrlTarget } from '../../src/input/targets.js';
import type { Enter } from '../../src/schedule/host-gate.js';
import { createRobots, MAX_CRAWL_DELAY_MS, ROBOTS_MAX_BYTES, type RobotsOptions } from '../../src/schedule/robots.js';
import { listenOnLoopback, refusedPort } from '../helpers/server.js';

interface Served {
  origin: string;
  /** Paths requested, in order. */
  paths: string[];
}

const servers: Server[] = [];
const agents: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

/** A server answering every request with `handle` (hit counts from 1), recording the paths. */
async function scriptedServer(handle: Handler): Promise<Served> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url!);
    handle(req, res, paths.length);
  });
  servers.push(server);
  const { origin } = await listenOnLoopback(server);
  return { origin, paths };
}

/** A server whose /robots.txt answers `status` with `body` (after `delayMs`). */
function robotsServer(status: number, body: string, delayMs = 0): Promise<Served> {
  return scriptedServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    }, delayMs);
  });
}

/** The waits the robots.txt fetch asked for between its attempts (they end at once). */
const waits: number[] = [];
afterEach(() => void waits.splice(0));

function robotsFor(over: Partial<RobotsOptions> = {}) {
  const timeoutMs = over.timeoutMs ?? 5000;
  const dispatcher = over.dispatcher ?? createAgent({ connectionsPerOrigin: 4, timeoutMs });
  agents.push(dispatcher);
  return createRobots({
    dispatcher,
    headers: { 'user-agent': 'scrape/test' },
    timeoutMs,
    agent: 'scrape',
    retry: { retries: 0, retryMaxWaitMs: 30_000 },
    monotonic: () => performance.now(),
    now: Date.now,
    sleep: async (ms) => {
      waits.push(ms);
      return true;
    },
    random: () => 0.5,
    stop: new AbortController().signal,
    ...over,
  });
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
const allowedAt = async (robots: ReturnType<typeof robotsFor>, origin: string, path: string): Promise<boolean> =>
  (await robots.verdict(url(origin, path), countingEnter())).allowed;

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

  it('gives Crawl-delay of the agent\'s group with the verdict, capped at a minute', async () => {
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
    const robots = robotsFor({ timeoutMs: 300 });
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

describe('robots.txt: the product token', () => {
  it('obeys the group of the configured token, matched case-insensitively, rather than "*"', async () => {
    const s = await robotsServer(200, 'User-agent: *\nDisallow: /\n\nUser-agent: acmebot\nDisallow: /private/\n');
    const robots = robotsFor({ agent: 'AcmeBot' });
    expect(await allowedAt(robots, s.origin, '/page')).toBe(true);
    expect(await allowedAt(robots, s.origin, '/private/x')).toBe(false);
    // The same file for another token: the "*" group.
    expect(await allowedAt(robotsFor({ agent: 'OtherBot' }), s.origin, '/page')).toBe(false);
  });

  it('allows everything when the token\'s group has no rules, instead of falling back to "*"', async () => {
    const s = await robotsServer(200, 'User-agent: *\nDisallow: /\n\nUser-agent: AcmeBot\n');
    expect(await allowedAt(robotsFor({ agent: 'AcmeBot' }), s.origin, '/page')).toBe(true);
  });
});

describe('robots.txt: how each answer is read', () => {
  const unreachable = (message: string) => ({ allowed: false, error: { code: 'ROBOTS_DISALLOWED', message } });

  it('retries a 5xx as --retries says, waiting between attempts, and obeys the file it then gets', async () => {
    const s = await scriptedServer((_req, res, hit) => {
      res.writeHead(hit < 3 ? 503 : 200);
      res.end('User-agent: *\nDisallow: /no/\n');
    });
    const robots = robotsFor({ retry: { retries: 2, retryMaxWaitMs: 30_000 } });
    const enter = countingEnter();
    expect((await robots.verdict(url(s.origin, '/no/x'), enter)).allowed).toBe(false);
    expect(await allowedAt(robots, s.origin, '/yes')).toBe(true);
    expect(s.paths).toEqual(['/robots.txt', '/robots.txt', '/robots.txt']);
    // Each attempt takes its own global slot; the back-off waits hold none.
    expect(enter.calls).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('disallows everything once the retries are spent on a 5xx', async () => {
    const s = await robotsServer(500, 'down');
    const robots = robotsFor({ retry: { retries: 1, retryMaxWaitMs: 30_000 } });
    expect(await robots.verdict(url(s.origin, '/a'), countingEnter())).toEqual(unreachable('robots.txt answered 500; treated as disallow-all'));
    expect(s.paths).toHaveLength(2);
  });

  it('reads 429 as unreachable (disallow all), the other 4xx as unavailable (allow all)', async () => {
    const throttled = await robotsServer(429, 'slow down');
    const gone = await robotsServer(410, 'gone');
    const robots = robotsFor();
    expect(await robots.verdict(url(throttled.origin, '/a'), countingEnter())).toEqual(unreachable('robots.txt answered 429; treated as disallow-all'));
    expect(await allowedAt(robots, gone.origin, '/a')).toBe(true);
  });

  it('disallows everything when the host cannot be reached (connection refused), after its retries, keeping the code', async () => {
    const origin = `http://127.0.0.1:${await refusedPort()}`;
    const robots = robotsFor({ retry: { retries: 1, retryMaxWaitMs: 30_000 } });
    const v = await robots.verdict(url(origin, '/a'), countingEnter());
    expect(v).toMatchObject({ allowed: false, error: { code: 'CONNECTION' } });
    expect(v.allowed ? '' : v.error.message).toMatch(/^robots\.txt: .*ECONNREFUSED.*; treated as disallow-all$/);
    expect(waits).toHaveLength(1);
    // A redirect hop into that host is refused by policy: ROBOTS_DISALLOWED, which is not retried.
    expect(await robots.refusal(url(origin, '/b'))).toEqual({ code: 'ROBOTS_DISALLOWED', message: `redirect to ${origin}: ${v.allowed ? '' : v.error.message}` });
  });

  it('disallows everything when robots.txt answers malformed HTTP, saying so', async () => {
    const s = await scriptedServer((req) => req.socket.end('HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n'));
    const v = await robotsFor().verdict(url(s.origin, '/a'), countingEnter());
    expect(v).toMatchObject({ allowed: false, error: { code: 'ROBOTS_DISALLOWED' } });
    expect(v.allowed ? '' : v.error.message).toMatch(/^robots\.txt unreachable \(PROTOCOL: .*\); treated as disallow-all$/);
  });

  it('keeps the code of a failure that makes the host unusable (DNS) in its disallow-all verdict', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('http://nowhere.example')
      .intercept({ path: '/robots.txt' })
      .replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' }));
    const robots = robotsFor({ dispatcher: mock });
    const v = await robots.verdict(url('http://nowhere.example', '/a'), countingEnter());
    expect(v).toMatchObject({ allowed: false, error: { code: 'DNS' } });
    expect(v.allowed ? '' : v.error.message).toContain('treated as disallow-all');
  });

  it('follows five redirects to the file and obeys it for the first origin; more than five is "unavailable" (allow all)', async () => {
    const chain = (hops: number) =>
      scriptedServer((req, res) => {
        const n = req.url === '/robots.txt' ? 0 : Number(req.url!.slice(2));
        if (n < hops) {
          res.writeHead(301, { location: `/r${n + 1}` });
          return void res.end();
        }
        res.writeHead(200);
        res.end('User-agent: *\nDisallow: /no/\n');
      });
    const five = await chain(5);
    const six = await chain(6);
    const robots = robotsFor();
    expect(await allowedAt(robots, five.origin, '/no/x')).toBe(false);
    expect(five.paths).toEqual(['/robots.txt', '/r1', '/r2', '/r3', '/r4', '/r5']);
    expect(await allowedAt(robots, six.origin, '/no/x')).toBe(true);
  });
});

describe('robots.txt: size', () => {
  /** `fill` bytes of comment lines, then `rule`, then padding: a file bigger than the cap. */
  const bigRobots = (fill: number, rule: string): string => {
    const comments = '# padding padding padding padding padding padding padding padding\n';
    const head = `User-agent: *\n${comments.repeat(Math.ceil(fill / comments.length))}`;
    return `${head}${rule}\n${comments.repeat(Math.ceil((ROBOTS_MAX_BYTES + 100 * 1024 - head.length) / comments.length))}`;
  };

  it('parses what fits in the cap (at least 500 KiB) of a bigger file instead of failing open', async () => {
    const body = bigRobots(499 * 1024, 'Disallow: /late/');
    expect(body.length).toBeGreaterThan(ROBOTS_MAX_BYTES + 90 * 1024);
    const declared = await robotsServer(200, body);
    const chunked = await scriptedServer((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.slice(i, i + 64 * 1024));
      res.end();
    });
    const robots = robotsFor();
    expect(await allowedAt(robots, declared.origin, '/late/x')).toBe(false);
    expect(await allowedAt(robots, chunked.origin, '/late/x')).toBe(false);
    expect(await allowedAt(robots, declared.origin, '/other')).toBe(true);
  });

  it('ignores rules past the cap', async () => {
    const s = await robotsServer(200, bigRobots(ROBOTS_MAX_BYTES + 10 * 1024, 'Disallow: /late/'));
    expect(await allowedAt(robotsFor(), s.origin, '/late/x')).toBe(true);
  });
});
