#!/usr/bin/env node
// npm run test:node -- 24 [vitest args…]
//
// Runs the test suite under another major version of Node, fetched from the npm
// registry (the `node-<platform>-<arch>` packages carry the official binaries),
// so a machine with only Node 20 can check 22 and 24 too. The build, type-check
// and lint stay on the host Node: they produce the same dist/ on every version;
// only vitest and everything it spawns run on the fetched one.
//
// The binary is kept in .cache/node-VERSION/ (gitignored), so a second run is offline.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [major, ...vitestArgs] = process.argv.slice(2);
if (!/^\d+$/.test(major ?? '')) {
  console.error('usage: npm run test:node -- MAJOR [vitest args...]   e.g. npm run test:node -- 24');
  process.exit(2);
}

const pkg = `node-${process.platform}-${process.arch}`;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmOut = (args) => execFileSync(npm, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** The newest published version of that major: a cached one is used only if it is still the newest, so answers are reproducible per version. */
function newest() {
  const cached = existsSync(join(root, '.cache'))
    ? readdirSync(join(root, '.cache')).filter((d) => d.startsWith(`node-${major}.`)).map((d) => d.slice('node-'.length))
    : [];
  try {
    const listed = JSON.parse(npmOut(['view', `${pkg}@${major}`, 'version', '--json']));
    const versions = Array.isArray(listed) ? listed : [listed];
    return versions.sort(byVersion).at(-1);
  } catch (err) {
    // Offline: a version fetched before will do.
    if (cached.length > 0) return cached.sort(byVersion).at(-1);
    throw err;
  }
}

function byVersion(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** .cache/node-VERSION/bin/node, unpacked from the registry's tarball on first use. */
function fetchNode(version) {
  const dir = join(root, '.cache', `node-${version}`);
  const bin = join(dir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (existsSync(bin)) return bin;
  const work = mkdtempSync(join(tmpdir(), 'scrape-node-'));
  try {
    console.error(`test:node: fetching ${pkg}@${version} from the npm registry`);
    const tgz = npmOut(['pack', `${pkg}@${version}`, '--pack-destination', work, '--silent']).trim().split('\n').at(-1);
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work]);
    mkdirSync(dirname(dir), { recursive: true });
    // Renamed into place whole, so an interrupted fetch never leaves a half binary that looks cached.
    renameSync(join(work, 'package'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

const version = newest();
const node = fetchNode(version);
console.error(`test:node: running the suite on ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()} (${node})`);

const build = spawnSync(npm, ['run', 'pretest'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// The fetched node first on PATH: tests that spawn `node` or process.execPath get it too.
const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` };
const run = spawnSync(node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...vitestArgs], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
