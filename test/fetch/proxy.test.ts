/**
 * Proxies (issue 13): --proxy and the environment's proxy variables, http://
 * targets as absolute-form requests, https:// targets through CONNECT with
 * TLS checked end to end, proxy credentials never shown, and a proxy's
 * failures as PROXY records. Everything runs against a forward proxy and
 * servers this file starts on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/resolve.js';
import { UsageError } from '../../src/config/usage-error.js';
import { createAgent } from '../../src/fetch/agent.js';
import { scrape } from '../../src/session/scrape.js';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js';
import { refusedPort, startServer, type TestServer } from '../helpers/server.js';
import { inProcess } from '../helpers/session.js';
import { startTlsServer, TLS_CERT, type TlsServer } from '../helpers/tls-server.js';

let site: TestServer;
let tlsSite: TlsServer;
const proxies: ForwardProxy[] = [];
const proxy = async (options: Parameters<typeof startForwardProxy>[0] = {}): Promise<ForwardProxy> => {
  const p = await startForwardProxy(options);
  proxies.push(p);
  return p;
};

beforeAll(async () => {
  site = await startServer({ robots: null });
  tlsSite = await startTlsServer({ http2: true }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>over tls</title>');
  });
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await Promise.all([site.close(), tlsSite.close()]);
});

const base = { robots: false, retries: '0' } as const;

describe('--proxy', () => {
  it('sends an http:// target to the proxy as an absolute-form request', async () => {
    const p = await proxy();
    const url = site.url('/articles/first.html');
    const r = await inProcess({ stdin: url, options: { ...base, proxy: p.url } });
    expect(r.records[0]).toMatchObject({ ok: true, status: 200, url });
    expect(p.requests).toEqual([expect.objectContaining({ method: 'GET', target: url })]);
  });

  it('tunnels an https:// target with CONNECT, its certificate checked end to end', async () => {
    const p = await proxy();
    const url = `${tlsSite.origin}/page`;
    const ok = await inProcess({ stdin: url, options: { ...base, proxy: p.url, caCert: TLS_CERT } });
    expect(ok.records[0]).toMatchObject({ ok: true, status: 200, title: 'over tls' });
    expect(p.requests).toEqual([expect.objectContaining({ method: 'CONNECT', target: `127.0.0.1:${tlsSite.port}` })]);
    // Without the CA the tunnel still opens, and the target's certificate is refused: TLS, not PROXY.
    const refused = await inProcess({ stdin: url, options: { ...base, proxy: p.url } });
    expect(refused.records[0]).toMatchObject({ ok: false, status: null, error: { code: 'TLS' } });
  });

  it('sends the credentials of the proxy URL as Proxy-Authorization, and never shows them', async () => {
    const p = await proxy({ auth: 'agent:s3cr%t' });
    const url = site.url('/articles/first.html');
    const r = await inProcess({ stdin: `${url}\n${tlsSite.origin}/x`, options: { ...base, proxy: `http://agent:s3cr%25t@127.0.0.1:${p.port}`, caCert: TLS_CERT } });
    expect(r.records.map((rec) => rec.ok)).toEqual([true, true]);
    const basic = `Basic ${Buffer.from('agent:s3cr%t').toString('base64')}`;
    expect(p.requests.map((q) => q.proxyAuthorization)).toEqual([basic, basic]);
    expect(r.stdout + r.stderr).not.toMatch(/s3cr|agent:/);
  });

  it('takes -H "Proxy-Authorization: …" as the proxy\'s, not the target\'s', async () => {
    const p = await proxy({ auth: 'a:b' });
    const basic = `Basic ${Buffer.from('a:b').toString('base64')}`;
    const r = await inProcess({ stdin: site.url('/articles/first.html'), options: { ...base, proxy: p.url, header: [`Proxy-Authorization: ${basic}`] } });
    expect(r.records[0]).toMatchObject({ ok: true });
    expect(site.requests.at(-1)!.headers['proxy-authorization']).toBeUndefined();
  });

  it('a 407 is PROXY with status 407, on a request and on a CONNECT, not retried', async () => {
    const p = await proxy({ auth: 'a:right' });
    const r = await inProcess({
      stdin: `${site.url('/articles/first.html')}\n${tlsSite.origin}/x`,
      options: { robots: false, retries: '2', proxy: `http://a:wrong@127.0.0.1:${p.port}` },
    });
    for (const rec of r.records) expect(rec).toMatchObject({ ok: false, status: 407, attempts: 1, error: { code: 'PROXY' } });
    expect(r.stdout + r.stderr).not.toContain('wrong');
  });

  it('a CONNECT answered 502 is PROXY with that status, retried', async () => {
    const p = await proxy({ connectStatus: 502 });
    const r = await inProcess({ stdin: `${tlsSite.origin}/x`, options: { robots: false, retries: '1', proxy: p.url } });
    expect(r.records[0]).toMatchObject({ ok: false, status: 502, attempts: 2, error: { code: 'PROXY' } });
  });

  it('a proxy that refuses or drops the connection is PROXY with no status, never CONNECTION', async () => {
    const dead = await refusedPort();
    const dropping = await proxy({ dropConnect: true });
    const refused = await inProcess({ stdin: site.url('/articles/first.html'), options: { ...base, proxy: `http://127.0.0.1:${dead}` } });
    expect(refused.records[0]).toMatchObject({ ok: false, status: null, error: { code: 'PROXY' } });
    expect(refused.records[0]!.error!.message).toContain(`127.0.0.1:${dead}`);
    const dropped = await inProcess({ stdin: `${tlsSite.origin}/x`, options: { ...base, proxy: dropping.url } });
    expect(dropped.records[0]).toMatchObject({ ok: false, status: null, error: { code: 'PROXY' } });
  });

  it('--deny-private refuses a private target before the proxy is asked: an IP literal, or a name our DNS resolves to one', async () => {
    const p = await proxy();
    const r = await inProcess({
      stdin: `${site.url('/articles/first.html')}\nhttp://localhost:${site.port}/articles/second.html`,
      options: { ...base, proxy: p.url, denyPrivate: true },
    });
    expect(r.records.map((rec) => rec.error?.code)).toEqual(['BLOCKED_ADDRESS', 'BLOCKED_ADDRESS']);
    expect(p.requests).toEqual([]);
  });

  it('none ignores the environment', () => {
    const env = { HTTP_PROXY: 'http://127.0.0.1:9' };
    expect(buildConfig(['-'], { proxy: 'none' }, env).proxies.http).toBeNull();
    expect(buildConfig(['-'], {}, env).proxies.http).toBe('http://127.0.0.1:9/');
  });

  it('SOCKS and other schemes are usage errors that say so; credentials stay out of the message', () => {
    expect(() => buildConfig(['-'], { proxy: 'socks5://127.0.0.1:1080' })).toThrow(/SOCKS proxies .* not supported/);
    expect(() => buildConfig(['-'], {}, { HTTPS_PROXY: 'socks5h://u:pw@127.0.0.1:1080' })).toThrow(/HTTPS_PROXY: SOCKS/);
    expect(() => buildConfig(['-'], { proxy: 'ftp://u:pw@h' })).toThrow(UsageError);
    expect(() => buildConfig(['-'], { proxy: 'ftp://u:pw@h' })).not.toThrow(/pw/);
  });
});

describe('scrape() (the library)', () => {
  it('takes a proxy option, reads no environment, and refuses proxy settings beside a dispatcher of its own', async () => {
    const p = await proxy();
    const records = [];
    for await (const rec of scrape([site.url('/articles/first.html')], { proxy: p.url, robots: false })) records.push(rec);
    expect(records).toMatchObject([{ ok: true }]);
    expect(p.requests).toHaveLength(1);
    const dispatcher = createAgent({ connectionsPerOrigin: 1, timeoutMs: 1000 });
    try {
      expect(() => scrape([], { proxy: p.url, dispatcher })).toThrow(/"proxy" configures scrape's own Agent/);
    } finally {
      await dispatcher.destroy();
    }
  });
});

describe('the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)', () => {
  it('proxies by scheme, and NO_PROXY hosts go direct', async () => {
    const p = await proxy();
    const plain = site.url('/articles/first.html');
    const env = { http_proxy: p.url, NO_PROXY: 'example.org' };
    const config = buildConfig(['-'], { ...base, caCert: TLS_CERT }, env);
    const r = await inProcess({ stdin: `${plain}\n${tlsSite.origin}/x`, config });
    expect(r.records.map((rec) => rec.ok)).toEqual([true, true]);
    // HTTPS_PROXY unset and no ALL_PROXY: https:// goes direct, as with curl.
    expect(p.requests.map((q) => q.target)).toEqual([plain]);

    const bypass = buildConfig(['-'], base, { HTTP_PROXY: p.url, no_proxy: '127.0.0.0/8' });
    await inProcess({ stdin: site.url('/articles/second.html'), config: bypass });
    expect(p.requests).toHaveLength(1);
  });
});
