/**
 * The html5lib-tests encoding suite (encoding/tests1.dat, tests2.dat and
 * test-yahoo-jp.dat in github.com/html5lib/html5lib-tests), written here as
 * our own rows: the bytes of each document and the encoding a browser settles
 * on after parsing it. Long comments are built rather than spelled out. Labels
 * follow the current files (iso8859-2, euc-jp); encoding/preparsed/tests1.dat
 * names the seven cases (a <meta charset> past the first 1024 bytes) where the
 * 1 KiB prescan alone gives the default instead: src/parse/decode.ts follows
 * the HTML Standard's "change the encoding" for those.
 *
 * The suite assumes the HTML Standard's default, windows-1252, for a document
 * that declares nothing, so these rows sniff with that default; scrape's own
 * default is UTF-8 (README, "HTML is decoded by its declared charset").
 */
import { describe, expect, it } from 'vitest';
import { htmlEncoding } from '../../src/parse/decode.js';

const BOM = '\uFEFF';

/** `<!-- N characters xxx…-->`: the comment's first N characters, the last one a `z` where the file marks a boundary. */
function comment(n: number, last = 'x'): string {
  const head = `<!-- ${n} characters `;
  return `${head}${'x'.repeat(n - head.length - 1)}${last}-->`;
}

type Row = readonly [name: string, document: string, encoding: string];

