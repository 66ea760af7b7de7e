import { describe, expect, it } from 'vitest';
import { bodyHash, createChangeTracker, shapeKey } from '../../src/cache/changes.js';
import type { CachedPage, PageCache } from '../../src/cache/page-cache.js';

/** The store in memory: the tracker's logic without SQLite. */
function memoryCache(): PageCache & { rows: Map<string, CachedPage> } {
  const rows = new Map<string, CachedPage>();
  return { rows, get: (url) => rows.get(url) ?? null, put: (url, page) => void rows.set(url, page), close: () => {} };
}

const shape = { selectors: [{ name: 'h1', css: 'h1', attr: null, many: false }], links: false };
const page = (body: string, etag: string | null = '"v1"') => ({
  hash: bodyHash(Buffer.from(body)),
  contentType: 'text/html',
  etag,
  lastModified: 'Tue, 01 Dec 2026 00:00:00 GMT',
  extracted: { title: 'T', data: { h1: 'x' }, links: null },
});

describe('change tracker', () => {
  it('calls a new URL changed, the same body unchanged, a different body changed', () => {
    const t = createChangeTracker(memoryCache(), shape, () => 5);
    expect(t.remember('http://a.test/', page('one'))).toBe(true);
    expect(t.remember('http://a.test/', page('one'))).toBe(false);
    expect(t.remember('http://a.test/', page('two'))).toBe(true);
  });

  it('sends the stored validators, and none when there is nothing stored', () => {
    const t = createChangeTracker(memoryCache(), shape, () => 5);
    expect(t.conditionalHeaders('http://a.test/')).toBeUndefined();
    t.remember('http://a.test/', page('one'));
    expect(t.conditionalHeaders('http://a.test/')).toEqual({
      'if-none-match': '"v1"',
      'if-modified-since': 'Tue, 01 Dec 2026 00:00:00 GMT',
    });
  });

  it('sends no validators for a page extracted with other selectors, so a 304 never replays the wrong fields', () => {
    const cache = memoryCache();
    createChangeTracker(cache, shape, () => 5).remember('http://a.test/', page('one'));
    const other = createChangeTracker(cache, { ...shape, links: true }, () => 5);
    expect(shapeKey({ ...shape, links: true })).not.toBe(shapeKey(shape));
    expect(other.conditionalHeaders('http://a.test/')).toBeUndefined();
  });

  it('replays the stored fields after a 304', () => {
    const t = createChangeTracker(memoryCache(), shape, () => 5);
    t.remember('http://a.test/', page('one'));
    expect(t.replay('http://a.test/')).toEqual({ contentType: 'text/html', extracted: { title: 'T', data: { h1: 'x' }, links: null } });
    expect(t.replay('http://b.test/')).toBeNull();
  });
});
