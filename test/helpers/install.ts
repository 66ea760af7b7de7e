/**
 * The package as a user gets it: `npm pack` of this checkout (dist/ must be
 * built: `npm test` builds it first), installed with npm into a fresh folder.
 *
 *   const app = installPacked(dir, { hideCompiler: true });
 *   spawnSync(app.bin('scrape'), ['--version'], { env: app.env });
 *
 * hideCompiler runs npm with CC=false CXX=false and a PATH that holds only
 * node, npm and a shell (symlinks in DIR/path), so no native module can build:
 * what a machine without a C compiler sees.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT } from './run.js';

/** Tools that would let a native addon build; none may be on the hidden PATH. */
export const COMPILERS = ['cc', 'gcc', 'g++', 'c++', 'clang', 'make'] as const;

export interface InstalledApp {
  /** The folder with package.json and node_modules/. */
  dir: string;
  /** The environment the install ran with (the hidden PATH when hideCompiler). */
  env: NodeJS.ProcessEnv;
  /** node_modules/.bin/NAME. */
  bin(name: string): string;
  /** What npm printed. */
  log: string;
}

/** First match for `name` on PATH, or null. */
export function which(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * npm's own settings leak into a script's environment (npm_config_prefix,
 * npm_config_global…) and would redirect a nested `npm install`; keep only the
 * ones that say where the registry and the cache are.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())));
}

/** A PATH folder holding only the tools an install needs; node is the one running the tests (so test:node installs with that version). */
function hiddenCompilerPath(dir: string): string {
  const bin = join(dir, 'path');
  mkdirSync(bin, { recursive: true });
  const tools: Record<string, string | null> = { node: process.execPath, npm: which('npm'), npx: which('npx'), sh: which('sh'), env: which('env') };
  for (const [name, target] of Object.entries(tools)) {
    if (!target) throw new Error(`${name} is not on PATH`);
    if (!existsSync(join(bin, name))) symlinkSync(target, join(bin, name));
  }
  return bin;
}

export function packTarball(dest: string): string {
  // --ignore-scripts: `prepare` would rebuild dist/, which the caller has just built.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dest], {
    cwd: ROOT,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  return join(dest, out.trim().split('\n').at(-1) as string);
}

export function installPacked(dir: string, options: { hideCompiler?: boolean } = {}): InstalledApp {
  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  const tarball = packTarball(dir);
  const env: NodeJS.ProcessEnv = options.hideCompiler
    ? { ...cleanEnv(), PATH: hiddenCompilerPath(dir), CC: 'false', CXX: 'false' }
    : cleanEnv();
  // --prefer-offline: the packages are in npm's cache after `npm ci`; the registry is asked only for what is not.
  const log = execFileSync('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { dir: app, env, bin: (name) => join(app, 'node_modules', '.bin', name), log };
}
