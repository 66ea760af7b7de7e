import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Io } from '../platform/io.js';
import { EXIT, exitStatus } from '../session/exit-status.js';
import { buildConfig } from '../config/resolve.js';
import { runSession } from '../session/session.js';
import { UsageError } from '../config/usage-error.js';

const SITE = fileURLToPath(new URL('../../fixtures/site/', import.meta.url));
// No charset on HTML: each page's own declaration (BOM, <meta charset>) decides,
// except the pages that, like many real servers, name it only in the header.
const TYPES: Record<string, string> = { '.html': 'text/html', '.txt': 'text/plain', '.json': 'application/json' };
const HEADER_CHARSETS = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../fixtures/site-charsets.json', import.meta.url)), 'utf8'),
) as Record<string, string>;
// Enough pages that concurrency visibly pays off against the sequential baseline.
const CATALOGUE_PAGES = 24;

/** A static server for fixtures/site on 127.0.0.1 with a fixed delay per response. */
function serveFixtures(latencyMs: number): Promise<{ server: Server; base: string; pages: string[] }> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(SITE, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(`/${relative(SITE, full).split(sep).join('/')}`, readFileSync(full));
  }
  const pages = [...files.keys()].filter((p) => p.endsWith('.html'));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = files.get(path === '/' ? '/index.html' : path);
    setTimeout(() => {
      if (!body) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      const charset = HEADER_CHARSETS[path];
      const type = (TYPES[extname(path)] ?? 'application/octet-stream') + (charset ? `; charset=${charset}` : '');
      res.writeHead(200, { 'content-type': type }).end(body);
    }, latencyMs);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}`, pages });
    });
  });
}

/**
 * `scrape demo`: the real pipeline against the bundled site, with --compare, so
 * a new user sees records and the speedup without touching the internet. The
 * list deliberately holds a missing page and a malformed line: their error
 * records are part of what the demo shows, so the demo itself exits 0.
 */
export async function demo(raw: { latency?: string }, io: Io): Promise<number> {
  const latency = raw.latency === undefined ? 100 : Number(raw.latency);
  if (!/^\d+$/.test(String(raw.latency ?? '100')) || latency > 10_000) {
    throw new UsageError(`--latency must be a whole number of milliseconds up to 10000, got "${raw.latency}"`);
  }
  const { server, base, pages } = await serveFixtures(latency);
  try {
    const product = pages.find((p) => p.includes('product')) ?? pages[0] ?? '/index.html';
    const list = [
      '# scrape demo: the bundled fixture site, served on 127.0.0.1',
      ...pages.map((p) => `${base}${p}`),
      ...Array.from({ length: CATALOGUE_PAGES }, (_, i) => `${base}${product}?page=${i + 1}`),
      `${base}/index.html#duplicate-after-normalisation`,
      `${base}/missing-page.html`,
      'not-a-url',
    ];
    io.stderr.write(`scrape demo: serving fixtures/site at ${base} with ${latency} ms latency; ${list.length - 1} lines\n`);
    const config = buildConfig(['-'], {
      concurrency: '8',
      perHost: '8',
      select: ['h1=h1', 'price=.price', 'images[]=img@src'],
      compare: true,
      timeout: '5000',
      retries: '0',
    });
    const outcome = await runSession(config, { io: { ...io, stdin: Readable.from(list.map((l) => `${l}\n`)) } });
    // The list's failures are on purpose; a signal or a failed output still counts.
    const code = exitStatus(outcome);
    return code === EXIT.FAILED ? EXIT.OK : code;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
