/** Issue #3: hostile markup (deep nests, broken HTML, huge pages) and non-HTML bodies. */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../src/parse/max-depth.js';
import { extract } from '../../src/parse/extract-dom.js';
import { MAX_PARSE_BYTES } from '../../src/parse/page.js';
import { page, useFaultServer } from './fault-server.js';
import { scrape, useScrape } from './scrape.js';

const nest = (depth: number): string =>
  `<!DOCTYPE html><html><head><title>Deep ${depth}</title></head><body>${'<div class="n">'.repeat(depth)}<p id="core">core text</p>${'</div>'.repeat(depth)}<p id="after">after the nest</p></body></html>`;

function send(type: string | null, body: string | Buffer) {
  return (_req: unknown, res: ServerResponse): void => {
    res.writeHead(200, type === null ? {} : { 'content-type': type });
    res.end(body);
  };
}

// 6 MiB of HTML with one marker just inside the parse limit and one beyond it.
const filler = (n: number): string => `<p>${'lorem ipsum '.repeat(Math.ceil(n / 12)).slice(0, n)}</p>`;
const head = '<!DOCTYPE html><html><head><title>Huge</title></head><body><p id="early">early</p>';
const huge = `${head + filler(MAX_PARSE_BYTES - head.length - 2000)}<p id="inside">inside</p>${filler(1024 * 1024)}<p id="beyond">beyond</p></body></html>`;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from('<title>not a title</title>'), Buffer.alloc(64, 0xff)]);

describe('hostile markup', () => {
  const server = useFaultServer({
    '/deep-50k': send('text/html', nest(50_000)),
    '/deep-200k': send('text/html', nest(200_000)),
    '/ok': send('text/html', page('Fine')),
    '/broken': send(
      'text/html',
      '<html><head><title>Broken <b>page</title><body><div><p>one<p>two<li>three</span></div></div></div><table><td>cell<tr><td>x</table>\u0000<<<>>><!-- never closed <p id="core">',
    ),
    '/unclosed-title': send('text/html', '<html><head><title>Never closed, runs to the end'),
    '/huge': send('text/html', huge),
  });

  // Inline parsing (--workers 0): a slow parse would stall every other request.
  const run = useScrape(
    () => ['/deep-50k', '/deep-200k', '/ok', '/broken', '/unclosed-title'].map((p) => server().url(p)),
    ['--workers', '0', '-s', 'nest=div.n', '-s', 'after=#after'],
  );

  it('a 50,000-deep <div> nest parses: title, and the text inside and after the nest', () => {
    const rec = run().rec(server().url('/deep-50k'));
    expect(rec.ok, JSON.stringify(rec.error)).toBe(true);
    expect(rec.title).toBe('Deep 50000');
    expect(rec.data).toEqual({ nest: 'core text', after: 'after the nest' });
  });

  it('a 200,000-deep nest (2.2 MB) parses too, and the run is not stalled', () => {
    const rec = run().rec(server().url('/deep-200k'));
    expect(rec.ok, JSON.stringify(rec.error)).toBe(true);
    expect(rec.data).toEqual({ nest: 'core text', after: 'after the nest' });
    // Uncapped, this page alone took two minutes to parse.
    expect(run().durationMs).toBeLessThan(5_000);
  });

  it('broken HTML yields what can be read, not an error', () => {
    const broken = run().rec(server().url('/broken'));
    expect(broken.ok).toBe(true);
    expect(broken.title).toBe('Broken <b>page');
    expect(run().rec(server().url('/unclosed-title')).ok).toBe(true);
    expect(run().rec(server().url('/ok')).title).toBe('Fine');
  });

  it(`parses only the first ${MAX_PARSE_BYTES / 1024 / 1024} MiB of a page; bytes counts all of it`, async () => {
    const url = server().url('/huge');
    const rec = (await scrape([url], ['--max-bytes', '8M', '-s', 'early=#early', '-s', 'inside=#inside', '-s', 'beyond=#beyond'])).rec(url);
    expect(rec.ok).toBe(true);
    expect(rec.bytes).toBe(Buffer.byteLength(huge));
    expect(rec.data).toEqual({ early: 'early', inside: 'inside', beyond: null });
  });
});

