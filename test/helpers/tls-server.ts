/**
 * HTTPS servers for tests, on 127.0.0.1 port 0, with the test-only certificate
 * in fixtures/tls/ (trusted by passing `--ca-cert TLS_CERT`). `http2: true`
 * is node:http2's secure server with allowHTTP1 (ALPN offers h2 and
 * http/1.1, as nginx does); false is node:https (HTTP/1.1 only). Every
 * request's HTTP version is recorded.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { socketTracker } from './server.js';

export const TLS_CERT = fileURLToPath(new URL('../../fixtures/tls/cert.pem', import.meta.url));
export const TLS_KEY = fileURLToPath(new URL('../../fixtures/tls/key.pem', import.meta.url));

export type Handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

export interface TlsServer {
  /** https://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** `req.httpVersion` ('1.1' or '2.0') and path of each request, in order. */
  requests: { httpVersion: string; url: string; headers: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startTlsServer(options: { http2: boolean }, handler: Handler): Promise<TlsServer> {
  const tls = { cert: readFileSync(TLS_CERT), key: readFileSync(TLS_KEY) };
  const requests: TlsServer['requests'] = [];
  const onRequest: Handler = (req, res) => {
    requests.push({ httpVersion: req.httpVersion, url: req.url ?? '', headers: { ...req.headers } });
    handler(req, res);
  };
  const server = options.http2
    ? createSecureServer({ ...tls, allowHTTP1: true }, onRequest as (req: Http2ServerRequest, res: Http2ServerResponse) => void)
    : createHttpsServer(tls, onRequest as (req: IncomingMessage, res: ServerResponse) => void);
  const sockets = socketTracker();
  server.on('connection', (s: Socket) => sockets.track(s));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: () => sockets.close(server),
  };
}
