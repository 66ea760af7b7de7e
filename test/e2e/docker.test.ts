/**
 * Issue 14: the README's Kubernetes recipe runs the image built from this
 * repository's Dockerfile, not `npx` of a registry name. Builds it where docker
 * can (a daemon, and the node:24-slim base image pullable); elsewhere each test
 * is skipped at run time with the reason.
 */
import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { COMPILERS } from '../helpers/install.js';
import { packageVersion, parseRecords, ROOT } from '../helpers/run.js';
import { useServer } from '../helpers/setup.js';

const BASE = 'node:24-slim';
const IMAGE = `scrapeline-test:${process.pid}`;

function docker(args: string[], timeout = 60_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? '', stderr: r.error ? r.error.message : (r.stderr ?? '') };
}

/** Why docker cannot build the image here, or null when it can. */
function unusable(): string | null {
  const info = docker(['info', '--format', '{{.ServerVersion}}'], 15_000);
  if (info.status !== 0) return `docker is not usable here: ${(info.stderr.trim().split('\n').at(-1) ?? '').slice(0, 200)}`;
  if (docker(['image', 'inspect', BASE]).status === 0) return null;
  const pull = docker(['pull', BASE], 300_000);
  return pull.status === 0 ? null : `cannot pull ${BASE}: ${(pull.stderr.trim().split('\n').at(-1) ?? '').slice(0, 200)}`;
}

describe('the Dockerfile', () => {
  const server = useServer();
  let skipped: string | null = null;

  beforeAll(() => {
    skipped = unusable();
    if (skipped) {
      console.warn(`test/e2e/docker.test.ts: skipped: ${skipped}`);
      return;
    }
    const build = docker(['build', '-t', IMAGE, ROOT], 600_000);
    expect(build.status, build.stderr.slice(-3000)).toBe(0);
  }, 900_000);

  afterAll(() => {
    if (!skipped) docker(['image', 'rm', '-f', IMAGE]);
  });

  const needsDocker = (ctx: TestContext): void => {
    if (skipped) ctx.skip(skipped);
  };

  it('runs scrape as its entry point', (ctx) => {
    needsDocker(ctx);
    const r = docker(['run', '--rm', IMAGE, '--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${packageVersion()}\n`);
  });

  it('runs as a non-root user, with no compiler in the image', (ctx) => {
    needsDocker(ctx);
    const uid = docker(['run', '--rm', '--entrypoint', 'id', IMAGE, '-u']);
    expect(uid.stdout.trim()).not.toBe('0');
    const found = docker(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', `for t in ${COMPILERS.join(' ')}; do command -v "$t"; done; true`]);
    expect(found.stdout.trim()).toBe('');
  });

  it('scrapes a server on 127.0.0.1 (host network), --cache-dir included', async (ctx) => {
    needsDocker(ctx);
    const url = server().url('/articles/first.html');
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        'docker',
        ['run', '--rm', '-i', '--network', 'host', IMAGE, '--cache-dir', '/tmp/cache', '-'],
        { timeout: 120_000 },
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
      );
      child.stdin?.end(`${url}\n`);
    });
    expect(parseRecords(stdout).map((r) => [r.url, r.ok, r.changed])).toEqual([[url, true, true]]);
  });
});
