/** `first`, then whatever `rest` still has: a body partly read, handed on whole. */
export async function* prepend(first: readonly Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/**
 * Reads from `rest` until `first` holds at least `bytes` (or the body ends):
 * the chunks read, their length, and whether the body ended within them.
 */
export async function readAhead(rest: AsyncIterator<Buffer>, bytes: number, first: Buffer[] = []): Promise<{ chunks: Buffer[]; length: number; ended: boolean }> {
  let length = first.reduce((n, c) => n + c.length, 0);
  while (length < bytes) {
    const next = await rest.next();
    if (next.done) return { chunks: first, length, ended: true };
    first.push(next.value);
    length += next.value.length;
  }
  return { chunks: first, length, ended: false };
}
