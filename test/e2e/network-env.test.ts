/**
 * What only the real process reads (issue 13): HTTP_PROXY / HTTPS_PROXY /
 * NO_PROXY and NODE_EXTRA_CA_CERTS from its environment, and the --http1.1
 * and --proxy flags as commander parses them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js';
import { runCli } from '../helpers/run.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startTlsServer, TLS_CERT, type TlsServer } from '../helpers/tls-server.js';

let site: TestServer;
let tls: TlsServer;
let proxy: ForwardProxy;

beforeAll(async () => {
  site = await startServer({ robots: null });
  tls = await startTlsServer({ http2: true }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>env</title>');
  });
  proxy = await startForwardProxy();
});
afterAll(async () => {
  await Promise.all([site.close(), tls.close(), proxy.close()]);
});

/** The parent's proxy variables must not leak into these runs. */
const clean = { HTTP_PROXY: '', http_proxy: '', HTTPS_PROXY: '', https_proxy: '', ALL_PROXY: '', all_proxy: '', NO_PROXY: '', no_proxy: '' };

describe('the environment', () => {
  it('HTTP_PROXY and HTTPS_PROXY send requests through the proxy; NO_PROXY hosts go direct', async () => {
    const http = site.url('/articles/first.html');
    const r = await runCli(['--no-robots', '--ca-cert', TLS_CERT], {
      stdin: `${http}\n${tls.origin}/x`,
      env: { ...clean, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
    });
    expect(r.code).toBe(0);
    expect(proxy.requests.map((q) => q.method).sort()).toEqual(['CONNECT', 'GET']);

    const before = proxy.requests.length;
    const direct = await runCli(['--no-robots'], { stdin: http, env: { ...clean, http_proxy: proxy.url, NO_PROXY: '127.0.0.1' } });
    expect(direct.code).toBe(0);
    expect(proxy.requests).toHaveLength(before);
  });

  it('--proxy none ignores them; a bad HTTP_PROXY is a usage error naming it', async () => {
    const before = proxy.requests.length;
    const r = await runCli(['--no-robots', '--proxy', 'none'], { stdin: site.url('/index.html'), env: { ...clean, HTTP_PROXY: proxy.url } });
    expect(r.code).toBe(0);
    expect(proxy.requests).toHaveLength(before);
    const bad = await runCli(['--no-robots'], { stdin: site.url('/index.html'), env: { ...clean, HTTP_PROXY: 'socks5://127.0.0.1:1' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/HTTP_PROXY: SOCKS proxies .* not supported/);
  });

  it('NODE_EXTRA_CA_CERTS is trusted like --ca-cert; --http1.1 and --http2 are honoured', async () => {
    const r = await runCli(['--no-robots', '--http1.1'], { stdin: `${tls.origin}/y`, env: { ...clean, NODE_EXTRA_CA_CERTS: TLS_CERT } });
    expect(r.code).toBe(0);
    expect(r.records[0]).toMatchObject({ ok: true, title: 'env', httpVersion: '1.1' });
    const h2 = await runCli(['--no-robots', '--http2'], { stdin: `${tls.origin}/z`, env: { ...clean, NODE_EXTRA_CA_CERTS: TLS_CERT } });
    expect(h2.records[0]).toMatchObject({ ok: true, httpVersion: '2' });
  });
});
