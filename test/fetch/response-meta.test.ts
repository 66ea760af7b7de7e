/** --headers and --chain (issue 13): what the responses looked like, on request only. */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHeaders } from '../../src/fetch/response-headers.js';
import { listenOnLoopback, refusedPort } from '../helpers/server.js';
import { inProcess } from '../helpers/session.js';

const server = createServer((req, res) => {
  switch (req.url) {
    case '/r1':
      return void res.writeHead(301, { location: '/r2' }).end();
    case '/r2':
      return void res.writeHead(302, { location: '/final' }).end();
    case '/loop':
      return void res.writeHead(307, { location: '/loop' }).end();
    case '/gone':
      return void res.writeHead(410, { 'content-type': 'text/plain', 'X-Reason': 'retired' }).end('gone');
    default:
      res.setHeader('Content-Type', 'text/html');
      res.setHeader('X-Multi', ['one', 'two']);
      res.setHeader('Set-Cookie', ['sid=T0PSECRET; Path=/; HttpOnly', 'pref=dark']);
      return void res.end('<title>final</title>');
  }
});
let origin = '';
beforeAll(async () => {
  origin = (await listenOnLoopback(server)).origin;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const base = { robots: false, retries: '0' } as const;

describe('--chain', () => {
  it('lists each redirect response, in order; the final response is not one', async () => {
    const r = await inProcess({ stdin: `${origin}/r1\n${origin}/final`, options: { ...base, chain: true } });
    const byUrl = Object.fromEntries(r.records.map((rec) => [rec.url, rec.redirects]));
    expect(byUrl[`${origin}/r1`]).toEqual([
      { url: `${origin}/r1`, status: 301 },
      { url: `${origin}/r2`, status: 302 },
    ]);
    expect(byUrl[`${origin}/final`]).toEqual([]);
  });

  it('on TOO_MANY_REDIRECTS holds every hop that answered; on a failure with no response, none', async () => {
    const dead = `http://127.0.0.1:${await refusedPort()}/`;
    const r = await inProcess({ stdin: `${origin}/loop\n${dead}`, options: { ...base, chain: true, maxRedirects: '2' } });
    const loop = r.records.find((rec) => rec.url.endsWith('/loop'))!;
    expect(loop).toMatchObject({ error: { code: 'TOO_MANY_REDIRECTS' } });
    expect(loop.redirects).toHaveLength(3);
    expect(r.records.find((rec) => rec.url === dead)!.redirects).toEqual([]);
  });
});

describe('--headers', () => {
  it("adds the final response's headers: lower-case names, repeats as arrays, Set-Cookie values redacted", async () => {
    const r = await inProcess({ stdin: `${origin}/r1`, options: { ...base, headers: true, logLevel: 'trace' } });
    const { headers } = r.records[0]!;
    expect(headers).toMatchObject({
      'content-type': 'text/html',
      'x-multi': ['one', 'two'],
      'set-cookie': ['sid=***; Path=/; HttpOnly', 'pref=***'],
    });
    expect(r.stdout + r.stderr).not.toContain('T0PSECRET');
  });

  it("gives an error status's headers, and {} when no response arrived", async () => {
    const dead = `http://127.0.0.1:${await refusedPort()}/`;
    const r = await inProcess({ stdin: `${origin}/gone\n${dead}`, options: { ...base, headers: true } });
    expect(r.records.find((rec) => rec.status === 410)!.headers).toMatchObject({ 'x-reason': 'retired' });
    expect(r.records.find((rec) => rec.url === dead)!.headers).toEqual({});
  });

  it('neither field is there unless asked for', async () => {
    const r = await inProcess({ stdin: `${origin}/r1`, options: base });
    expect(Object.keys(r.records[0]!)).not.toContain('headers');
    expect(Object.keys(r.records[0]!)).not.toContain('redirects');
  });

  it.each([
    ['sid=abc', 'sid=***'],
    ['sid=abc; Secure', 'sid=***; Secure'],
    ['=nameless; Path=/', '=***; Path=/'],
    ['junk', '=***'],
  ])('redacts Set-Cookie %j as %j', (value, shown) => {
    expect(recordHeaders({ 'set-cookie': value })).toEqual({ 'set-cookie': shown });
  });
});
