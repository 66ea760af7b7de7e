/**
 * The fixture server every end-to-end test talks to: node:http on 127.0.0.1,
 * port 0, serving fixtures/site/ plus scripted routes. It records every request
 * (path, headers, time) and how many were in flight at once, so tests assert on
 * what the scraper actually did on the wire rather than on what it reports.
 *
 * Scripted routes (query parameters in brackets):
 *   /robots.txt                 the `robots` option (default: Disallow /private/); null → 404
 *   /status/:code               that status, a small HTML page titled "Status :code"
 *   /redirect/:n[?to=PATH]      n 302 hops, then Location: `to` (default /articles/first.html)
 *   /redirect-loop              302 to itself, forever
 *   /slow[?ms=200]              waits, then an HTML page titled "Slow"
 *   /drip[?ms=1000&chunks=10]   headers at once, then the body in chunks spread over ms
 *   /hang                       never answers
 *   /reset                      destroys the connection without a response
 *   /flaky[?fails=2&status=503&retryAfter=0]
 *                               the first `fails` hits of this exact URL get `status`
 *                               (with Retry-After unless retryAfter=none), then 200
 *   /big[?bytes=1000&chunked=1] a text/html body of exactly `bytes` bytes
 *   /page[?title=&h1=]          HTML with that title and h1 (for CSV quoting tests)
 *   /misnested                  an <a> across a <p>, which the HTML Standard's adoption agency
 *                               splits in two (links ["one", "two"]): only the DOM path answers it
 *   /gzip                       articles/first.html, gzip-encoded when the client accepts it
 *   /json, /text                non-HTML bodies
 *   /encoding/cp1251.html, /encoding/sjis.html
 *                               static files whose charset is given only by Content-Type
 * Static files are served as `text/html` with no charset, so a page's own
 * declaration (BOM, <meta charset>) is what decides its encoding.
 */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const SITE_DIR = fileURLToPath(new URL('../../fixtures/site/', import.meta.url));

export const DEFAULT_ROBOTS = 'User-agent: *\nDisallow: /private/\n';

