import type { ErrorCode } from '../record/record.js';
import { FetchFailure } from './failure.js';

/**
 * The one place that maps foreign errors (undici, node:net, node:tls, zlib) to
 * our error codes, by `code` and never by message text.
 */
const BY_CODE: Record<string, ErrorCode> = {
  ECONNREFUSED: 'CONNECTION',
  ECONNRESET: 'CONNECTION',
  EPIPE: 'CONNECTION',
  EHOSTUNREACH: 'CONNECTION',
  ENETUNREACH: 'CONNECTION',
  EADDRNOTAVAIL: 'CONNECTION',
  ECONNABORTED: 'CONNECTION',
  UND_ERR_SOCKET: 'CONNECTION',
  UND_ERR_CLOSED: 'CONNECTION',
  ENOTFOUND: 'DNS',
  EAI_AGAIN: 'DNS',
  EAI_FAIL: 'DNS',
  EAI_NONAME: 'DNS',
  ETIMEDOUT: 'TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_OVERFLOW: 'PROTOCOL',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'PROTOCOL',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'TOO_LARGE',
  UND_ERR_INFO: 'PROTOCOL',
  ERR_BUFFER_TOO_LARGE: 'TOO_LARGE',
  Z_DATA_ERROR: 'DECODE',
  Z_BUF_ERROR: 'DECODE',
  Z_NEED_DICT: 'DECODE',
  ERR__ERROR_FORMAT_PADDING_1: 'DECODE',
  // undici's ProxyAgent wraps a certificate name mismatch met through a proxy;
  // still a certificate failure, whichever end it was (proxy-agent.ts).
  UND_ERR_PRX_TLS: 'TLS',
  // Ours, raised inside undici's connector (fetch/deny-private.ts).
  ERR_SCRAPE_BLOCKED_ADDRESS: 'BLOCKED_ADDRESS',
};

/**
 * Errors known by class name instead: undici 7's HTTPParserError (bad status
 * line, bad chunk framing) leaves `code` undefined. Its name is public API.
 */
const BY_NAME: Record<string, ErrorCode> = {
  HTTPParserError: 'PROTOCOL',
};

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

function codeOf(err: unknown): string | undefined {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Follow `cause` chains: undici wraps socket errors, fetch-style errors wrap undici's. */
function rootCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur; depth++) {
    const code = codeOf(cur);
    if (code && code !== 'UND_ERR' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return codeOf(err);
}

/** The first name in the `cause` chain that BY_NAME knows, or ''. */
function nameOf(err: unknown): string {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur instanceof Error; depth++) {
    if (cur.name in BY_NAME) return cur.name;
    cur = cur.cause;
  }
  return '';
}

export function classify(err: unknown): FetchFailure {
  if (err instanceof FetchFailure) return err;
  const code = rootCode(err);
  const message = err instanceof Error ? err.message || String(code) : String(err);
  if (code) {
    const mapped = BY_CODE[code];
    if (mapped) return new FetchFailure(mapped, `${code}: ${message}`);
    if (TLS_CODES.test(code)) return new FetchFailure('TLS', `${code}: ${message}`);
    // llhttp parser errors: malformed chunked encoding, bad status line, oversized headers.
    if (code.startsWith('HPE_')) return new FetchFailure('PROTOCOL', `${code}: ${message}`);
  }
  const named = BY_NAME[nameOf(err)];
  if (named) return new FetchFailure(named, message);
  return new FetchFailure('CONNECTION', code ? `${code}: ${message}` : message);
}
