/**
 * A strict RFC 4180 reader for checking the CLI's CSV: every record must end
 * with CRLF, quoted fields may hold commas, quotes ("") and line breaks, and an
 * unquoted field may not contain a quote. Throws on anything else.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`invalid CSV at offset ${i}: ${why}: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`);
  };
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('quote in an unquoted field');
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      i += 2;
      rows.push(row);
      row = [];
    } else if (i >= text.length) {
      fail('last record does not end with CRLF');
    } else {
      fail('bare line break or junk after a quoted field');
    }
  }
  return rows;
}

/** Rows as objects keyed by the header row. */
export function csvObjects(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...body] = parseCsv(text);
  return {
    header,
    rows: body.map((cells) => {
      if (cells.length !== header.length) throw new Error(`row has ${cells.length} cells, header has ${header.length}`);
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    }),
  };
}
