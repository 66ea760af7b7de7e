/**
 * A forward proxy for tests, on 127.0.0.1 port 0: absolute-form HTTP requests
 * (`GET http://host/path`) are forwarded with node:http, CONNECT opens a
 * node:net tunnel. It records what it was asked (method, target, the
 * Proxy-Authorization it got) so tests assert on what crossed the wire.
 *
 *   auth: 'user:pass'   answer 407 unless Proxy-Authorization is Basic of it
 *   connectStatus: 502  answer every CONNECT with that status instead of tunnelling
 *   dropConnect: true   destroy the socket of every CONNECT without an answer
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { listenOnLoopback, socketTracker } from './server.js';

export interface ProxiedRequest {
  method: string;
  /** The absolute URL (absolute-form) or host:port (CONNECT). */
  target: string;
  proxyAuthorization: string | undefined;
  /** Headers as the proxy received them. */
  headers: IncomingMessage['headers'];
}

export interface ForwardProxyOptions {
  auth?: string;
  connectStatus?: number;
  dropConnect?: boolean;
}

export interface ForwardProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = socketTracker();
  const expected = options.auth === undefined ? undefined : `Basic ${Buffer.from(options.auth).toString('base64')}`;
  const authorized = (req: IncomingMessage): boolean => expected === undefined || req.headers['proxy-authorization'] === expected;
  const record = (req: IncomingMessage): void => {
    requests.push({ method: req.method ?? '', target: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'], headers: req.headers });
  };

  const server: Server = createServer((req, res) => {
    record(req);
    if (!authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-type': 'text/plain' });
      res.end('proxy authentication required');
      return;
    }
    const { 'proxy-authorization': _, 'proxy-connection': __, ...headers } = req.headers;
    const upstream = httpRequest(req.url ?? '', { method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => sockets.track(s));
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    record(req);
    if (options.dropConnect) return void client.destroy();
    if (!authorized(req)) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
    if (options.connectStatus !== undefined) return void client.end(`HTTP/1.1 ${options.connectStatus} Refused\r\nContent-Length: 0\r\n\r\n`);
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = netConnect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const { port } = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => sockets.close(server),
  };
}
