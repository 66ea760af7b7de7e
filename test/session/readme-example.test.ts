/**
 * README "Use it from code": its example runs as written, as a user's own
 * module that imports the package by name (resolved through package.json's
 * `exports`), with URLs of the fixture server on stdin.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ robots: null });
});
afterAll(() => server.close());

/** The js block after the README's library-example marker. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- library-example[^>]*-->\n```js\n([\s\S]*?)\n```/.exec(readme);
  if (!match) throw new Error('README has no library-example block');
  return match[1]!;
}

it('the README example prints each page and the summary', async () => {
  // Inside the package's folder, so its name resolves to this package, as after `npm install`.
  const dir = mkdtempSync(join(ROOT, '.scratch-example-'));
  try {
    const file = join(dir, 'titles.mjs');
    writeFileSync(file, readmeExample());
    const urls = [server.url('/page?title=One&h1=First'), server.url('/page?title=Two&h1=Second'), server.url('/status/404')];
    // Spawned, not spawnSync: the server lives in this process and must keep answering.
    const child = spawn(process.execPath, [file], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(`${urls.join('\n')}\n`);
    // It must also end by itself: no socket or timer of the run keeps the process alive.
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual([`${urls[0]} One First`, `${urls[1]} Two Second`]);
    expect(stderr).toContain(`${urls[2]} HTTP_STATUS`);
    expect(stderr).toMatch(/2 of 3 ok, p95 \d+ ms/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
