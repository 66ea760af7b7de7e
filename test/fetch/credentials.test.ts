/**
 * Credentials in URLs (issue 13): `user:password@` becomes Authorization:
 * Basic (percent-decoded), never the request line, and the password is
 * `***` everywhere scrape writes: records, logs, --resume files, --cache-dir.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/setup.js';
import { listenOnLoopback } from '../helpers/server.js';
import { inProcess } from '../helpers/session.js';

const tmpRoot = useTmpDir();

interface Seen {
  url: string;
  authorization: string | undefined;
  server: 'a' | 'b';
}
const seen: Seen[] = [];
let a = '';
let b = '';

function site(name: 'a' | 'b'): Server {
  return createServer((req, res) => {
    const headers: IncomingHttpHeaders = req.headers;
    seen.push({ url: req.url ?? '', authorization: headers.authorization, server: name });
    const path = req.url ?? '/';
    if (path === '/same') return void res.writeHead(302, { location: '/page' }).end();
    if (path === '/away') return void res.writeHead(302, { location: `${b}/page` }).end();
    if (path === '/away-with-own') return void res.writeHead(302, { location: `${b.replace('http://', 'http://bob:b0bpw@')}/page` }).end();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<title>${name}${path}</title>`);
  });
}
const servers = [site('a'), site('b')];

beforeAll(async () => {
  a = (await listenOnLoopback(servers[0]!)).origin;
  b = (await listenOnLoopback(servers[1]!)).origin;
});
beforeEach(() => {
  seen.length = 0;
});
afterAll(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

const basic = (userPass: string): string => `Basic ${Buffer.from(userPass).toString('base64')}`;
const withCreds = (origin: string, creds: string, path: string): string => `${origin.replace('http://', `http://${creds}@`)}${path}`;
const base = { robots: false, retries: '0' } as const;

describe('user:password@ in a URL', () => {
  it('is sent as Authorization: Basic, percent-decoded, with no userinfo on the request line; the record shows user:***@', async () => {
    const r = await inProcess({ stdin: withCreds(a, 'al%20ice:p%40ss', '/page?q=1'), options: { ...base, logLevel: 'trace' } });
    expect(seen).toEqual([{ url: '/page?q=1', authorization: basic('al ice:p@ss'), server: 'a' }]);
    const masked = withCreds(a, 'al%20ice:***', '/page?q=1');
    expect(r.records[0]).toMatchObject({ ok: true, url: masked, finalUrl: masked });
    expect(r.stdout + r.stderr).not.toMatch(/p%40ss|p@ss/);
    expect(r.stderr).toContain(masked);
  });

  it('keeps it on a same-origin redirect and drops it when the redirect leaves the origin', async () => {
    const r = await inProcess({ stdin: `${withCreds(a, 'u:pw1', '/same')}\n${withCreds(a, 'u:pw1', '/away')}`, options: base });
    const auth = basic('u:pw1');
    expect(seen.filter((s) => s.url === '/page')).toEqual(
      expect.arrayContaining([
        { url: '/page', authorization: auth, server: 'a' },
        { url: '/page', authorization: undefined, server: 'b' },
      ]),
    );
    const finals = r.records.map((rec) => rec.finalUrl).sort();
    expect(finals).toEqual([`${b}/page`, withCreds(a, 'u:***', '/page')].sort());
  });

  it('a Location with credentials of its own sends those, masked in finalUrl', async () => {
    const r = await inProcess({ stdin: `${a}/away-with-own`, options: base });
    expect(seen.at(-1)).toEqual({ url: '/page', authorization: basic('bob:b0bpw'), server: 'b' });
    expect(r.records[0]!.finalUrl).toBe(withCreds(b, 'bob:***', '/page'));
    expect(r.stdout).not.toContain('b0bpw');
  });

  it('two lines that differ only in the password are two URLs, each with its own', async () => {
    const r = await inProcess({ stdin: [withCreds(a, 'u:one', '/page'), withCreds(a, 'u:two', '/page'), withCreds(a, 'u:one', '/page')].join('\n'), options: base });
    expect(r.records).toHaveLength(2);
    expect(seen.map((s) => s.authorization).sort()).toEqual([basic('u:one'), basic('u:two')].sort());
  });

  it('is not in the --resume file nor in the --cache-dir store', async () => {
    const dir = mkdtempSync(join(tmpRoot(), 'creds-'));
    const out = join(dir, 'out.jsonl');
    const cache = join(dir, 'cache');
    const url = withCreds(a, 'u:hunter2pw', '/page');
    await inProcess({ stdin: url, options: { ...base, output: out, resume: true, cacheDir: cache } });
    await inProcess({ stdin: url, options: { ...base, output: out, resume: true, cacheDir: cache } });
    // The masked URL is what --resume matches: the second run skips it.
    expect(seen).toHaveLength(1);
    for (const file of [out, ...readdirSync(cache).map((f) => join(cache, f))]) expect(readFileSync(file).includes('hunter2pw')).toBe(false);
    expect(readFileSync(out, 'utf8')).toContain('u:***@');
  });

  it('an invalid line keeps its password out of its INVALID_URL record too', async () => {
    const r = await inProcess({ stdin: 'http://u:s3cretpw@127.0.0.1:99999/x', options: base });
    expect(r.records[0]).toMatchObject({ ok: false, url: 'http://u:***@127.0.0.1:99999/x', error: { code: 'INVALID_URL' } });
  });
});
