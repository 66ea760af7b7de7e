import { describe, expect, it } from 'vitest';
import { RECORD_FIELDS, type ScrapeRecord } from '../../src/record/record.js';
import { csvCell, csvFormat } from '../../src/write/formats/csv.js';
import type { RecordFormat } from '../../src/write/formats/format.js';
import { jsonFormat } from '../../src/write/formats/json.js';
import { jsonlFormat } from '../../src/write/formats/jsonl.js';
import { csvObjects, parseCsv } from '../helpers/csv.js';

function record(over: Partial<ScrapeRecord> = {}): ScrapeRecord {
  return {
    url: 'http://a.example/',
    ok: true,
    status: 200,
    finalUrl: 'http://a.example/',
    contentType: 'text/html; charset=utf-8',
    bytes: 1234,
    title: 'A page',
    data: { heading: 'Hello', prices: ['$1', '$2'], missing: null },
    timing: { startMs: 1_700_000_000_000, ttfbMs: 12, totalMs: 20 },
    attempts: 1,
    error: null,
    ...over,
  } as ScrapeRecord;
}

const failed = record({
  url: 'http://b.example/',
  ok: false,
  status: 404,
  title: null,
  bytes: 0,
  data: {},
  error: { code: 'HTTP_STATUS', message: 'HTTP 404, "Not Found"' },
});

function render(format: RecordFormat, records: readonly ScrapeRecord[]): string {
  return format.header() + records.map((r, i) => format.record(r, i)).join('') + format.footer(records.length);
}

describe('jsonl format', () => {
  it('writes one JSON object per line, newline-terminated', () => {
    const text = render(jsonlFormat, [record(), failed]);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([record(), failed]);
  });

  it('writes nothing for no records', () => {
    expect(render(jsonlFormat, [])).toBe('');
  });
});

describe('json format', () => {
  it.each([0, 1, 3])('writes one parseable JSON array for %i records', (n) => {
    const records = Array.from({ length: n }, (_, i) => record({ url: `http://a.example/${i}` }));
    expect(JSON.parse(render(jsonFormat, records))).toEqual(records);
  });

  it('writes [] for no records', () => {
    expect(render(jsonFormat, []).trim()).toBe('[]');
  });
});

describe('csvCell', () => {
  it('writes null and undefined as empty cells', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('writes numbers and booleans as they are', () => {
    expect(csvCell(200)).toBe('200');
    expect(csvCell(false)).toBe('false');
  });

  it('leaves plain text unquoted', () => {
    expect(csvCell('Harbor Street Gazette')).toBe('Harbor Street Gazette');
  });

  it.each([['=1+2'], ['+1+1'], ['-A1'], ['@SUM(A1)'], ['\tx']])('prefixes %j with a quote mark', (text) => {
    expect(csvCell(text)).toBe(`'${text}`);
  });

  it('prefixes and quotes text starting with a carriage return', () => {
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('does not prefix a formula character that is not first', () => {
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('quotes text with a comma', () => {
    expect(csvCell('Fish, Chips')).toBe('"Fish, Chips"');
  });

  it('quotes text with a quote and doubles the quote', () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('quotes text with a line break', () => {
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('JSON-encodes objects and arrays', () => {
    expect(JSON.parse(parseCsv(`${csvCell({ a: [1, 'x,y'] })}\r\n`)[0]![0]!)).toEqual({ a: [1, 'x,y'] });
    expect(JSON.parse(parseCsv(`${csvCell(['a', 'b'])}\r\n`)[0]![0]!)).toEqual(['a', 'b']);
  });

  it('keeps plain numbers as numbers, signs included, and guards everything else that leads with a sign', () => {
    for (const n of ['-12.5', '+3', '-0', '-.5', '1e6', '-2E-3']) expect(csvCell(n), n).toBe(n);
    for (const t of ['-', '+', '-12.5.1', '-1+1', '+A1', '-2,5', '@SUM(A1)', '-cmd|calc']) expect(parseCsv(`${csvCell(t)}\r\n`)[0]![0], t).toBe(`'${t}`);
  });

  it('quotes and prefixes text that needs both', () => {
    expect(parseCsv(`${csvCell('=HYPERLINK("http://x.example","click")')}\r\n`)[0]![0]).toBe(`'=HYPERLINK("http://x.example","click")`);
  });
});

describe('csv format', () => {
  const plain = { links: false, changed: false, selectors: [] };
  const own = RECORD_FIELDS.filter((f) => f !== 'data' && f !== 'links' && f !== 'headers' && f !== 'redirects');

  it('starts with a header row naming the record fields in order, without links or data', () => {
    expect(csvFormat(plain).header()).toBe(`${own.join(',')}\r\n`);
  });

  it('adds a links column, before timing as in JSON, only when links are on; changed only with a cache', () => {
    expect(parseCsv(csvFormat({ ...plain, links: true }).header())[0]).toEqual(RECORD_FIELDS.filter((f) => f !== 'data' && f !== 'headers' && f !== 'redirects'));
    expect(parseCsv(csvFormat({ ...plain, headers: true, redirects: true }).header())[0]).toEqual(RECORD_FIELDS.filter((f) => f !== 'data' && f !== 'links'));
    const withChanged = parseCsv(csvFormat({ ...plain, changed: true }).header())[0]!;
    expect(withChanged.indexOf('changed')).toBe(withChanged.indexOf('timing') - 1);
  });

  it('gives each selector its own data.NAME column after the record\'s own, a list as JSON in its cell', () => {
    const format = csvFormat({ ...plain, selectors: ['heading', 'prices', 'missing'] });
    const { header, rows } = csvObjects(render(format, [record(), failed]));
    expect(header).toEqual([...own, 'data.heading', 'data.prices', 'data.missing']);
    expect(rows[0]).toMatchObject({ 'data.heading': 'Hello', 'data.missing': '' });
    expect(JSON.parse(rows[0]!['data.prices']!)).toEqual(['$1', '$2']);
    expect(rows[1]).toMatchObject({ 'data.heading': '', 'data.prices': '' });
  });

  it('adds redirects and headers columns only when --chain and --headers ask for them', () => {
    expect(parseCsv(csvFormat({ ...plain, links: true, headers: true, redirects: true }).header())[0]).toEqual(RECORD_FIELDS.filter((f) => f !== 'data'));
    expect(parseCsv(csvFormat({ ...plain, redirects: true }).header())[0]).toContain('redirects');
  });

  it('writes one CRLF-terminated row per record with as many cells as the header', () => {
    const text = render(csvFormat({ ...plain, selectors: ['heading'] }), [record(), failed]);
    expect(text.split('\r\n')).toHaveLength(4); // header, 2 rows, empty after the last CRLF
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const { header, rows } = csvObjects(text);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]!)).toEqual(header);
  });

  it('round-trips scalar fields and JSON-encodes nested ones', () => {
    const { rows } = csvObjects(render(csvFormat({ ...plain, links: true }), [record({ links: ['http://a.example/x'] }), failed]));
    expect(rows[0]).toMatchObject({ url: 'http://a.example/', ok: 'true', status: '200', bytes: '1234', title: 'A page', attempts: '1', error: '' });
    expect(JSON.parse(rows[0]!.timing!)).toEqual(record().timing);
    expect(JSON.parse(rows[0]!.links!)).toEqual(['http://a.example/x']);
    expect(JSON.parse(rows[1]!.error!)).toEqual(failed.error);
    expect(rows[1]!.title).toBe('');
  });

  it('writes only the header for no records', () => {
    expect(parseCsv(render(csvFormat(plain), []))).toHaveLength(1);
  });
});
