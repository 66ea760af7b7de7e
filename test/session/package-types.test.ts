/**
 * The package's types, as a TypeScript user gets them: fixtures/library/consumer.ts
 * imports the package by name (package.json `exports` → dist/index.d.ts) and
 * is type-checked with the library declarations checked too (no skipLibCheck).
 * It holds a `@ts-expect-error` for a refused option, so a ScrapeOptions that
 * took anything would fail here as well.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

it('a TypeScript consumer type-checks against the exported declarations', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'fixtures/library/tsconfig.json')], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
});
