/** Which proxy a target goes through: curl's reading of the environment, as a table. */
import { describe, expect, it } from 'vitest';
import { bypassesProxy, parseNoProxy, proxyFor, proxyLabel, proxyRoutes } from '../../src/fetch/proxy-routes.js';

describe('proxyRoutes', () => {
  const P = 'http://p:3128/';
  it.each([
    // [flag, env, http proxy, https proxy]
    [null, {}, null, null],
    [null, { http_proxy: P }, P, null],
    [null, { HTTP_PROXY: P }, P, null],
    [null, { http_proxy: 'http://lower/', HTTP_PROXY: 'http://upper/' }, 'http://lower/', null],
    [null, { HTTPS_PROXY: P }, null, P],
    [null, { ALL_PROXY: P }, P, P],
    [null, { all_proxy: 'http://all/', https_proxy: P }, 'http://all/', P],
    ['http://flag/', { HTTP_PROXY: P }, 'http://flag/', 'http://flag/'],
    ['none', { HTTP_PROXY: P, HTTPS_PROXY: P }, null, null],
  ] as const)('--proxy %s with %o: http %s, https %s', (flag, env, http, https) => {
    const routes = proxyRoutes(flag, env);
    expect([routes.http, routes.https]).toEqual([http, https]);
  });

  it('--proxy ignores NO_PROXY', () => {
    expect(proxyFor(proxyRoutes('http://flag/', { NO_PROXY: '*' }), 'http:', 'example.com')).toBe('http://flag/');
  });
});

describe('NO_PROXY, as curl matches it', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['example.com', 'www.example.com', true],
    ['.example.com', 'www.example.com', true],
    ['*.example.com', 'example.com', true],
    ['example.com', 'notexample.com', false],
    ['example.com:8080', 'example.com', true], // curl ignores ports here
    ['*', 'anything.org', true],
    ['a.org, b.org', 'b.org', true],
    ['a.org b.org', 'c.org', false],
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.1.2.3', false],
    ['192.168.1.7', '192.168.1.7', true],
    ['::1', '[::1]', true],
    ['fd00::/8', '[fd12::1]', true],
    ['localhost', '127.0.0.1', false], // no implicit loopback bypass, as curl
    ['', 'example.com', false],
  ] as const)('%s matches %s: %s', (noProxy, host, bypassed) => {
    expect(bypassesProxy(parseNoProxy(noProxy), host)).toBe(bypassed);
  });
});

it('a proxy is named by scheme, host and port, never its credentials', () => {
  expect(proxyLabel('http://user:pw@proxy.corp:3128/')).toBe('http://proxy.corp:3128');
});
