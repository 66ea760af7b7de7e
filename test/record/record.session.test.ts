/** The shape and meaning of each record field, from one in-process run (no spawned CLI) over a mixed list. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Rec } from '../helpers/run.js';
import { SITE_DIR } from '../helpers/server.js';
import { inProcess, type SessionResult } from '../helpers/session.js';
import { byUrl, useServer } from '../helpers/setup.js';

const FIELDS = ['url', 'ok', 'status', 'finalUrl', 'contentType', 'httpVersion', 'bytes', 'title', 'data', 'timing', 'attempts', 'error'];

describe('record fields', () => {
  const server = useServer();
  let run: SessionResult;
  let rec: (path: string) => Rec;
  let before: number;
  let after: number;

  beforeAll(async () => {
    const s = server();
    const paths = ['/index.html', '/status/404', '/json', '/text', '/slow?ms=150', '/no-title.html', '/status/204', '/gzip', '/redirect/1'];
    before = Date.now();
    run = await inProcess({ options: { concurrency: '4', retries: '0' }, stdin: [...paths.map(s.url), '  not a url  '].join('\n') });
    after = Date.now();
    const records = byUrl(run.records);
    rec = (path) => {
      const r = path.startsWith('/') ? records.get(s.url(path)) : records.get(path);
      if (!r) throw new Error(`no record for ${path} in:\n${run.stdout}`);
      return r;
    };
  });

  it('writes one record per input line', () => {
    expect(run.records).toHaveLength(10);
  });

  it('has every field, in order, on every record (no links without --links)', () => {
    for (const r of run.records) expect(Object.keys(r)).toEqual(FIELDS);
  });

  it('describes a fetched HTML page: ok, 200, final URL, content type, title, no error', () => {
    expect(rec('/index.html')).toMatchObject({
      url: server().url('/index.html'),
      ok: true,
      status: 200,
      finalUrl: server().url('/index.html'),
      title: 'Harbor Street Gazette',
      data: {},
      attempts: 1,
      error: null,
    });
    expect(rec('/index.html').contentType).toMatch(/^text\/html/);
  });

  it('counts the body bytes', () => {
    expect(rec('/index.html').bytes).toBe(statSync(join(SITE_DIR, 'index.html')).size);
  });

  it('counts decoded bytes for a gzip-encoded body, not the bytes on the wire', () => {
    const plain = statSync(join(SITE_DIR, 'articles/first.html')).size;
    // The server gzips only when asked to; a client that does not ask gets the plain body.
    expect(rec('/gzip')).toMatchObject({ ok: true, bytes: plain, title: 'Morning market opens early' });
  });

  it('gives the URL after redirects as finalUrl and keeps the input URL as url', () => {
    expect(rec('/redirect/1')).toMatchObject({ url: server().url('/redirect/1'), finalUrl: server().url('/articles/first.html'), status: 200 });
  });

  it('marks a non-2xx final status as not ok with status and HTTP_STATUS', () => {
    expect(rec('/status/404')).toMatchObject({ ok: false, status: 404, finalUrl: server().url('/status/404') });
    expect(rec('/status/404').error?.code).toBe('HTTP_STATUS');
  });

  it('marks a 204 with an empty body as ok with 0 bytes and no title', () => {
    expect(rec('/status/204')).toMatchObject({ ok: true, status: 204, bytes: 0, title: null, error: null });
  });

  it('has a null title for a page without <title>', () => {
    expect(rec('/no-title.html')).toMatchObject({ ok: true, title: null });
  });

  it('reports the content type of a non-HTML body and gives it no title', () => {
    expect(rec('/json').contentType).toMatch(/^application\/json/);
    expect(rec('/json')).toMatchObject({ ok: true, title: null });
  });

  it('does not read a title out of a text/plain body', () => {
    expect(rec('/text').contentType).toMatch(/^text\/plain/);
    expect(rec('/text')).toMatchObject({ ok: true, title: null });
  });

  it('gives timing.startMs as epoch milliseconds within the run', () => {
    for (const r of run.records) {
      expect(r.timing.startMs).toBeGreaterThanOrEqual(before - 5);
      expect(r.timing.startMs).toBeLessThanOrEqual(after);
    }
  });

  it('measures time to first byte and total time of a slow response', () => {
    const { ttfbMs, totalMs } = rec('/slow?ms=150').timing;
    expect(ttfbMs).toBeGreaterThanOrEqual(140);
    expect(totalMs).toBeGreaterThanOrEqual(ttfbMs!);
    expect(totalMs).toBeLessThan(after - before + 5);
  });

  it('has a numeric time to first byte for every response that arrived, error statuses included', () => {
    for (const path of ['/index.html', '/status/404', '/json', '/status/204']) {
      const { ttfbMs, totalMs } = rec(path).timing;
      expect(typeof ttfbMs, path).toBe('number');
      expect(ttfbMs!, path).toBeGreaterThanOrEqual(0);
      expect(ttfbMs!, path).toBeLessThanOrEqual(totalMs);
    }
  });

  it('counts one attempt per request the server saw', () => {
    for (const path of ['/index.html', '/status/404', '/json', '/slow?ms=150']) {
      expect(rec(path).attempts, path).toBe(server().hits(path));
    }
  });

  it('describes an invalid line: raw trimmed line as url, nulls, 0 bytes, 0 attempts, INVALID_URL', () => {
    const r = rec('not a url');
    expect(r).toMatchObject({ ok: false, status: null, finalUrl: null, contentType: null, bytes: 0, title: null, data: {}, attempts: 0 });
    expect(r.error?.code).toBe('INVALID_URL');
    expect(r.error?.message).toEqual(expect.any(String));
  });
});
