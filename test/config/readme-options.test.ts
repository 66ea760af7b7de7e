/** README.md's Options table says what the option table says. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnyRow } from '../../src/config/option-row.js';
import { flagName, HELP_FLAG, parseOption, ROWS, VERSION_FLAG } from '../../src/config/options.js';
import { README_MARKERS, withOptionsTable } from '../../src/config/options-readme.js';
import { DEFAULTS } from '../../src/config/resolve.js';
import { VERSION } from '../../src/platform/version.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's Options table as written: flags (long and short) → the default column, backticks removed. */
function readmeOptions(): Map<string, { flags: string[]; default: string }> {
  const section = readme.slice(readme.indexOf('\n## Options\n'), readme.indexOf('\n### ', readme.indexOf('\n## Options\n')));
  const rows = new Map<string, { flags: string[]; default: string }>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const [, flagCell = '', defaultCell = ''] = line.split(/(?<!\\)\|/).map((c) => c.trim());
    // `-c, --concurrency N`: the flags are the words that start with a dash.
    const flags = flagCell.replaceAll('`', '').split(/[\s,]+/).filter((w) => /^--?[A-Za-z]/.test(w));
    const long = flags.find((f) => f.startsWith('--'));
    if (long !== undefined) rows.set(long, { flags, default: defaultCell.replaceAll('`', '') });
  }
  return rows;
}

const tableFlags = (row: { readonly short?: string; readonly long: string }): string[] =>
  row.short === undefined ? [`--${row.long}`] : [`-${row.short}`, `--${row.long}`];

describe('README Options table', () => {
  const documented = readmeOptions();

  it('is the one `npm run docs:options` writes from the option table', () => {
    expect(readme).toContain(README_MARKERS.start);
    expect(withOptionsTable(readme) === readme, 'README.md is out of date: run `npm run docs:options`').toBe(true);
  });

  it('lists exactly the options of the table, with the same short aliases', () => {
    const expected = [...ROWS.map(([, row]) => row), VERSION_FLAG, HELP_FLAG].map(tableFlags);
    expect([...documented.values()].map((r) => r.flags).sort()).toEqual(expected.sort());
  });

  it.each(ROWS.filter(([, row]) => typeof row.default === 'string'))('shows the default of %s, and it parses to the default', (field, row) => {
    const shown = documented.get(flagName(row))!.default.replace('<version>', VERSION);
    expect(shown).toBe(row.default);
    expect(parseOption(row, shown)).toEqual(DEFAULTS[field]);
  });

  it.each(ROWS.filter(([, row]) => typeof row.default !== 'string'))('shows %s as not set by default', (field, row: AnyRow) => {
    const shown = documented.get(flagName(row))!.default;
    if (row.kind === 'boolean') {
      // A switch is off unless given; --no-robots is the one whose absence leaves something on.
      expect(DEFAULTS[field]).toBe(row.long.startsWith('no-'));
      expect(shown).toBe(row.long.startsWith('no-') ? 'robots obeyed' : 'off');
    } else if (row.kind === 'strings') {
      expect(shown).toBe('');
    } else {
      expect(DEFAULTS[field]).toBeNull();
      // --proxy unset leaves the choice to HTTP_PROXY and the rest; --state-dir unset is a folder of the run's own.
      expect(['none', 'stdout', 'no limit', 'from the environment', 'a temporary folder']).toContain(shown);
    }
  });
});