describe('the depth cap', () => {
  const opts = (css: string) => ({ selectors: [{ name: 'x', css, attr: null, many: true }], links: false });

  it(`nests up to ${MAX_DEPTH} levels as written, then flattens: every element is still there, with its own text`, () => {
    const html = `<body>${'<section>'.repeat(MAX_DEPTH + 100)}<i>deep</i>${'</section>'.repeat(MAX_DEPTH + 100)}<b>after</b></body>`;
    const r = extract(html, 'http://x/', opts('section'));
    expect(r.data.x).toHaveLength(MAX_DEPTH + 100);
    // <body> is level 1, so levels 2..512 hold 511 sections; the other 101 and the <i> are
    // opened past the cap and become siblings at level 512, children of the level-511 section
    // (as in Blink). So the level-512 section and the 101 are empty, and <i> keeps its text.
    expect(extract(html, 'http://x/', opts('section:empty')).data.x).toHaveLength(102);
    expect(extract(html, 'http://x/', opts('i')).data.x).toEqual(['deep']);
    expect((r.data.x as string[]).filter((t) => t === 'deep')).toHaveLength(MAX_DEPTH - 2);
    // Nesting resumes once the deep part closes: <b> is a child of <body> again.
    expect(extract(html, 'http://x/', opts('body > b')).data.x).toEqual(['after']);
  });

  it('an element past the cap keeps its own text (#leaf selects its text, not "")', () => {
    const html = `<body>${'<div>'.repeat(600)}<span id="leaf">leaf text</span> tail${'</div>'.repeat(600)}<p id="after">after</p>`;
    const one = (css: string) => ({ selectors: [{ name: 'x', css, attr: null, many: false }], links: false });
    expect(extract(html, 'http://x/', one('#leaf')).data.x).toBe('leaf text');
    expect(extract(html, 'http://x/', one('#after')).data.x).toBe('after');
    // Every element still exists; none is deeper than the cap.
    expect(extract(html, 'http://x/', opts('div')).data.x).toHaveLength(600);
    expect(extract(html, 'http://x/', opts(`${'div > '.repeat(MAX_DEPTH - 1)}div`)).data.x).toEqual([]);
  });

  it('a stray end tag deep in a page is ignored and costs no walk of the whole stack', () => {
    const html = `${'<div>'.repeat(100_000)}x${'</span>'.repeat(100_000)}${'</div>'.repeat(100_000)}<p>end</p>`;
    const started = Date.now();
    expect(extract(html, 'http://x/', opts('p')).data.x).toEqual(['end']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('builds pages below the cap by the HTML Standard', () => {
    const html = `<ul>${'<li>item'.repeat(2_000)}</ul><p>a<p>b<div>c</div>`;
    expect(extract(html, 'http://x/', opts('li')).data.x).toHaveLength(2_000);
    expect(extract(html, 'http://x/', opts('body > p, p')).data.x).toEqual(['a', 'b']);
  });

  it('text extraction does not recurse: 100,000 nested inline elements', () => {
    const html = `<title>${'<b>'.repeat(100_000)}x</title><p>${'<span>'.repeat(100_000)}deep text`;
    expect(extract(html, 'http://x/', opts('p')).data.x).toEqual(['deep text']);
  });
});

describe('bodies that are not HTML', () => {
  const server = useFaultServer({
    '/json': send('application/json', '{"title":"<title>json</title>","n":[1,2,3]}'),
    '/text': send('text/plain; charset=utf-8', '<title>Plain text is not HTML</title>'),
    '/png': send('image/png', PNG),
    '/octet': send('application/octet-stream', Buffer.concat([Buffer.from('<title>bytes</title>'), Buffer.from([0, 1, 2, 0xff, 0xfe])])),
    '/untyped-binary': send(null, Buffer.from([0, 0xff, 0xd8, 0xff, 0x3c, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3e])),
    '/untyped-html': send(null, page('Sniffed')),
  });
  const paths = ['/json', '/text', '/png', '/octet', '/untyped-binary', '/untyped-html'];
  const run = useScrape(() => paths.map((p) => server().url(p)), ['-s', 't=title', '--links']);

  it.each(paths.slice(0, 5))('%s: ok, title null, nothing extracted', (path) => {
    const rec = run().rec(server().url(path));
    expect(rec.ok).toBe(true);
    expect(rec.title).toBeNull();
    expect(rec.data).toEqual({ t: null });
    expect(rec.links).toEqual([]);
    expect(rec.bytes).toBeGreaterThan(0);
  });

  it('no Content-Type and an HTML start is sniffed as HTML', () => {
    expect(run().rec(server().url('/untyped-html')).title).toBe('Sniffed');
  });

  it('no binary reaches the output: every line is JSON of printable text', () => {
    for (const line of run().stdout.trimEnd().split('\n')) {
      expect(() => JSON.parse(line)).not.toThrow();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach stdout.
      expect(line).not.toMatch(/[\u0000-\u001f\u007f\ufffd]/);
    }
  });
});
