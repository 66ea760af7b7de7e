#!/usr/bin/env node
// Writes the non-UTF-8 pages of fixtures/site/encoding/ byte for byte.
// Run once after changing a page here: `node test/helpers/make-encoded-fixtures.mjs`.
// The pages are committed; the tests never run this script, and
// test/fixtures/site.test.ts checks the committed bytes decode as intended.
import { writeFileSync } from 'node:fs';

// Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 (0x80-0x9F become C1
// controls), so the 27 characters that differ are spelled out here.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Encode with a legacy charset without a dependency: build the reverse of Node's
 * own TextDecoder table (single bytes, then the double-byte range for Shift_JIS).
 */
function encoder(label) {
  const decoder = new TextDecoder(label, { fatal: true });
  const table = new Map();
  if (label === 'windows-1252') for (const [i, ch] of [...CP1252_HIGH].entries()) table.set(ch, [0x80 + i]);
  const learn = (bytes) => {
    let ch;
    try {
      ch = decoder.decode(Uint8Array.from(bytes));
    } catch {
      return;
    }
    if ([...ch].length === 1 && !table.has(ch)) table.set(ch, bytes);
  };
  for (let b = 0; b < 256; b++) learn([b]);
  if (label === 'shift_jis') {
    for (let lead = 0x81; lead <= 0xfc; lead++) for (let trail = 0x40; trail <= 0xfc; trail++) learn([lead, trail]);
  }
  return (text) =>
    Buffer.from(
      [...text].flatMap((ch) => {
        const bytes = table.get(ch);
        if (!bytes) throw new Error(`${label} cannot encode ${JSON.stringify(ch)}`);
        return bytes;
      }),
    );
}

const dir = new URL('../../fixtures/site/encoding/', import.meta.url);

function page({ head, title, body }) {
  return `<!DOCTYPE html>\n<html>\n<head>\n${head}  <title>${title}</title>\n</head>\n<body>\n${body}</body>\n</html>\n`;
}

const pages = [
  {
    // Declared only by <meta charset>; served as plain text/html. € and – exist only in windows-1252.
    file: 'cp1252.html',
    encoding: 'windows-1252',
    head: '  <meta charset="windows-1252">\n',
    title: 'Café Crème – 5 €',
    body: '  <h1 class="dish">Crème brûlée</h1>\n  <p>Spécialité de la maison, très appréciée.</p>\n',
  },
  {
    file: 'latin1.html',
    encoding: 'iso-8859-1',
    head: '  <meta charset="ISO-8859-1">\n',
    title: 'Über naïve Façade',
    body: '  <h1>Größe: 3½ m²</h1>\n',
  },
  {
    // No declaration in the document: the test server adds `; charset=windows-1251`.
    file: 'cp1251.html',
    encoding: 'windows-1251',
    head: '',
    title: 'Новости — Главная',
    body: '  <h1>Привет, мир</h1>\n',
  },
  {
    // No declaration in the document: the test server adds `; charset=Shift_JIS`.
    file: 'sjis.html',
    encoding: 'shift_jis',
    head: '',
    title: '日本語のページ',
    body: '  <h1>こんにちは世界</h1>\n',
  },
];

for (const p of pages) {
  writeFileSync(new URL(p.file, dir), encoder(p.encoding)(page(p)));
}

// UTF-8 with a byte order mark and no other declaration.
writeFileSync(
  new URL('bom.html', dir),
  Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(page({ head: '', title: 'Zürich — Straße ✓', body: '  <h1>Grüße aus Zürich</h1>\n' }), 'utf8'),
  ]),
);
