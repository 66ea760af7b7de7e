/** Issue #3: --deny-private, secrets kept out of logs, TLS verification, CSV formula cells. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/csv.js';
import { runCli } from '../helpers/run.js';
import { page, useFaultServer } from './fault-server.js';
import { expectFailure, scrape } from './scrape.js';

const okPage = (title: string) => (_req: unknown, res: import('node:http').ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'sid=SETCOOKIE-SECRET; HttpOnly' });
  res.end(page(title));
};

describe('--deny-private', () => {
  const server = useFaultServer({
    '/': okPage('Private'),
    '/robots.txt': (_req, res) => void res.end('User-agent: *\nAllow: /\n'),
    '/redirect': (_req, res) => {
      res.writeHead(302, { location: '/' });
      res.end();
    },
  });

  it('without it, a loopback server is fetched', async () => {
    const url = server().url('/');
    expect((await scrape([url])).rec(url).title).toBe('Private');
  });

  it('refuses 127.0.0.1, localhost, and the decimal, octal and IPv4-mapped forms, without a single request', async () => {
    const port = server().port;
    // Distinct queries: the literal forms all normalise to 127.0.0.1 and would be deduped.
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://2130706433:${port}/?decimal`,
      `http://0177.0.0.1:${port}/?octal`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::1]:${port}/`,
      `http://127.0.0.1:${port}/redirect`,
    ];
    const before = server().requests.length;
    // Robots on: robots.txt must not be fetched from a refused address either.
    const r = await runCli(['--deny-private', '--retries', '2'], { stdin: urls.join('\n') });
    expect(r.records).toHaveLength(urls.length);
    for (const rec of r.records) {
      expectFailure(rec, 'BLOCKED_ADDRESS');
      expect(rec.status).toBeNull();
      // robots.txt was refused first, so the host counts as disallow-all and the
      // page is not attempted (RFC 9309 2.3.1.4); the record keeps the real code.
      expect(rec.attempts).toBe(0);
      expect(rec.error!.message).toMatch(/loopback|IPv4-compatible/);
    }
    expect(server().requests.length - before).toBe(0);
    expect(r.code).toBe(1);
  });
});

describe('secrets in logs', () => {
  const other = useFaultServer({ '/landing': okPage('Landing') });
  const server = useFaultServer({
    '/page': okPage('Secret page'),
    '/away': (_req, res) => {
      res.writeHead(302, { location: other().url('/landing') });
      res.end();
    },
  });

  it('Authorization, Cookie, Set-Cookie, Proxy-Authorization and URL userinfo never reach stderr, even at trace', async () => {
    const withUserinfo = server().url('/page').replace('http://', 'http://alice:USERINFO-SECRET@');
    const refusedWithUserinfo = 'http://bob:USERINFO-SECRET2@127.0.0.1:1/';
    const r = await runCli(
      [
        '--no-robots',
        '--retries',
        '0',
        '--log-level',
        'trace',
        '-H',
        'Authorization: Bearer AUTH-SECRET',
        '-H',
        'Cookie: session=COOKIE-SECRET',
        '-H',
        'Proxy-Authorization: Basic PROXY-SECRET',
      ],
      { stdin: [withUserinfo, server().url('/away'), refusedWithUserinfo].join('\n') },
    );
    expect(r.records).toHaveLength(3);
    expect(r.logs.length).toBeGreaterThan(3);
    for (const secret of ['AUTH-SECRET', 'COOKIE-SECRET', 'PROXY-SECRET', 'SETCOOKIE-SECRET', 'USERINFO-SECRET']) {
      expect(r.stderr, secret).not.toContain(secret);
    }
    // A URL's password is shown as *** (issue 13): the user name stays, so two accounts stay apart.
    expect(r.stderr).toContain('alice:***@');
    // The server did get the credentials: they were sent, just not logged.
    expect(server().requests.find((q) => q.pathname === '/page')!.headers.authorization).toBe('Bearer AUTH-SECRET');
  });
});

describe('TLS verification', () => {
  let dir = '';
  let https: Server;
  let origin = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scrape-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, okPage('Self-signed'));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', () => resolve()));
    origin = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a self-signed certificate is a TLS error record, not a page', async () => {
    const url = `${origin}/`;
    const rec = (await scrape([url])).rec(url);
    expectFailure(rec, 'TLS');
    expect(rec.status).toBeNull();
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not turn verification off', async () => {
    const url = `${origin}/?env`;
    const r = await runCli(['--no-robots', '--retries', '0'], { stdin: url, env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
    expectFailure(r.records[0]!, 'TLS');
  });
});

describe('CSV formula injection', () => {
  const server = useFaultServer({
    '/formula': (_req, res, url) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page(url.searchParams.get('t')!.replace(/&/g, '&amp;').replace(/</g, '&lt;')));
    },
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")'],
    ['+1+cmd|/C calc'],
    ['-2+3'],
    ['@SUM(A1:A2)'],
  ])('a title starting %s is written with a leading apostrophe and quoted per RFC 4180', async (title) => {
    const url = server().url(`/formula?t=${encodeURIComponent(title)}`);
    const r = await runCli(['--no-robots', '--retries', '0', '-f', 'csv'], { stdin: url });
    const rows = parseCsv(r.stdout);
    const header = rows[0]!;
    const row = rows[1]!;
    expect(row[header.indexOf('title')]).toBe(`'${title}`);
    // No cell of the row starts with a formula character.
    for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
