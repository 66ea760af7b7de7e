import { describe, expect, it } from 'vitest';
import { buildRecord, emptyData, invalidRecord, type RequestFacts } from '../../src/record/build.js';
import type { SelectorSpec } from '../../src/record/extraction.js';
import { CRAWL_FIELDS, RECORD_FIELDS } from '../../src/record/record.js';

const selectors: SelectorSpec[] = [
  { name: 'h1', css: 'h1', attr: null, many: false },
  { name: 'images', css: 'img', attr: 'src', many: true },
];
const facts: RequestFacts = {
  status: 200,
  finalUrl: 'http://a.test/x',
  contentType: 'text/html',
  bytes: 12,
  timing: { startMs: 1, ttfbMs: 2, totalMs: 3, waitMs: 0 },
  attempts: 1,
};

describe('buildRecord', () => {
  it('puts every field in RECORD_FIELDS order, links, redirects and headers only when asked', () => {
    const optional = ['links', 'redirects', 'headers'];
    const rec = buildRecord('http://a.test/x', facts, null, null, { selectors, links: false });
    expect(Object.keys(rec)).toEqual(RECORD_FIELDS.filter((f) => !optional.includes(f)));
    const withLinks = buildRecord('http://a.test/x', facts, null, null, { selectors, links: true });
    expect(Object.keys(withLinks)).toEqual(RECORD_FIELDS.filter((f) => f !== 'redirects' && f !== 'headers'));
    expect(withLinks.links).toEqual([]);
    const all = buildRecord('http://a.test/x', facts, null, null, { selectors, links: true, chain: true, responseHeaders: true });
    expect(Object.keys(all)).toEqual([...RECORD_FIELDS]);
    expect(all).toMatchObject({ httpVersion: null, redirects: [], headers: {} });
  });

  it('with --follow, adds depth, parent and source after links and changed, before timing (seeds: 0, null, input)', () => {
    const seed = buildRecord('http://a.test/x', facts, null, null, { selectors, links: true, cacheDir: '/c', follow: true });
    const keys = Object.keys(seed);
    expect(keys.slice(keys.indexOf('links'), keys.indexOf('timing') + 1)).toEqual(['links', 'changed', ...CRAWL_FIELDS, 'timing']);
    expect(seed).toMatchObject({ depth: 0, parent: null, source: 'input' });
    const found = { depth: 2, parent: 'http://a.test/', source: 'link' as const };
    expect(buildRecord('http://a.test/y', facts, null, null, { selectors, links: false, follow: true }, null, found)).toMatchObject(found);
  });

  it('keeps every selector key when nothing was extracted: null for one, [] for many', () => {
    expect(emptyData(selectors)).toEqual({ h1: null, images: [] });
    expect(buildRecord('u', facts, null, null, { selectors, links: false }).data).toEqual({ h1: null, images: [] });
  });

  it('is ok exactly when there is no error, and carries `changed` only with a cache (null for a failure)', () => {
    const error = { code: 'HTTP_STATUS' as const, message: 'HTTP 500' };
    const failed = buildRecord('u', facts, null, error, { selectors, links: false, cacheDir: '/c' }, true);
    expect(failed.ok).toBe(false);
    expect(failed.changed).toBeNull();
    const fine = buildRecord('u', facts, { title: 'T', data: { h1: 'x', images: [] }, links: null }, null, { selectors, links: false, cacheDir: '/c' }, false);
    expect(fine).toMatchObject({ ok: true, title: 'T', changed: false });
    expect('changed' in buildRecord('u', facts, null, null, { selectors, links: false })).toBe(false);
  });
});

describe('invalidRecord', () => {
  it('is an INVALID_URL record for the raw line, with no request made', () => {
    const rec = invalidRecord('not a url', 1000, { selectors, links: false });
    expect(rec).toMatchObject({ url: 'not a url', ok: false, status: null, attempts: 0, bytes: 0 });
    expect(rec.error?.code).toBe('INVALID_URL');
    expect(rec.timing).toEqual({ startMs: 1000, ttfbMs: null, totalMs: 0, waitMs: 0 });
  });
});
