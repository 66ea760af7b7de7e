import type { AnyRow } from './option-row.js';
import { HELP_FLAG, ROWS, VERSION_FLAG } from './options.js';

/**
 * The README's Options table, written from the option table so the two cannot
 * disagree: `npm run docs:options` puts it between the markers below, and
 * test/config/readme-options.test.ts fails when the README is out of date.
 * Never loaded by a run.
 */
export const README_MARKERS = {
  start: '<!-- options:start (generated from src/config/options.ts by `npm run docs:options`; edit there) -->',
  end: '<!-- options:end -->',
} as const;

/** A default as the README shows it: sizes and counts plain, words as code. */
function defaultCell(row: AnyRow): string {
  if (row.readme?.default !== undefined) return row.readme.default;
  if (row.kind === 'boolean') return row.default ? 'on' : 'off';
  if (row.kind === 'strings') return '';
  if (row.default === undefined) return 'none';
  return /^\d+[KMG]?$/.test(String(row.default)) ? String(row.default) : `\`${String(row.default)}\``;
}

/** The flags as the README writes them: `-c, --concurrency N`. */
function flagCell(row: { short?: string; long: string; value?: string; readme?: { value?: string; text?: string } }): string {
  const value = row.readme?.value ?? row.value?.toUpperCase();
  return `\`${row.short === undefined ? '' : `-${row.short}, `}--${row.long}${value === undefined ? '' : ` ${value}`}\``;
}

/** One table row; a `|` inside a cell would end it. */
const tableRow = (cells: readonly string[]): string => `|${cells.map((c) => (c === '' ? ' ' : ` ${c.replaceAll('|', '\\|')} `)).join('|')}|`;

/** The markdown table, header to last row, without the markers. */
export function optionsTableMarkdown(): string {
  const rows = ROWS.map(([, row]) => [flagCell(row), defaultCell(row), row.readme?.text ?? row.help]);
  for (const flag of [VERSION_FLAG, HELP_FLAG]) rows.push([flagCell(flag), '', 'readme' in flag ? flag.readme.text : flag.help]);
  return ['| option | default | meaning |', '|---|---|---|', ...rows.map(tableRow)].join('\n');
}

/** `readme` with the block between the markers replaced by the table of today; throws when a marker is missing. */
export function withOptionsTable(readme: string): string {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) throw new Error(`README.md: the Options markers are missing (${README_MARKERS.start} … ${README_MARKERS.end})`);
  return `${readme.slice(0, start + README_MARKERS.start.length)}\n\n${optionsTableMarkdown()}\n\n${readme.slice(end)}`;
}
