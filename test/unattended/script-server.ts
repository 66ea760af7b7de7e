/**
 * A node:http server on 127.0.0.1, port 0, whose every answer a test scripts:
 * `route(req, hit)` returns status, headers and body (or a delay first). It logs
 * every request (path, conditional headers, monotonic start time) so tests
 * assert on what reached the wire: pacing, conditional requests, refetches.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach } from 'vitest';

export interface Hit {
  path: string;
  /** performance.now() when the request arrived. */
  at: number;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  userAgent: string | null;
  /** How many times this exact path was requested, this one included. */
  n: number;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string | undefined>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export type Route = (hit: Hit, req: IncomingMessage) => Answer;

export interface ScriptServer {
  origin: string;
  /** host:port, as records and shards see it. */
  host: string;
  url(path: string): string;
  hits: Hit[];
  /** Hits for one path (robots.txt excluded unless asked). */
  hitsOf(path: string): Hit[];
  /** Page hits: every path but /robots.txt. */
  pageHits(): Hit[];
  route: Route;
  close(): Promise<void>;
}

const open = new Set<ScriptServer>();
afterEach(async () => {
  await Promise.all([...open].map((s) => s.close()));
});

export const html = (title: string, extra = ''): string => `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${extra}</body></html>`;

/** Default route: robots.txt 404 (allow all), every other path a small page titled by its path. */
export const pages: Route = (hit) =>
  hit.path === '/robots.txt' ? { status: 404, body: 'none' } : { headers: { 'content-type': 'text/html' }, body: html(hit.path) };

/** Like `pages`, each page answered after `delayMs`: runs last long enough to be killed or overlapped. */
export const slowPages =
  (delayMs: number): Route =>
  (hit, req) => ({ ...pages(hit, req), ...(hit.path === '/robots.txt' ? {} : { delayMs }) });

export async function scriptServer(route: Route = pages): Promise<ScriptServer> {
  const counts = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const self: ScriptServer = {
    origin: '',
    host: '',
    url: (path) => `${self.origin}${path}`,
    hits: [],
    hitsOf: (path) => self.hits.filter((h) => h.path === path),
    pageHits: () => self.hits.filter((h) => h.path !== '/robots.txt'),
    route,
    close: async () => {
      open.delete(self);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    const hit: Hit = {
      path,
      at: performance.now(),
      ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null,
      ifModifiedSince: (req.headers['if-modified-since'] as string | undefined) ?? null,
      userAgent: req.headers['user-agent'] ?? null,
      n,
    };
    self.hits.push(hit);
    const a = self.route(hit, req);
    const send = (): void => {
      if (res.destroyed) return;
      const headers = Object.fromEntries(Object.entries(a.headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
      res.writeHead(a.status ?? 200, headers);
      res.end(a.body ?? '');
    };
    if (a.delayMs) setTimeout(send, a.delayMs);
    else send();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  self.origin = `http://127.0.0.1:${port}`;
  self.host = `127.0.0.1:${port}`;
  open.add(self);
  return self;
}

/** Gaps between consecutive hits, in ms. */
export function gaps(hits: readonly Hit[]): number[] {
  return hits.slice(1).map((h, i) => h.at - hits[i]!.at);
}
