import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataValue } from '../record/record.js';
import { openSqlite } from './sqlite.js';

/** What one URL looked like the last time it was fetched whole (a 2xx with a body). */
export interface CachedPage {
  etag: string | null;
  lastModified: string | null;
  /** SHA-256 of the decoded body, hex. */
  bodyHash: string;
  /** The extraction settings the stored fields were made with (see shapeKey). */
  shape: string;
  contentType: string | null;
  /** The extracted fields; data is null when the page was not HTML (nothing was extracted). */
  title: string | null;
  data: Record<string, DataValue> | null;
  links: string[] | null;
  /** Epoch ms of the fetch. */
  fetchedAt: number;
}

/** The store behind --cache-dir: one row per URL. */
export interface PageCache {
  get(url: string): CachedPage | null;
  put(url: string, page: CachedPage): void;
  close(): void;
}

export const CACHE_FILE = 'pages.sqlite';
/** Bumped when the table changes; a cache from a newer scrape is refused rather than misread. */
const SCHEMA_VERSION = 1;

interface Row {
  etag: string | null;
  last_modified: string | null;
  body_hash: string;
  shape: string;
  content_type: string | null;
  title: string | null;
  data: string;
  links: string | null;
  fetched_at: number;
}

/**
 * SQLite (node:sqlite or better-sqlite3, whichever this runtime has: sqlite.ts): a real embedded store, so a run killed at any
 * moment (SIGKILL included) leaves a readable cache. WAL mode makes each row a
 * small append that a crash either has or has not; synchronous=NORMAL skips the
 * fsync per row (a power cut may lose the last rows, which only costs a full
 * fetch next time), and the WAL is replayed on the next open.
 */
export function openPageCache(dir: string): PageCache {
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(join(dir, CACHE_FILE));
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000');
    const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    if (version > SCHEMA_VERSION) {
      throw new Error(`the cache in "${dir}" was written by a newer scrape (schema ${version}); use another --cache-dir`);
    }
    db.exec(`CREATE TABLE IF NOT EXISTS pages (
      url TEXT PRIMARY KEY,
      etag TEXT,
      last_modified TEXT,
      body_hash TEXT NOT NULL,
      shape TEXT NOT NULL,
      content_type TEXT,
      title TEXT,
      data TEXT NOT NULL,
      links TEXT,
      fetched_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  } catch (err) {
    db.close();
    throw err;
  }
  const select = db.prepare(
    'SELECT etag, last_modified, body_hash, shape, content_type, title, data, links, fetched_at FROM pages WHERE url = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO pages (url, etag, last_modified, body_hash, shape, content_type, title, data, links, fetched_at)
     VALUES (@url, @etag, @lastModified, @bodyHash, @shape, @contentType, @title, @data, @links, @fetchedAt)
     ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
       body_hash = excluded.body_hash, shape = excluded.shape, content_type = excluded.content_type,
       title = excluded.title, data = excluded.data, links = excluded.links, fetched_at = excluded.fetched_at`,
  );
  let open = true;
  return {
    get(url) {
      const row = select.get(url) as Row | undefined;
      if (!row) return null;
      return {
        etag: row.etag,
        lastModified: row.last_modified,
        bodyHash: row.body_hash,
        shape: row.shape,
        contentType: row.content_type,
        title: row.title,
        data: JSON.parse(row.data) as Record<string, DataValue> | null,
        links: row.links === null ? null : (JSON.parse(row.links) as string[]),
        fetchedAt: row.fetched_at,
      };
    },
    put(url, page) {
      upsert.run({
        url,
        etag: page.etag,
        lastModified: page.lastModified,
        bodyHash: page.bodyHash,
        shape: page.shape,
        contentType: page.contentType,
        title: page.title,
        data: JSON.stringify(page.data),
        links: page.links === null ? null : JSON.stringify(page.links),
        fetchedAt: page.fetchedAt,
      });
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}
