import { describe, expect, it } from 'vitest';
import type { PageJob } from '../../src/parse/page.js';
import type { Parser } from '../../src/parse/inline.js';
import { deferredParser, openParseStage, withBacklog } from '../../src/parse/stage.js';

const job = (url: string): PageJob => ({ body: new TextEncoder().encode('<title>T</title><h1>H</h1>'), contentType: 'text/html', url });

/** A parser whose parses finish when the test says so. */
function heldParser() {
  const pending: (() => void)[] = [];
  let closed = false;
  const parser: Parser = {
    parse: () => new Promise((resolve) => pending.push(() => resolve({ extracted: null, error: null } as never))),
    close: async () => {
      closed = true;
    },
  };
  return { parser, finishOne: () => pending.shift()?.(), get waiting() { return pending.length; }, get closed() { return closed; } };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('withBacklog', () => {
  it('room() waits while max pages are handed in and not parsed, and resolves as one finishes', async () => {
    const held = heldParser();
    const p = withBacklog(held.parser, 2);
    await p.room();
    void p.parse(job('a'));
    void p.parse(job('b'));
    let roomy = false;
    void p.room().then(() => (roomy = true));
    await tick();
    expect(roomy).toBe(false);
    held.finishOne();
    await tick();
    expect(roomy).toBe(true);
  });
});

describe('deferredParser', () => {
  it('pages handed in while the parser loads wait for it, then parse', async () => {
    let load!: (p: Parser) => void;
    const held = heldParser();
    const p = deferredParser(new Promise<Parser>((r) => (load = r)));
    let done = false;
    void p.parse(job('a')).then(() => (done = true));
    await tick();
    expect(held.waiting).toBe(0);
    load(held.parser);
    await tick();
    expect(held.waiting).toBe(1);
    held.finishOne();
    await tick();
    expect(done).toBe(true);
    await p.close();
    expect(held.closed).toBe(true);
  });

  it('a parser that fails to load fails parse() and close(), not the process', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const p = deferredParser(Promise.reject(new Error('broken install')));
      await tick();
      await expect(p.parse(job('a'))).rejects.toThrow('broken install');
      await expect(p.close()).rejects.toThrow('broken install');
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('openParseStage', () => {
  it('loads the real parse stage in the background and parses with it', async () => {
    const stage = openParseStage({ selectors: [], links: false }, 0, 4);
    const r = await stage.parse(job('http://127.0.0.1/x'));
    expect(r.error).toBeNull();
    expect(r.extracted?.title).toBe('T');
    await stage.close();
  });
});