/** Pages whose charset only the Content-Type header names (shared with `scrape demo`). */
export const HEADER_CHARSETS: Readonly<Record<string, string>> = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../fixtures/site-charsets.json', import.meta.url)), 'utf8'),
);

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.css': 'text/css',
};

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/slow?ms=200&i=3`. */
  url: string;
  pathname: string;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
  /** Date.now() when the whole response had been handed to the socket; null while pending or if aborted. */
  finishedAt: number | null;
}

export interface ServerOptions {
  /** Body of /robots.txt; null answers 404. */
  robots?: string | null;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Absolute URL for a path on this server. */
  url(path: string): string;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** How many requests arrived for this exact path+query (`/slow?ms=5`) or, without `?`, this pathname. */
  hits(path: string): number;
  /** Requests currently being answered. */
  readonly inFlight: number;
  /** The most requests ever answered at the same time. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

function html(title: string, body = ''): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body>${body}</body></html>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sendHtml(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': buf.length, ...extra });
  res.end(buf);
}

function int(value: string | null, fallback: number): number {
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const robots = options.robots === undefined ? DEFAULT_ROBOTS : options.robots;
  const requests: RecordedRequest[] = [];
  const hitCounts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;

  /** setTimeout that is cancelled when the client goes away or the server closes. */
  function later(res: ServerResponse, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) fn();
    }, ms);
    timers.add(t);
    res.on('close', () => {
      clearTimeout(t);
      timers.delete(t);
    });
  }

  async function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rel = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^[/\\]+/, '');
    const file = join(SITE_DIR, rel);
    if (!file.startsWith(SITE_DIR) || rel.split(sep).includes('..')) return sendHtml(res, 403, html('Forbidden'));
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      return sendHtml(res, 404, html('Not found'));
    }
    const body = await readFile(file);
    const charset = HEADER_CHARSETS[pathname];
    const type = (TYPES[extname(file)] ?? 'application/octet-stream') + (charset ? `; charset=${charset}` : '');
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = u.searchParams;
    const path = u.pathname;
    let m: RegExpExecArray | null;

    if (path === '/robots.txt') {
      if (robots === null) return sendHtml(res, 404, html('Not found'));
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end(robots);
    }
    m = /^\/status\/(\d{3})$/.exec(path);
    if (m) {
      const code = Number(m[1]);
      return sendHtml(res, code, code === 204 || code === 304 ? '' : html(`Status ${code}`));
    }
    m = /^\/redirect\/(\d+)$/.exec(path);
    if (m) {
      const n = Number(m[1]);
      const to = q.get('to') ?? '/articles/first.html';
      const next = n <= 1 ? to : `/redirect/${n - 1}${u.search}`;
      res.writeHead(302, { location: next, 'content-length': 0 });
      return void res.end();
    }
    if (path === '/redirect-loop') {
      res.writeHead(302, { location: '/redirect-loop', 'content-length': 0 });
      return void res.end();
    }
    if (path === '/slow') {
      return later(res, int(q.get('ms'), 200), () => sendHtml(res, 200, html('Slow', `<p>${escapeHtml(u.search)}</p>`)));
    }
    if (path === '/drip') {
      const ms = int(q.get('ms'), 1000);
      const chunks = Math.max(1, int(q.get('chunks'), 10));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.write('<!DOCTYPE html><html><head><title>Drip</title></head><body>\n');
      let sent = 0;
      const step = (): void =>
        later(res, ms / chunks, () => {
          sent++;
          if (sent < chunks) {
            res.write(`<p>chunk ${sent}</p>\n`);
            step();
          } else res.end('</body></html>\n');
        });
      return step();
    }
    if (path === '/hang') return; // never answers; closed by the client or by close()
    if (path === '/reset') return void req.socket.destroy();
    if (path === '/flaky') {
      const fails = int(q.get('fails'), 2);
      const status = int(q.get('status'), 503);
      const retryAfter = q.get('retryAfter') ?? '0';
      if ((hitCounts.get(req.url ?? '') ?? 0) <= fails) {
        return sendHtml(res, status, html(`Failing with ${status}`), retryAfter === 'none' ? {} : { 'retry-after': retryAfter });
      }
      return sendHtml(res, 200, html('Recovered'));
    }
    if (path === '/big') {
      const bytes = int(q.get('bytes'), 1000);
      const chunked = q.get('chunked') === '1';
      res.writeHead(200, { 'content-type': 'text/html', ...(chunked ? {} : { 'content-length': bytes }) });
      const piece = Buffer.alloc(Math.min(bytes, 64 * 1024), 'x');
      let left = bytes;
      while (left > 0) {
        const n = Math.min(left, piece.length);
        res.write(n === piece.length ? piece : piece.subarray(0, n));
        left -= n;
      }
      return void res.end();
    }
    if (path === '/page') {
      const title = escapeHtml(q.get('title') ?? 'Page');
      return sendHtml(res, 200, html(title, `<h1>${escapeHtml(q.get('h1') ?? '')}</h1>`));
    }
    if (path === '/misnested') {
      return sendHtml(res, 200, html('Misnested', '<a href="/1">one<p>two</a>three</p>'));
    }
    if (path === '/gzip') {
      const body = await readFile(join(SITE_DIR, 'articles/first.html'));
      const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const out = accepts ? gzipSync(body) : body;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': out.length,
        ...(accepts ? { 'content-encoding': 'gzip' } : {}),
        vary: 'accept-encoding',
      });
      return void res.end(out);
    }
    if (path === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ title: 'not an html title', items: [1, 2, 3] }));
    }
    if (path === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('<title>Plain text is not HTML</title>\n');
    }
    return serveStatic(path, req, res);
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const pathname = new URL(url, 'http://127.0.0.1').pathname;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', url, pathname, headers: req.headers, at: Date.now(), finishedAt: null };
    requests.push(recorded);
    res.on('finish', () => (recorded.finishedAt = Date.now()));
    hitCounts.set(url, (hitCounts.get(url) ?? 0) + 1);
    if (url !== pathname) hitCounts.set(pathname, (hitCounts.get(pathname) ?? 0) + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendHtml(res, 500, html('Server error', escapeHtml(String(err))));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  const { port, origin } = await listenOnLoopback(server);

  return {
    origin,
    port,
    url: (path) => origin + path,
    requests,
    hits: (path) => hitCounts.get(path) ?? 0,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A 127.0.0.1 port that nothing listens on: bound, then released. */
/** Listen on 127.0.0.1 on a free port; tests never reach beyond loopback. */
/**
 * The sockets of a test server (and any it opens itself, as a proxy's
 * upstreams), so closing it ends them at once instead of waiting out keep-alive.
 */
export function socketTracker(): { track(socket: Socket): void; close(server: { close(cb: () => void): unknown }): Promise<void> } {
  const sockets = new Set<Socket>();
  return {
    track(socket) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    },
    close: (server) =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function listenOnLoopback(server: Server): Promise<{ port: number; origin: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return { port, origin: `http://127.0.0.1:${port}` };
}

export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
