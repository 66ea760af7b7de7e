/**
 * Cookies (issue 13): within one URL's redirect chain as RFC 6265 says they
 * apply, never from one input URL to another, and across the run (and runs)
 * with --cookie-jar FILE in the Netscape format curl and wget use.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/setup.js';
import { buildConfig } from '../../src/config/resolve.js';
import { formatCookieFile, parseCookieFile } from '../../src/fetch/cookie-file.js';
import { listenOnLoopback } from '../helpers/server.js';
import { inProcess, startInProcess } from '../helpers/session.js';

const tmpRoot = useTmpDir();

/** The Cookie header each request arrived with, by path. */
const received: { path: string; cookie: string | undefined }[] = [];
let origin = '';

const server: Server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const cookie = req.headers.cookie;
  received.push({ path: url.pathname, cookie });
  const page = (title: string): void => void res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>${title}</title>`);
  switch (url.pathname) {
    // A consent wall: without the cookie, off to /consent, which sets it and sends you back.
    case '/article':
      return cookie?.includes('consent=yes') ? page('article') : void res.writeHead(302, { location: '/consent?back=/article' }).end();
    case '/consent':
      return void res.writeHead(302, { location: url.searchParams.get('back') ?? '/', 'set-cookie': 'consent=yes; Path=/; HttpOnly' }).end();
    case '/set':
      return void res
        .writeHead(200, {
          'content-type': 'text/html',
          // No Secure cookie here: 127.0.0.1 counts as a secure origin (as in browsers); Secure is in the file table below.
          'set-cookie': ['session=s3ssionval; Path=/', 'scoped=1; Path=/only', 'gone=1; Max-Age=0'],
        })
        .end('<title>set</title>');
    case '/set-then-hop':
      return void res.writeHead(302, { location: '/echo', 'set-cookie': ['session=s3ssionval; Path=/', 'scoped=1; Path=/only', 'gone=1; Max-Age=0'] }).end();
    case '/hang':
      res.writeHead(200, { 'set-cookie': 'late=1; Path=/' });
      return; // never ends
    default:
      return page(`echo ${cookie ?? ''}`);
  }
});

beforeAll(async () => {
  origin = (await listenOnLoopback(server)).origin;
});
beforeEach(() => {
  received.length = 0;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const base = { robots: false, retries: '0' } as const;
const tmp = (): string => mkdtempSync(join(tmpRoot(), 'cookies-'));

describe('cookies within one redirect chain', () => {
  it('a consent redirect that sets a cookie and sends you back ends at the page', async () => {
    const r = await inProcess({ stdin: `${origin}/article`, options: base });
    expect(r.records[0]).toMatchObject({ ok: true, title: 'article', finalUrl: `${origin}/article` });
    expect(received.map((q) => q.cookie)).toEqual([undefined, undefined, 'consent=yes']);
  });

  it('sends a cookie on the next hops only where it applies (path, expiry)', async () => {
    await inProcess({ stdin: `${origin}/set-then-hop`, options: base });
    expect(received.at(-1)).toEqual({ path: '/echo', cookie: 'session=s3ssionval' });
  });

  it('no cookie crosses from one input URL to another', async () => {
    await inProcess({ stdin: `${origin}/set\n${origin}/echo`, options: { ...base, concurrency: '1' } });
    expect(received.find((q) => q.path === '/echo')?.cookie).toBeUndefined();
  });

  it('a -H Cookie is sent alongside, and cookie values stay out of the logs', async () => {
    const r = await inProcess({ stdin: `${origin}/set-then-hop`, options: { ...base, header: ['Cookie: mine=1'], logLevel: 'trace' } });
    expect(received.at(-1)?.cookie).toBe('mine=1; session=s3ssionval');
    expect(r.stderr).not.toContain('s3ssionval');
  });
});

describe('--cookie-jar FILE', () => {
  it('loads FILE, sends its cookies where they apply, keeps what responses set, and writes it back', async () => {
    const jar = join(tmp(), 'cookies.txt');
    writeFileSync(jar, `# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tloaded\tfromfile\n127.0.0.1\tFALSE\t/\tFALSE\t1000\told\texpired\n`);
    const r = await inProcess({ stdin: `${origin}/set\n${origin}/echo`, options: { ...base, concurrency: '1', cookieJar: jar } });
    expect(r.records.map((rec) => rec.ok)).toEqual([true, true]);
    expect(received.find((q) => q.path === '/set')?.cookie).toBe('loaded=fromfile');
    // Shared across the run's URLs; the expired and the path-scoped are not sent.
    expect(received.find((q) => q.path === '/echo')?.cookie).toBe('loaded=fromfile; session=s3ssionval');
    const saved = readFileSync(jar, 'utf8');
    expect(statSync(jar).mode & 0o777).toBe(0o600);
    expect(saved).toMatch(/^# Netscape HTTP Cookie File/);
    expect(saved).toContain('127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\ts3ssionval');
    expect(saved).toContain('127.0.0.1\tFALSE\t/only\tFALSE\t0\tscoped\t1');
    expect(saved).not.toMatch(/\told\t|\tgone\t/);
  });

  it('a missing FILE is an empty jar, created at the end', async () => {
    const jar = join(tmp(), 'new.txt');
    await inProcess({ stdin: `${origin}/set`, options: { ...base, cookieJar: jar } });
    expect(readFileSync(jar, 'utf8')).toContain('\tsession\ts3ssionval');
  });

  it('is written back after a SIGINT too', async () => {
    const jar = join(tmp(), 'int.txt');
    const live = startInProcess({ stdin: `${origin}/set\n${origin}/hang`, options: { ...base, concurrency: '1', cookieJar: jar }, overrides: { graceMs: 50 } });
    await live.waitForStdout((out) => out.includes('"set"'));
    live.signal('SIGINT');
    await live.done;
    expect(existsSync(jar)).toBe(true);
    expect(readFileSync(jar, 'utf8')).toContain('\tsession\ts3ssionval');
  });

  it('a FILE that cannot be read or written is a usage error, before any request', () => {
    expect(() => buildConfig(['-'], { cookieJar: tmp() })).toThrow(/--cookie-jar .* it is a directory/);
    expect(() => buildConfig(['-'], { cookieJar: join(tmp(), 'no/such/dir.txt') })).toThrow(/--cookie-jar/);
  });
});

