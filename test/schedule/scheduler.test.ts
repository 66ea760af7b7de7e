/** The scheduler end to end over undici's MockAgent: a frontier in, one outcome per target out. */
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { listFrontier } from '../../src/input/list-frontier.js';
import { toTarget, type Target } from '../../src/input/targets.js';
import type { TargetOutcome } from '../../src/schedule/fetch-target.js';
import type { Frontier } from '../../src/schedule/frontier.js';
import { createScheduler, type SchedulerHooks } from '../../src/schedule/scheduler.js';
import { systemClock } from '../../src/platform/clock.js';

const A = 'http://127.0.0.1:9101';
const B = 'http://127.0.0.1:9102';

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

/** A MockAgent serving every path of these origins (robots.txt: `robots`), recording each request. */
function mockSites(origins: readonly string[], robots: string) {
  const agent = new MockAgent();
  agents.push(agent);
  agent.disableNetConnect();
  const hits: string[] = [];
  for (const origin of origins) {
    agent
      .get(origin)
      .intercept({ path: () => true })
      .reply(({ path }) => {
        hits.push(`${origin}${path}`);
        if (path === '/robots.txt') return { statusCode: 200, data: robots };
        return { statusCode: 200, data: `<title>${path}</title>`, responseOptions: { headers: { 'content-type': 'text/html' } } };
      })
      .persist();
  }
  return { agent, hits };
}

function schedulerFor(agent: MockAgent, over: Partial<{ robots: boolean; perHost: number }> = {}) {
  const settings = {
    concurrency: 4,
    perHost: over.perHost ?? 2,
    rate: null,
    robots: over.robots ?? true,
    robotsAgent: 'scrape',
    maxBytes: 1 << 20,
    maxRedirects: 5,
    headers: {},
    timeoutMs: 5000,
    retries: 0,
    retryMaxWaitMs: 30_000,
    hostErrors: 0,
  };
  const never = new AbortController().signal;
  return createScheduler(settings, { dispatcher: agent, clock: systemClock, stopDispatch: never, abortInflight: never });
}

async function* list(lines: readonly string[]): AsyncGenerator<Target> {
  for (const line of lines) yield toTarget(line);
}

/** Hooks that record what they hear, in order. */
function recorder(over: Partial<SchedulerHooks> = {}) {
  const heard: [string, TargetOutcome['kind'] | 'invalid'][] = [];
  const hooks: SchedulerHooks = {
    room: async () => {},
    invalid: async (t) => void heard.push([t.raw, 'invalid']),
    settled: async (t, outcome) => void heard.push([t.url, outcome.kind]),
    ...over,
  };
  return { heard, hooks };
}

describe('scheduler', () => {
  it('settles every target from the frontier once, sends lines that are not URLs to `invalid`, and tells the frontier each is done', async () => {
    const { agent, hits } = mockSites([A, B], 'User-agent: *\nDisallow: /private/\n');
    const done: string[] = [];
    const base = listFrontier(list([`${A}/1`, 'not a url', `${B}/1`, `${A}/private/x`, `${A}/2`]));
    const frontier: Frontier = { ...base, done: (t) => void done.push(t.kind === 'url' ? t.url : t.raw) };
    const { heard, hooks } = recorder();
    await schedulerFor(agent).run(frontier, hooks);
    expect(heard.sort()).toEqual([
      [`${A}/1`, 'fetched'],
      [`${A}/2`, 'fetched'],
      [`${A}/private/x`, 'failed'],
      [`${B}/1`, 'fetched'],
      ['not a url', 'invalid'],
    ]);
    expect(done.sort()).toEqual([`${A}/1`, `${A}/2`, `${A}/private/x`, `${B}/1`, 'not a url']);
    // robots.txt once per origin, first; the disallowed URL never requested.
    expect(hits.filter((h) => h.endsWith('/robots.txt')).sort()).toEqual([`${A}/robots.txt`, `${B}/robots.txt`]);
    expect(hits.indexOf(`${A}/robots.txt`)).toBeLessThan(hits.indexOf(`${A}/1`));
    expect(hits).not.toContain(`${A}/private/x`);
  });

  it('with robots off, requests only the pages', async () => {
    const { agent, hits } = mockSites([A], '');
    const { heard, hooks } = recorder();
    await schedulerFor(agent, { robots: false }).run(listFrontier(list([`${A}/1`, `${A}/2`])), hooks);
    expect(heard.map(([, kind]) => kind)).toEqual(['fetched', 'fetched']);
    expect(hits.sort()).toEqual([`${A}/1`, `${A}/2`]);
  });

  it("gives the host's admission back before `settled` runs: a slow parse does not hold the host's next URL", async () => {
    const { agent, hits } = mockSites([A], '');
    let firstSettled = true;
    const { heard, hooks } = recorder({
      settled: async (t, outcome) => {
        if (firstSettled) {
          firstSettled = false;
          // --per-host 1: the next URL of this host can only be requested once this one's admission is back.
          const deadline = Date.now() + 2000;
          while (!hits.includes(`${A}/2`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        }
        heard.push([t.url, outcome.kind]);
      },
    });
    await schedulerFor(agent, { robots: false, perHost: 1 }).run(listFrontier(list([`${A}/1`, `${A}/2`])), hooks);
    expect(hits).toEqual([`${A}/1`, `${A}/2`]);
    expect(heard).toEqual([
      [`${A}/2`, 'fetched'],
      [`${A}/1`, 'fetched'],
    ]);
  });

  it('sends the headers a target adds to its own requests only', async () => {
    const agent = new MockAgent();
    agents.push(agent);
    agent.disableNetConnect();
    const seen: Record<string, string | undefined> = {};
    agent
      .get(A)
      .intercept({ path: () => true })
      .reply(({ path, headers }) => {
        seen[path] = (headers as Record<string, string>)['if-none-match'];
        return { statusCode: 200, data: 'x', responseOptions: { headers: { 'content-type': 'text/html' } } };
      })
      .persist();
    const { hooks } = recorder({ headersFor: (t) => (t.path === '/cached' ? { 'if-none-match': '"v1"' } : undefined) });
    await schedulerFor(agent, { robots: false }).run(listFrontier(list([`${A}/cached`, `${A}/fresh`])), hooks);
    expect(seen).toEqual({ '/cached': '"v1"', '/fresh': undefined });
  });
});
