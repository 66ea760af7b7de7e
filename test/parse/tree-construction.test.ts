/**
 * What selectors, the title and --links return where the HTML Standard's tree
 * construction differs from naive nesting. Each row is our own markup and
 * expected answer; the tree each answer follows is the one given for that
 * markup in html5lib-tests (github.com/html5lib/html5lib-tests,
 * tree-construction/<file>), or the Standard's section where named. Both
 * paths must give it: the streaming path by handing the page over when it
 * cannot follow.
 */
import { describe, expect, it } from 'vitest';
import { parseSelectors } from '../../src/config/selectors.js';
import { extract, extractWithDom } from '../../src/parse/extract-dom.js';

interface Row {
  source: string;
  html: string;
  select: string[];
  want: { title?: string | null; data?: Record<string, unknown>; links?: string[] };
}

const ROWS: Row[] = [
  { source: 'tests1.dat', html: '<p>One<p>Two', select: ['p[]=p'], want: { data: { p: ['One', 'Two'] } } },
  { source: 'tests1.dat', html: '<h1>Hello<h2>World', select: ['h1[]=h1', 'h2[]=h2'], want: { data: { h1: ['Hello'], h2: ['World'] } } },
  { source: 'tests1.dat', html: '<p><hr></p>', select: ['p[]=p'], want: { data: { p: ['', ''] } } },
  {
    source: 'tests1.dat',
    html: '<!DOCTYPE html><li>hello<li>world<ul>how<li>do</ul>you</body><!--do-->',
    select: ['li[]=li'],
    want: { data: { li: ['hello', 'worldhowdoyou', 'do'] } },
  },
  {
    source: 'tests1.dat (raw text and RCDATA)',
    html: '<script><div></script></div><title><p></title><p><p>',
    select: ['div[]=div', 'p[]=p', 'script=script'],
    want: { title: '<p>', data: { div: [], p: ['', ''], script: '<div>' } },
  },
  { source: 'tests1.dat (comment ended by --!> style)', html: '<!--><div>--<!-->', select: ['div=div'], want: { data: { div: '--' } } },
  { source: 'tests1.dat (adoption agency)', html: '<b><p></b>TEST', select: ['b[]=b', 'p=p'], want: { data: { b: ['', ''], p: 'TEST' } } },
  {
    source: 'tests1.dat (adoption agency)',
    html: '<a href=/1><p>X<a href=/2>Y</a>Z</p></a>',
    select: ['a[]=a', 'p=p'],
    want: { data: { a: ['', 'X', 'Y'], p: 'XYZ' }, links: ['http://127.0.0.1/1', 'http://127.0.0.1/2'] },
  },
  { source: 'tests1.dat (adoption agency)', html: '<b>A<cite>B<div>C</b>D', select: ['b[]=b', 'div=div'], want: { data: { b: ['AB', 'C'], div: 'CD' } } },
  {
    source: 'tests1.dat (implied tbody and tr)',
    html: '<b><table><td><i></table>',
    select: ['td[]=td', 'bodies[]=tbody', 'rows[]=table > tbody > tr'],
    want: { data: { td: [''], bodies: [''], rows: [''] } },
  },
  {
    source: 'HTML Standard, "in table": a <tr> gets an implied tbody',
    html: '<table><tr><td>1</td></tr><tr><td>2</table>',
    select: ['rows[]=table > tbody > tr', 'cells[]=td'],
    want: { data: { rows: ['1', '2'], cells: ['1', '2'] } },
  },
  {
    source: 'tests1.dat (foster parenting)',
    html: '<div>hello<table>excite!<b>me!<th><i>please!</tr></table></div>',
    select: ['div=div', 'th=th'],
    want: { data: { div: 'helloexcite!me!please!', th: 'please!' } },
  },
  {
    source: 'HTML Standard, template contents are a separate fragment',
    html: '<template><p>t</p><a href=/t>t</a><title>T</title></template><p>u</p><title>Page</title>',
    select: ['p[]=p'],
    want: { title: 'Page', data: { p: ['u'] }, links: [] },
  },
  {
    source: 'HTML Standard, document.title: the first title element in the HTML namespace',
    html: '<body><svg><title>Icon</title></svg><title>Page</title>',
    select: [],
    want: { title: 'Page' },
  },
  {
    source: 'HTML Standard, "in body": a newline right after <pre> is dropped',
    html: '<div>a<pre>\nb</pre></div>',
    select: ['div=div'],
    want: { data: { div: 'ab' } },
  },
  {
    source: 'HTML Standard, strip and collapse ASCII whitespace: U+00A0 stays',
    html: '<title> a&nbsp;&nbsp;b \t\n c </title><h1>x\u00a0 y</h1>',
    select: ['h1=h1'],
    want: { title: 'a\u00a0\u00a0b c', data: { h1: 'x\u00a0 y' } },
  },
  {
    source: 'HTML Standard, case-sensitivity of selectors: http-equiv and type values ignore case',
    html: '<meta http-equiv="Content-Type" content="text/html"><input type=HIDDEN value=v>',
    select: ['ct=meta[http-equiv=content-type]@content', 'hidden[]=input[type=hidden]@value'],
    want: { data: { ct: 'text/html', hidden: ['v'] } },
  },
];

describe('tree construction as the HTML Standard does it', () => {
  for (const row of ROWS) {
    it(`${JSON.stringify(row.html)} (${row.source})`, () => {
      const opts = { selectors: parseSelectors(row.select), links: row.want.links !== undefined };
      for (const path of [extract, extractWithDom]) {
        const got = path(row.html, 'http://127.0.0.1/', opts);
        if (row.want.title !== undefined) expect(got.title, path.name).toBe(row.want.title);
        if (row.want.data !== undefined) expect(got.data, path.name).toEqual(row.want.data);
        if (row.want.links !== undefined) expect(got.links, path.name).toEqual(row.want.links);
      }
    });
  }
});