describe('the Netscape cookie file', () => {
  const now = Date.now();
  const future = Math.floor(now / 1000) + 3600;
  it.each([
    ['a host-only cookie', `example.com\tFALSE\t/\tFALSE\t${future}\ta\t1`, 'https://example.com/', 'a=1'],
    ['not sent to a subdomain when host-only', `example.com\tFALSE\t/\tFALSE\t${future}\ta\t1`, 'https://www.example.com/', ''],
    ['a domain cookie reaches subdomains', `.example.com\tTRUE\t/\tFALSE\t${future}\ta\t1`, 'https://www.example.com/', 'a=1'],
    ['Secure is not sent over http', `example.com\tFALSE\t/\tTRUE\t${future}\ta\t1`, 'http://example.com/', ''],
    ['a path limits it', `example.com\tFALSE\t/docs\tFALSE\t${future}\ta\t1`, 'https://example.com/blog', ''],
    ['#HttpOnly_ lines are cookies', `#HttpOnly_example.com\tFALSE\t/\tFALSE\t0\ta\t1`, 'https://example.com/', 'a=1'],
    ['expired ones are dropped', `example.com\tFALSE\t/\tFALSE\t1000\ta\t1`, 'https://example.com/', ''],
    ['an empty value (six fields) is kept', `example.com\tFALSE\t/\tFALSE\t0\ta`, 'https://example.com/', 'a='],
    ['comments and junk lines are skipped', `# comment\nnot a cookie line\n\nexample.com\tFALSE\t/\tFALSE\t0\tb\t2`, 'https://example.com/', 'b=2'],
  ])('%s', (_, text, url, expected) => {
    expect(parseCookieFile(text, now).getCookieStringSync(url)).toBe(expected);
  });

  it('writes back what it read, line for line', () => {
    const lines = [`.example.com\tTRUE\t/\tTRUE\t${future}\ta\tx y`, `#HttpOnly_host.org\tFALSE\t/p\tFALSE\t0\tb\t2`];
    const out = formatCookieFile(parseCookieFile(lines.join('\n'), now), now);
    expect(out.split('\n').filter((l) => l !== '' && !l.startsWith('# '))).toEqual(lines);
  });
});
