/** The option table: its rows, the Config they make, and the --help commander builds from them. */
import { PassThrough, Readable } from 'node:stream';
import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  attributeName,
  flagsOf,
  helpText,
  OPTIONS,
  parseOption,
  ROWS,
} from '../../src/config/options.js';
import type { OptionTable } from '../../src/config/option-row.js';
import { buildConfig, DEFAULTS } from '../../src/config/resolve.js';
import { DEFAULT_USER_AGENT } from '../../src/platform/version.js';

const withDefault = ROWS.filter(([, row]) => row.default !== undefined);
const withoutDefault = ROWS.filter(([, row]) => row.default === undefined);

/** `scrape --help`, as a user sees it, with commander's line wrapping undone. */
async function helpOutput(): Promise<string> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const code = await main(['--help'], { stdin: Readable.from([]), stdout, stderr: new PassThrough(), onSignal: () => () => {}, exitNow: () => {} });
  expect(code).toBe(0);
  return text.replace(/\s+/g, ' ');
}

describe('option table', () => {
  it.each(withDefault)('%s: its default, as typed, parses to the Config default', (field, row) => {
    expect(parseOption(row, row.default)).toEqual(DEFAULTS[field]);
  });

  it.each(withoutDefault)('%s: no default is null in Config', (field) => {
    expect(DEFAULTS[field]).toBeNull();
  });

  it('gives a run with no options every default', () => {
    const config = buildConfig([], {});
    for (const [field] of ROWS) {
      if (field === 'headers') expect(config.headers).toEqual({ 'user-agent': DEFAULT_USER_AGENT });
      else expect(config[field], field).toEqual(DEFAULTS[field]);
    }
  });

  it('fills every Config field but the inputs, the grace period and what options resolve to, and no other', () => {
    expect(Object.keys(buildConfig([], {})).sort()).toEqual([...Object.keys(OPTIONS), 'inputs', 'graceMs', 'proxies', 'extraCa'].sort());
    // The same rule at compile time (`tsc -p test`, part of `npm test`):
    const { quiet: _quiet, ...withoutQuiet } = OPTIONS;
    // @ts-expect-error a Config field (quiet) without a row
    const missing: OptionTable = withoutQuiet;
    // @ts-expect-error a row (bogus) without a Config field
    const extra: OptionTable = { ...OPTIONS, bogus: OPTIONS.quiet };
    expect(Object.keys(missing)).not.toContain('quiet');
    expect(Object.keys(extra)).toContain('bogus');
  });

  it('names each raw value as commander does, so a flag and a config-file key land on the same row', () => {
    for (const [, row] of ROWS) expect(new Option(flagsOf(row)).attributeName(), row.long).toBe(attributeName(row.long));
    expect(attributeName('no-robots')).toBe('robots');
    expect(attributeName('retry-max-wait')).toBe('retryMaxWait');
  });

  it('gives every option a long name, and one-letter aliases at most once each', () => {
    const longs = ROWS.map(([, row]) => row.long);
    const shorts = ROWS.flatMap(([, row]) => (row.short === undefined ? [] : [row.short]));
    expect(new Set(longs).size).toBe(longs.length);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(shorts.every((s) => s.length === 1)).toBe(true);
  });
});

describe('--help', () => {
  it('shows every option with its flags and help, in table order', async () => {
    const help = await helpOutput();
    let from = 0;
    for (const [, row] of ROWS) {
      const at = help.indexOf(`${flagsOf(row)} ${helpText(row)}`, from);
      expect(at, flagsOf(row)).toBeGreaterThan(from);
      from = at;
    }
  });

  it.each(withDefault.filter(([, row]) => typeof row.default === 'string'))('mentions the default of %s', async (_field, row) => {
    const shown = /\s/.test(String(row.default)) ? `"${String(row.default)}"` : String(row.default);
    expect(await helpOutput()).toContain(`(default ${shown}`);
  });

  it('keeps the wording of the defaults it had', async () => {
    const help = await helpOutput();
    expect(help).toContain('(default 10M)');
    expect(help).toContain(`(default "${DEFAULT_USER_AGENT}")`);
    expect(help).toContain('(default auto: big pages go to workers)');
    expect(help).toContain('(default: no limit)');
    expect(help).toContain('--no-robots do not fetch or obey robots.txt');
  });
});
