import { createRequire } from 'node:module';

/** A prepared statement: the part both drivers share that the cache uses. */
export interface SqliteStatement {
  run(...params: unknown[]): unknown;
  /** The first row, or undefined when there is none. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * One open SQLite database. node:sqlite's DatabaseSync and better-sqlite3's
 * Database both have this shape, so the cache is written once against it.
 * Named parameters are written `@name` in SQL and passed as `{ name }`.
 */
export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** Neither driver can be loaded in this runtime: a usage problem the person can fix, so the message says how. */
export class SqliteUnavailable extends Error {
  override name = 'SqliteUnavailable';
}

export const SQLITE_HELP = '--cache-dir needs SQLite: use Node >= 22.13 or npm install better-sqlite3';

type Open = (file: string) => SqliteDatabase;

let driver: Open | null = null;

/**
 * Opens FILE with node:sqlite when the runtime has it without a flag (Node
 * >= 22.13, 23.4), otherwise with better-sqlite3, an optional dependency: it
 * compiles from source where no prebuilt binary fits, so an install without a
 * compiler simply lacks it, and only --cache-dir runs ever load it.
 * Throws SqliteUnavailable when neither loads.
 */
export function openSqlite(file: string): SqliteDatabase {
  driver ??= loadDriver();
  return driver(file);
}

function loadDriver(): Open {
  const builtin = loadNodeSqlite();
  if (builtin) return (file) => new builtin.DatabaseSync(file);
  let BetterSqlite3: new (file: string) => SqliteDatabase;
  try {
    BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Missing is the common case and needs no detail; a build for another Node
    // (ERR_DLOPEN_FAILED, "compiled against a different Node.js version") does.
    const why = code === 'MODULE_NOT_FOUND' ? '' : ` (better-sqlite3: ${String((err as Error).message).split('\n')[0]})`;
    throw new SqliteUnavailable(`${SQLITE_HELP}${why}`);
  }
  return (file) => new BetterSqlite3(file);
}

interface NodeSqlite {
  DatabaseSync: new (file: string) => SqliteDatabase;
}

/**
 * node:sqlite, or undefined on Node 20 and on 22.5–22.12 without
 * --experimental-sqlite (getBuiltinModule answers undefined for a module the
 * runtime keeps behind a flag). Some versions announce it with an
 * ExperimentalWarning on stderr at load; stderr carries our JSON log lines, so
 * that one warning is held back while the module loads (synchronously, so no
 * other warning can fall in the window).
 */
function loadNodeSqlite(): NodeSqlite | undefined {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/\bSQLite\b/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite') as NodeSqlite | undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}
