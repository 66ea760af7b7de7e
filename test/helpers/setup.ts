/** Hooks and small helpers shared by the end-to-end tests. */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { RawOptions } from '../../src/config/options.js';
import { runCli, type Rec, type RunResult } from './run.js';
import { inProcess } from './session.js';
import { startServer, type ServerOptions, type TestServer } from './server.js';

/**
 * A fixture server for the enclosing describe block: one for all its tests, or
 * (each: true) a fresh one per test so hit counters start at zero.
 */
export function useServer(options: ServerOptions & { each?: boolean } = {}): () => TestServer {
  let server: TestServer | undefined;
  const [before, after] = options.each ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    server = await startServer(options);
  });
  after(async () => {
    await server?.close();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error('server not started');
    return server;
  };
}

/** A temporary folder for the enclosing describe block, removed afterwards. */
export function useTmpDir(): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scrape-test-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('tmp dir not created');
    return dir;
  };
}

let listCounter = 0;

/** Write an input list (one line each, LF endings unless `eol` says otherwise) and return its path. */
export function writeList(dir: string, lines: readonly string[], eol = '\n'): string {
  const file = join(dir, `list-${process.pid}-${++listCounter}.txt`);
  writeFileSync(file, lines.join(eol) + eol);
  return file;
}

/** A list template from fixtures/lists/ with `{{origin}}` replaced by the server's origin. */
export function listFromFixture(dir: string, name: string, origin: string): string {
  const text = readFileSync(new URL(`../../fixtures/lists/${name}`, import.meta.url), 'utf8');
  const file = join(dir, `${name}-${++listCounter}`);
  writeFileSync(file, text.replaceAll('{{origin}}', origin));
  return file;
}

/** Exit 2, exactly one non-empty stderr line without a stack trace, nothing on stdout, nothing fetched. */
export function expectUsageError(r: RunResult, server: TestServer): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderrLines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(server.requests).toHaveLength(0);
}

/** Index records by URL; fails on a URL that appears twice. */
export function byUrl<T extends { url: string }>(records: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const r of records) {
    expect(map.has(r.url), `duplicate record for ${r.url}`).toBe(false);
    map.set(r.url, r);
  }
  return map;
}

/**
 * One run for the enclosing describe block over these paths of the server
 * (with --retries 0 unless args say otherwise); returns a lookup of records by path.
 */
export function useRun(server: () => TestServer, paths: readonly string[], args: readonly string[] = []): (path: string) => Rec {
  let records: Map<string, Rec> | undefined;
  beforeAll(async () => {
    const r = await runCli(['--retries', '0', ...args], { stdin: paths.map(server().url).join('\n') });
    records = byUrl(r.records);
  });
  return (path) => {
    const rec = records?.get(server().url(path));
    if (!rec) throw new Error(`no record for ${path}`);
    return rec;
  };
}

/**
 * useRun without the process: one in-process session for the enclosing describe
 * block over these paths of the server (retries '0' unless options say
 * otherwise); returns a lookup of records by path.
 */
export function useSessionRun(server: () => TestServer, paths: readonly string[], options: RawOptions = {}): (path: string) => Rec {
  let records: Map<string, Rec> | undefined;
  beforeAll(async () => {
    const r = await inProcess({ options: { retries: '0', ...options }, stdin: paths.map(server().url).join('\n') });
    records = byUrl(r.records);
  });
  return (path) => {
    const rec = records?.get(server().url(path));
    if (!rec) throw new Error(`no record for ${path}`);
    return rec;
  };
}
