/**
 * Issue #3: legacy charsets decode to the right text, from the BOM, then the
 * Content-Type charset, then <meta charset>/http-equiv (in the first KiB, or the
 * first meta element further on); unknown labels fall back.
 * The pages are raw bytes from fixtures/faults/make-charsets.mjs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Route } from './fault-server.js';
import { useFaultServer } from './fault-server.js';
import { useScrape } from './scrape.js';

/** [fixture, Content-Type sent, text expected in <title> and in p.t, how the charset is known] */
const PAGES: ReadonlyArray<readonly [string, string, string, string]> = [
  ['cp1252-header.html', 'text/html; charset=windows-1252', 'Café — “quoted” €5 naïve', 'header'],
  ['latin1-meta.html', 'text/html', 'Größe, façade, señor', '<meta charset>'],
  ['sjis-header.html', 'text/html; charset=Shift_JIS', '日本語のページ：東京', 'header'],
  ['sjis-meta.html', 'text/html', '日本語のページ：大阪', '<meta charset>'],
  ['gbk-meta.html', 'text/html', '中文网页标题：北京', '<meta charset>'],
  ['gb2312-http-equiv.html', 'text/html', '简体中文：上海', 'http-equiv (gb2312 → GBK)'],
  ['euckr-http-equiv.html', 'text/html', '한국어 페이지：서울', 'http-equiv'],
  ['euckr-header.html', 'text/html;charset="EUC-KR"', '한국어 제목：부산', 'quoted header label'],
  ['header-beats-meta.html', 'text/html; charset=windows-1252', 'Ünïcödé déjà vu', 'header over <meta>'],
  ['unknown-labels.html', 'text/html; charset=x-no-such-charset', 'Fallback “UTF-8” ✓', 'unknown labels → UTF-8'],
  ['latin2-late-meta.html', 'text/html', 'Zażółć gęślą jaźń, Łódź', '<meta charset> after the first KiB'],
  ['utf16le-bom.html', 'text/html; charset=windows-1252', 'UTF-16 “BOM” ページ', 'UTF-16LE BOM over header'],
  ['utf16be-bom.html', 'text/html', 'UTF-16BE ページ', 'UTF-16BE BOM'],
  ['utf8-bom-vs-header.html', 'text/html; charset=windows-1252', 'BOM wins: “ü”', 'UTF-8 BOM over header'],
];

const routes: Record<string, Route> = {};
for (const [file, type] of PAGES) {
  const body = readFileSync(new URL(`../../fixtures/faults/charset/${file}`, import.meta.url));
  routes[`/${file}`] = (_req, res) => {
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(body);
  };
}

describe('charsets', () => {
  const server = useFaultServer(routes);
  const run = useScrape(() => PAGES.map(([file]) => server().url(`/${file}`)), ['-s', 't=p.t']);

  it.each(PAGES)('%s (%s): title and selector text decode to %s [%s]', (file, _type, text) => {
    const rec = run().rec(server().url(`/${file}`));
    expect(rec.ok, JSON.stringify(rec)).toBe(true);
    expect(rec.title).toBe(text);
    expect(rec.data).toEqual({ t: text });
  });
});
