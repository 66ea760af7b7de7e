import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** `-` (or no input at all) means standard input. */
export const STDIN = '-';

/**
 * Yield the lines of each input in turn, streaming: a list of a million URLs is
 * never held in memory, and the first request can start after the first line.
 * CRLF line ends and a UTF-8 BOM at the top of a file are handled here so later
 * stages see clean lines.
 */
export async function* readLines(inputs: readonly string[], stdin: Readable): AsyncGenerator<string> {
  const sources = inputs.length === 0 ? [STDIN] : inputs;
  for (const source of sources) {
    const stream = source === STDIN ? stdin : createReadStream(source);
    try {
      yield* linesOf(stream);
    } finally {
      if (source !== STDIN) stream.destroy();
    }
  }
}

/** One stream's lines, the BOM of its first line dropped. */
export async function* linesOf(stream: Readable): AsyncGenerator<string> {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const line of rl) {
      yield first && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
      first = false;
    }
  } finally {
    rl.close();
  }
}
