/**
 * HTTP/2 and TLS (issue 13): HTTP/2 by ALPN when the server offers it,
 * --http1.1 and --http2, each record's `httpVersion`, --ca-cert for an
 * internal CA, and certificate failures as TLS records with their reason.
 * Servers: node:http2's secure server with allowHTTP1 and node:https, with
 * the test-only certificate in fixtures/tls/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/resolve.js';
import { refusedPort, startServer, type TestServer } from '../helpers/server.js';
import { inProcess } from '../helpers/session.js';
import { startTlsServer, TLS_CERT, type TlsServer } from '../helpers/tls-server.js';

let h2: TlsServer;
let h1only: TlsServer;
let plain: TestServer;

const page = (_req: unknown, res: { writeHead(s: number, h: Record<string, string>): unknown; end(b: string): unknown }): void => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<title>tls page</title>');
};

beforeAll(async () => {
  h2 = await startTlsServer({ http2: true }, page);
  h1only = await startTlsServer({ http2: false }, page);
  plain = await startServer({ robots: null });
});
afterAll(async () => {
  await Promise.all([h2.close(), h1only.close(), plain.close()]);
});

const base = { robots: false, retries: '0', caCert: TLS_CERT } as const;

describe('HTTP versions', () => {
  it('--http2 negotiates HTTP/2 with a server that offers it', async () => {
    const r = await inProcess({ stdin: `${h2.origin}/a`, options: { ...base, http2: true } });
    expect(r.records[0]).toMatchObject({ ok: true, title: 'tls page', httpVersion: '2' });
    expect(h2.requests.at(-1)).toMatchObject({ url: '/a', httpVersion: '2.0' });
  });

  it('HTTP/1.1 with the same server by default (the HTTPS benchmark chose it) and with --http1.1', async () => {
    for (const options of [base, { ...base, 'http1.1': true }]) {
      const r = await inProcess({ stdin: `${h2.origin}/b`, options });
      expect(r.records[0]).toMatchObject({ ok: true, httpVersion: '1.1' });
      expect(h2.requests.at(-1)).toMatchObject({ url: '/b', httpVersion: '1.1' });
    }
  });

  it('--http2 still gets HTTP/1.1 from a server without it, and over plain http://', async () => {
    const r = await inProcess({ stdin: `${h1only.origin}/c\n${plain.url('/articles/first.html')}`, options: { ...base, http2: true } });
    expect(r.records.map((rec) => [rec.ok, rec.httpVersion])).toEqual([
      [true, '1.1'],
      [true, '1.1'],
    ]);
  });

  it('a record with no response has httpVersion null', async () => {
    const r = await inProcess({ stdin: `http://127.0.0.1:${await refusedPort()}/`, options: base });
    expect(r.records[0]).toMatchObject({ ok: false, httpVersion: null, error: { code: 'CONNECTION' } });
  });

  it('--http1.1 and --http2 together are a usage error', () => {
    expect(() => buildConfig(['-'], { 'http1.1': true, http2: true })).toThrow(/--http1.1 and --http2/);
  });
});

describe('certificates', () => {
  it('an untrusted certificate is a TLS record that says why', async () => {
    const r = await inProcess({ stdin: `${h2.origin}/d`, options: { robots: false, retries: '0' } });
    expect(r.records[0]).toMatchObject({ ok: false, status: null, httpVersion: null, error: { code: 'TLS' } });
    expect(r.records[0]!.error!.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|self-signed/i);
  });

  it('--ca-cert adds to the usual roots: with it the same server is trusted', async () => {
    const r = await inProcess({ stdin: `${h1only.origin}/e`, options: base });
    expect(r.records[0]).toMatchObject({ ok: true });
  });

  it('--ca-cert must name a readable PEM file', () => {
    expect(() => buildConfig(['-'], { caCert: '/no/such/file.pem' })).toThrow(/cannot read --ca-cert/);
    expect(() => buildConfig(['-'], { caCert: new URL(import.meta.url).pathname })).toThrow(/holds no PEM certificate/);
  });
});
