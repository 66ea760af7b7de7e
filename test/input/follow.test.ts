/** Which found links a crawl follows: --scope relative to the seed, --include/--exclude, --depth. */
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/setup.js';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { crawlFrontier } from '../../src/input/crawl-frontier.js';
import { openFrontierLog } from '../../src/input/frontier-log.js';
import { followLinks, inScope, passesFilters, seedScope } from '../../src/input/follow.js';
import type { Scope } from '../../src/input/scopes.js';
import { toTarget, type UrlTarget } from '../../src/input/targets.js';
import { sourceOf } from '../../src/schedule/window.js';

const tmpRoot = useTmpDir();

const target = (url: string): UrlTarget => toTarget(url) as UrlTarget;

describe('seedScope', () => {
  it.each([
    ['https://www.example.co.uk/docs/intro.html', { host: 'www.example.co.uk', domain: 'example.co.uk', prefix: 'https://www.example.co.uk/docs/' }],
    ['https://example.com/docs/', { host: 'example.com', domain: 'example.com', prefix: 'https://example.com/docs/' }],
    ['https://example.com/docs', { host: 'example.com', domain: 'example.com', prefix: 'https://example.com/' }],
    ['http://127.0.0.1:8080/a/b?q=1', { host: '127.0.0.1:8080', domain: '127.0.0.1', prefix: 'http://127.0.0.1:8080/a/' }],
    // The Public Suffix List's private section: two GitHub Pages sites are two sites.
    ['https://alice.github.io/', { host: 'alice.github.io', domain: 'alice.github.io', prefix: 'https://alice.github.io/' }],
  ])('%s → %o', (url, scope) => {
    expect(seedScope(url)).toEqual(scope);
  });
});

describe('inScope', () => {
  const seed = seedScope('https://www.example.co.uk/docs/intro.html');
  const rows: [string, Record<Scope, boolean>][] = [
    ['https://www.example.co.uk/docs/a.html', { host: true, domain: true, prefix: true, any: true }],
    ['https://www.example.co.uk/about', { host: true, domain: true, prefix: false, any: true }],
    ['https://blog.example.co.uk/docs/a.html', { host: false, domain: true, prefix: false, any: true }],
    ['https://www.example.co.uk:8443/docs/a', { host: false, domain: true, prefix: false, any: true }],
    ['http://www.example.co.uk/docs/a', { host: true, domain: true, prefix: false, any: true }],
    ['https://other.co.uk/docs/a', { host: false, domain: false, prefix: false, any: true }],
  ];
  it.each(rows)('%s', (url, want) => {
    for (const scope of ['host', 'domain', 'prefix', 'any'] as const) expect([scope, inScope(target(url), scope, seed)]).toEqual([scope, want[scope]]);
  });
});

describe('passesFilters', () => {
  it('needs one --include to match when any is given, and --exclude wins', () => {
    const rules = { include: [/\/docs\//, /\/blog\//], exclude: [/\.pdf$/] };
    expect(passesFilters('https://x.test/docs/a', rules)).toBe(true);
    expect(passesFilters('https://x.test/blog/a', rules)).toBe(true);
    expect(passesFilters('https://x.test/about', rules)).toBe(false);
    expect(passesFilters('https://x.test/docs/a.pdf', rules)).toBe(false);
    expect(passesFilters('https://x.test/anything', { include: [], exclude: [] })).toBe(true);
  });
});

describe('followLinks', () => {
  const rules = { depth: 2, scope: 'host' as const, include: [], exclude: [] };

  it('queues in-scope links with depth, parent and the seed\'s scope, taken from where the seed landed', async () => {
    const f = crawlFrontier(sourceOf((async function* () {})()), { maxPages: null, log: openFrontierLog(join(mkdtempSync(join(tmpRoot(), 'follow-')), 'frontier'), true) });
    const seed = target('http://x.test/');
    // The seed redirected to https://www.x.test/: its links are held to that host.
    const n = followLinks(f, rules, seed, 'https://www.x.test/', ['https://www.x.test/a', 'http://x.test/b', 'https://www.x.test/a']);
    expect(n).toBe(1);
    const a = (await f.next()) as UrlTarget;
    expect(a.url).toBe('https://www.x.test/a');
    expect(a.found).toEqual({ depth: 1, parent: 'http://x.test/', source: 'link', seed: seedScope('https://www.x.test/') });
  });

  it('does not follow the links of a page at --depth', () => {
    const f = crawlFrontier(sourceOf((async function* () {})()), { maxPages: null, log: openFrontierLog(join(mkdtempSync(join(tmpRoot(), 'follow-')), 'frontier'), true) });
    const deep = { ...target('http://x.test/deep'), found: { depth: 2, parent: 'http://x.test/', source: 'link' as const, seed: seedScope('http://x.test/') } };
    expect(followLinks(f, rules, deep, deep.url, ['http://x.test/deeper'])).toBe(0);
  });
});