// encoding/tests1.dat
const tests1: Row[] = [
  ['control: nothing declared', '<!DOCTYPE HTML>\n<!-- (control test - for the other tests to work, this should pass - you may have to set your defaults appropriately) -->', 'windows-1252'],
  ['ISO-8859-1 is windows-1252', '<!DOCTYPE HTML>\n<meta charset="ISO-8859-1">', 'windows-1252'],
  ['charset, double quotes', '<!DOCTYPE HTML>\n<meta charset="iso8859-2">', 'iso-8859-2'],
  ['charset, single quotes', "<!DOCTYPE HTML>\n<meta charset='iso8859-2'>", 'iso-8859-2'],
  ['charset, unquoted', '<!DOCTYPE HTML>\n<meta charset=iso8859-2>', 'iso-8859-2'],
  ['charset after a newline', '<!DOCTYPE HTML>\n<meta\ncharset=iso8859-2>', 'iso-8859-2'],
  ['<metacharset> is no meta', '<!DOCTYPE HTML>\n<metacharset=iso8859-2>', 'windows-1252'],
  ['http-equiv then content', '<!DOCTYPE HTML>\n<meta http-equiv="Content-Type" content="text/html; charset=iso8859-2">\n<!-- XXX this is a tough one, not sure how to do this one, unless we explictly do content= processing -->', 'iso-8859-2'],
  ['content then http-equiv', '<!DOCTYPE HTML>\n<meta content="text/html; charset=iso8859-2" http-equiv="Content-Type">\n<!-- XXX this is a tough one, not sure how to do this one, unless we explictly do content= processing -->', 'iso-8859-2'],
  ['content unquoted', '<!DOCTYPE HTML>\n<meta http-equiv="Content-Type" content=text/html; charset=iso8859-2>', 'iso-8859-2'],
  ['http-equiv quote left open', '<!DOCTYPE HTML>\n<meta http-equiv="Content-Type content="text/html; charset=iso8859-2">', 'windows-1252'],
  ['"Content-Type " is not Content-Type', '<!DOCTYPE HTML>\n<meta http-equiv="Content-Type " content="text/html; charset=iso8859-2">', 'windows-1252'],
  ['"Content-Type " after content', '<!DOCTYPE HTML>\n<meta content="text/html; charset=iso8859-2" http-equiv="Content-Type ">', 'windows-1252'],
  ['"Content-Type>" is not Content-Type', '<!DOCTYPE HTML>\n<meta http-equiv="Content-Type>" content="text/html; charset=iso8859-2">', 'windows-1252'],
  ['"Content-Type>" after content', '<!DOCTYPE HTML>\n<meta content="text/html; charset=iso8859-2" http-equiv="Content-Type>">', 'windows-1252'],
  ['Content-Style-Type', '<!DOCTYPE HTML>\n<meta http-equiv="Content-Style-Type" content="text/html; charset=iso8859-2">', 'windows-1252'],
  ['Content-Style-Type after content', '<!DOCTYPE HTML>\n<meta content="text/html; charset=iso8859-2" http-equiv="Content-Style-Type">', 'windows-1252'],
  ['name, not http-equiv', '<!DOCTYPE HTML>\n<meta name="Content-Style-Type" content="text/html; charset=iso8859-2">', 'windows-1252'],
  ['name after content', '<!DOCTYPE HTML>\n<meta content="text/html; charset=iso8859-2" name="Content-Style-Type">', 'windows-1252'],
  ['content alone', '<!DOCTYPE HTML>\n<meta content="text/html; charset=iso8859-2">', 'windows-1252'],
  ['content alone, spaced', '<!DOCTYPE HTML>\n<meta content=" text/html; charset = iso8859-2 ">', 'windows-1252'],
  ['content with newlines', '<!DOCTYPE HTML>\n<meta content="\ntext/html; charset=iso8859-2\n" http-equiv="Content-Type">', 'iso-8859-2'],
  ['charset value with newlines, quoted', '<!DOCTYPE HTML>\n<meta charset="\niso8859-2\n">', 'iso-8859-2'],
  ['charset value with newlines, unquoted', '<!DOCTYPE HTML>\n<meta charset=\niso8859-2\n>', 'iso-8859-2'],
  ['quote opened in the value', '<!DOCTYPE HTML>\n<meta charset="iso8859-2>\n<p>"</p>', 'windows-1252'],
  ['quote closing an unquoted value', '<!DOCTYPE HTML>\n<meta charset=iso8859-2">\n<p>"</p>', 'windows-1252'],
  ['a quote for an attribute name', '<!DOCTYPE HTML>\n<meta " charset=iso8859-2>\n<p>"</p>', 'iso-8859-2'],
  ['a quote in an attribute name', '<!DOCTYPE HTML>\n<meta test" charset=iso8859-2>\n<p>"</p>', 'iso-8859-2'],
  ['charset inside a quoted value', '<!DOCTYPE HTML>\n<meta test=" charset=iso8859-2>\n<p>"</p>', 'windows-1252'],
  ['charset inside "\' quotes', '<!DOCTYPE HTML>\n<meta test="\' charset=iso8859-2>\n<p>"\'</p>', 'windows-1252'],
  ['charset inside \'" quotes', '<!DOCTYPE HTML>\n<meta test=\'" charset=iso8859-2>\n<p>\'"</p>', 'windows-1252'],
  ['an empty quoted value first', '<!DOCTYPE HTML>\n<meta test="" charset=iso8859-2>', 'iso-8859-2'],
  ['a quote ending an unquoted value', '<!DOCTYPE HTML>\n<meta test=x" charset=iso8859-2>\n<p>"</p>', 'iso-8859-2'],
  ['inside a title attribute (1)', '<!DOCTYPE HTML>\n<head></head><p title="x>\n<meta test=x" charset=iso8859-2>\n<p>"</p>', 'windows-1252'],
  ['inside a title attribute (2)', '<!DOCTYPE HTML>\n<head></head><p title="x>\n<meta test=x charset=iso8859-2>\n<p>"</p>', 'windows-1252'],
  ['inside a title attribute (3)', '<!DOCTYPE HTML>\n<head></head><p title="x>\n<meta charset=iso8859-2>\n<p>"</p>', 'windows-1252'],
  ['after a closed title attribute', '<!DOCTYPE HTML>\n<head></head><p title="x>">\n<meta charset=iso8859-2>\n<p>"</p>', 'iso-8859-2'],
  ['the first of two metas (1)', '<!DOCTYPE HTML>\n<meta charset="ISO-8859-1">\n<meta charset="iso8859-2">', 'windows-1252'],
  ['the first of two metas (2)', '<!DOCTYPE HTML>\n<meta charset="iso8859-2">\n<meta charset="ISO-8859-1">', 'iso-8859-2'],
  ['a meta in a comment does not count (1)', '<!DOCTYPE HTML>\n<!--<meta charset="ISO-8859-1">-->\n<meta charset="iso8859-2">', 'iso-8859-2'],
  ['a meta in a comment does not count (2)', '<!DOCTYPE HTML>\n<!--<meta charset="iso8859-2">-->\n<meta charset="ISO-8859-1">', 'windows-1252'],
  ['a UTF-8 BOM', `${BOM}<!DOCTYPE HTML>\n<!-- Starts with UTF-8 BOM -->`, 'utf-8'],
  ['a UTF-8 BOM beats a meta', `${BOM}<!DOCTYPE HTML>\n<meta charset="ISO-8859-1">\n<!-- Starts with UTF-8 BOM -->`, 'utf-8'],
  ['after a 511-character comment', `${comment(511)}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 512-character comment', `${comment(512)}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 1024-character comment', `${comment(1024)}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 1025-character comment', `${comment(1025, 'z')}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 2048-character comment', `${comment(2048)}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 2049-character comment', `${comment(2049, 'z')}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 4096-character comment', `${comment(4096)}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 4097-character comment', `${comment(4097, 'z')}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 8192-character comment', `${comment(8192)}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  ['after a 8193-character comment', `${comment(8193, 'z')}\n<meta charset="iso8859-2">`, 'iso-8859-2'],
  [
    'after scripts and a long comment',
    `<!-- multi-script test -->\n<script>alert('step 1 of 3 ("þ")')</script>\n<!-- ${'+'.repeat(8000)} -->\n<script>alert('step 2 of 3 ("þ")')</script>\n<meta charset="iso8859-2">\n<script>alert('step 3 of 3 ("þ")')</script>`,
    'iso-8859-2',
  ],
  ['in a text/plain script, seen by the prescan', '<!DOCTYPE HTML>\n<script type="text/plain"><meta charset="iso8859-2"></script>', 'iso-8859-2'],
  ['in a text/plain style, seen by the prescan', '<!DOCTYPE HTML>\n<style type="text/plain"><meta charset="iso8859-2"></style>', 'iso-8859-2'],
  ['inside a <p>', '<!DOCTYPE HTML>\n<p><meta charset="iso8859-2"></p>', 'iso-8859-2'],
  ['a bogus label, then a good one', '<!DOCTYPE HTML>\n<meta charset="bogus">\n<meta charset="iso8859-2">', 'iso-8859-2'],
];

// encoding/tests2.dat
const tests2: Row[] = [
  ['a bare <meta', '<meta', 'windows-1252'],
  ['a bare <', '<', 'windows-1252'],
  ['a bare <!', '<!', 'windows-1252'],
  ['charset with an open quote at the end', '<meta charset = "', 'windows-1252'],
  ['a tag cut short', '<meta charset=euc-jp', 'windows-1252'],
  ['<meta inside a <meta', "<meta <meta charset='euc-jp'>", 'euc-jp'],
  ['spaces around =', "<meta       charset    =     'euc-jp'>", 'euc-jp'],
  ['content after a comment', '<!-- -->\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', 'utf-8'],
  ['content cut short', '<!-- -->\n<meta http-equiv="Content-Type" content="text/html; charset=utf', 'windows-1252'],
  ['http-equiv running into a meta', '<meta http-equiv="Content-Type<meta charset="utf-8">', 'windows-1252'],
  ['a quoted charset in content', `<meta http-equiv="Content-Type" content="text/html; charset='utf-8'">`, 'utf-8'],
  ['an unclosed quote in content', `<meta http-equiv="Content-Type" content="text/html; charset='utf-8">`, 'windows-1252'],
  ['<meta and 600 spaces', `<meta${' '.repeat(609)}`, 'windows-1252'],
  ['charset = and 600 spaces', `<meta charset${' '.repeat(20)}=${' '.repeat(600)}`, 'windows-1252'],
  ['a value after 600 spaces', `<meta charset=${' '.repeat(600)}utf-8\n>`, 'utf-8'],
  ['content cut at the quote', '<meta content = "text/html;', 'windows-1252'],
  ['UTF-16 in a meta is UTF-8', '<meta charset="UTF-16">', 'utf-8'],
  ['UTF-16LE in a meta is UTF-8', '<meta charset="UTF-16LE">', 'utf-8'],
  ['UTF-16BE in a meta is UTF-8', '<meta charset="UTF-16BE">', 'utf-8'],
  ['non-ASCII in an attribute value first', '<html a=ñ>\n<meta charset="utf-8">', 'utf-8'],
  ['non-ASCII as an attribute name first', '<html ñ>\n<meta charset="utf-8">', 'utf-8'],
  ['non-ASCII text first', '<html>ñ\n<meta charset="utf-8">', 'utf-8'],
];

// encoding/test-yahoo-jp.dat
const yahoo: Row[] = [
  [
    'a Japanese portal page',
    '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=euc-jp">\n<!--京-->\n<title>Yahoo! JAPAN</title>\n<meta name="description" content="日本最大級のポータルサイト。検索、オークション、ニュース、メール、コミュニティ、ショッピング、など80以上のサービスを展開。あなたの生活をより豊かにする「ライフ・エンジン」を目指していきます。">\n<style type="text/css" media="all">',
    'euc-jp',
  ],
];

const sniff = (document: string): string => htmlEncoding(Buffer.from(document, 'utf8'), null, 'windows-1252').toLowerCase();

describe('html5lib-tests encoding', () => {
  it.each(tests1)('tests1.dat: %s', (_name, document, encoding) => {
    expect(sniff(document)).toBe(encoding);
  });

  it.each(tests2)('tests2.dat: %s', (_name, document, encoding) => {
    expect(sniff(document)).toBe(encoding);
  });

  it.each(yahoo)('test-yahoo-jp.dat: %s', (_name, document, encoding) => {
    expect(sniff(document)).toBe(encoding);
  });

  it('puts the late metas where the prescan cannot see them', () => {
    for (const n of [1025, 2048, 2049, 4096, 4097, 8192, 8193]) expect(`${comment(n)}\n`.length).toBeGreaterThan(1024);
    expect(`${comment(512)}\n`.length).toBeLessThan(1024);
  });
});
