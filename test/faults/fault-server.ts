/**
 * A scripted hostile server for the fault tests: node:http on 127.0.0.1, port 0,
 * where each test file supplies its own routes (one route per fault). Routes that
 * must break HTTP itself write raw bytes straight to the socket with `raw()`, so
 * node:http never gets to tidy them up. Every request is recorded (path, headers,
 * time) so tests assert on what reached the wire, not on what scrape says.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { listenOnLoopback } from '../helpers/server.js';

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface SeenRequest {
  url: string;
  pathname: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface FaultServer {
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
  readonly requests: readonly SeenRequest[];
  /** Requests for this pathname (query ignored). */
  hits(pathname: string): number;
  close(): Promise<void>;
}

/**
 * Answer with these exact bytes, then close (or keep) the socket. The request
 * has been parsed by node:http; the response is ours alone.
 */
export function raw(bytes: string | Buffer, opts: { close?: 'end' | 'destroy' | 'keep' } = {}): Route {
  return (req) => {
    const socket = req.socket;
    socket.write(bytes);
    if (opts.close === 'destroy') socket.destroy();
    else if (opts.close !== 'keep') socket.end();
  };
}

/** Write `chunks` one after another `everyMs` apart, closing the socket when the client leaves. */
export function trickle(socket: Socket, chunks: Iterable<string | Buffer>, everyMs: number, onDone?: () => void): void {
  const it = chunks[Symbol.iterator]();
  const timer = setInterval(() => {
    const next = it.next();
    if (socket.destroyed) return clearInterval(timer);
    if (next.done) {
      clearInterval(timer);
      return onDone?.();
    }
    socket.write(next.value);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

export async function startFaultServer(routes: Readonly<Record<string, Route>>): Promise<FaultServer> {
  const requests: SeenRequest[] = [];
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url: req.url ?? '/', pathname: url.pathname, headers: req.headers, at: Date.now() });
    const route = routes[url.pathname];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('no such fault\n');
    }
    Promise.resolve(route(req, res, url)).catch(() => res.destroy());
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const { port, origin } = await listenOnLoopback(server);
  return {
    origin,
    port,
    url: (path) => origin + path,
    requests,
    hits: (pathname) => requests.filter((r) => r.pathname === pathname).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** One fault server for the enclosing describe block. */
export function useFaultServer(routes: Readonly<Record<string, Route>>): () => FaultServer {
  let server: FaultServer | undefined;
  beforeAll(async () => {
    server = await startFaultServer(routes);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('fault server not started');
    return server;
  };
}

/** A minimal HTML page with this title. */
export function page(title: string, body = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;
}
