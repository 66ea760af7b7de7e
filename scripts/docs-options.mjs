// `npm run docs:options`: rewrites README.md's Options table from the option
// table (src/config/options.ts), through the build in dist/.
// test/config/readme-options.test.ts fails until this has been run after a change.
import { readFileSync, writeFileSync } from 'node:fs';
import { withOptionsTable } from '../dist/config/options-readme.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withOptionsTable(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(`README.md Options table: ${after === before ? 'up to date' : 'rewritten'}\n`);
