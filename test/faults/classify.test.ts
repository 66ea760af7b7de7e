/**
 * Issue #3: foreign errors map to record codes in one place (fetch/classify.ts).
 * DNS failures are covered here rather than end to end: this sandbox's resolver
 * is not on loopback, so even a `.invalid` lookup would leave the machine.
 */
import { describe, expect, it } from 'vitest';
import { asProxyError } from '../../src/fetch/proxy-agent.js';
import { classify } from '../../src/fetch/classify.js';
import { BlockedAddressError } from '../../src/fetch/deny-private.js';

const coded = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });

describe('classify', () => {
  it.each([
    ['ENOTFOUND', 'DNS'],
    ['EAI_AGAIN', 'DNS'],
    ['ECONNREFUSED', 'CONNECTION'],
    ['ECONNRESET', 'CONNECTION'],
    ['UND_ERR_SOCKET', 'CONNECTION'],
    ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT'],
    ['UND_ERR_HEADERS_OVERFLOW', 'PROTOCOL'],
    ['HPE_INVALID_CHUNK_SIZE', 'PROTOCOL'],
    ['Z_DATA_ERROR', 'DECODE'],
    ['Z_BUF_ERROR', 'DECODE'],
    ['CERT_HAS_EXPIRED', 'TLS'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS'],
  ])('%s → %s', (code, expected) => {
    expect(classify(coded(code)).code).toBe(expected);
  });

  it('follows the cause chain (undici wraps socket errors)', () => {
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: coded('ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid') });
    expect(classify(wrapped).code).toBe('DNS');
  });

  it("undici 7's HTTPParserError has no code and is PROTOCOL by its name", () => {
    const err = Object.assign(new Error('Response does not match the HTTP/1.1 protocol (Invalid character in chunk size)'), { name: 'HTTPParserError', code: undefined });
    expect(classify(err).code).toBe('PROTOCOL');
  });

  it('a certificate name mismatch through a proxy (undici SecureProxyConnectionError) is TLS, not PROXY', () => {
    const mismatch = Object.assign(new Error('Hostname/IP does not match certificate'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const wrapped = Object.assign(new Error('Secure Proxy Connection failed'), { code: 'UND_ERR_PRX_TLS', cause: mismatch });
    expect(classify(wrapped).code).toBe('TLS');
    expect(asProxyError('http://u:pw@proxy:3128', wrapped)).toBe(wrapped);
  });

  it('the --deny-private refusal is BLOCKED_ADDRESS, wrapped or not', () => {
    const blocked = new BlockedAddressError('localhost', '127.0.0.1', 'loopback');
    expect(classify(blocked).code).toBe('BLOCKED_ADDRESS');
    expect(classify(Object.assign(new Error('connect failed'), { cause: blocked })).code).toBe('BLOCKED_ADDRESS');
    expect(classify(blocked).message).toMatch(/localhost resolves to 127\.0\.0\.1, a loopback address/);
  });

  it('anything unknown is CONNECTION, never a throw', () => {
    expect(classify(new Error('what')).code).toBe('CONNECTION');
    expect(classify('a string').code).toBe('CONNECTION');
    expect(classify(null).code).toBe('CONNECTION');
  });
});
