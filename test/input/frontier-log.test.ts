/** The crawl's frontier on disk: what is queued is read back in order, with its page; a torn tail is cut; scan sees everything. */
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/setup.js';
import { openFrontierLog } from '../../src/input/frontier-log.js';
import type { Discovery } from '../../src/schedule/target.js';

const tmpRoot = useTmpDir();

const fileIn = (): string => join(mkdtempSync(join(tmpRoot(), 'log-')), 'frontier');
const seed = { host: 'x.test', domain: 'x.test', prefix: 'http://x.test/' };
const from = (depth: number, parent: string | null): Discovery => ({ depth, parent, source: 'link', seed });

describe('openFrontierLog', () => {
  it('reads back queued links in order with their depth, parent and seed scope, once flushed; null at the end, more once written', () => {
    const log = openFrontierLog(fileIn(), true);
    const home = from(1, 'http://x.test/');
    log.queue(home, 'k1', 'http://x.test/a');
    log.queue(home, 'k2', 'http://x.test/b');
    log.flush();
    expect(log.read()).toEqual({ key: 'k1', href: 'http://x.test/a', found: home });
    expect(log.read()).toMatchObject({ key: 'k2', found: { depth: 1, parent: 'http://x.test/' } });
    expect(log.read()).toBeNull();
    log.queue(from(2, 'http://x.test/a'), 'k3', 'http://x.test/a/c');
    expect(log.read()).toMatchObject({ key: 'k3', href: 'http://x.test/a/c', found: { depth: 2, parent: 'http://x.test/a', seed } });
    log.close();
  });

  it('skips seen-only lines when reading, and scan() reports both kinds with owners', () => {
    const file = fileIn();
    const log = openFrontierLog(file, true);
    log.queue(from(1, 'http://x.test/'), 'k1', 'http://x.test/a');
    log.seen('hop', 'k1');
    log.seen('other-shard', null);
    log.queue(from(1, 'http://x.test/'), 'k2', 'http://x.test/b');
    log.flush();
    expect([log.read()?.key, log.read()?.key, log.read()]).toEqual(['k1', 'k2', null]);
    const queued: string[] = [];
    const seen: [string, string | null][] = [];
    log.scan((k) => queued.push(k), (k, owner) => seen.push([k, owner]));
    expect(queued).toEqual(['k1', 'k2']);
    expect(seen).toEqual([['hop', 'k1'], ['other-shard', null]]);
    log.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reopened (not fresh), keeps what was written and cuts a torn last line; fresh, starts empty', () => {
    const file = fileIn();
    const log = openFrontierLog(file, true);
    log.queue(from(1, 'http://x.test/'), 'k1', 'http://x.test/a');
    log.close();
    // A write cut short by SIGKILL.
    appendFileSync(file, 'l\tk2\thttp://x.te');
    const again = openFrontierLog(file, false);
    expect(readFileSync(file, 'utf8').endsWith('http://x.test/a\n')).toBe(true);
    expect(again.read()?.key).toBe('k1');
    expect(again.read()).toBeNull();
    again.close();
    const fresh = openFrontierLog(file, true);
    expect(fresh.read()).toBeNull();
    fresh.close();
  });

  it('reads a link longer than its read buffer', () => {
    const file = fileIn();
    const long = `http://x.test/${'a'.repeat(200_000)}`;
    writeFileSync(file, `p\t1\tx.test\tx.test\thttp://x.test/\thttp://x.test/\nl\tk1\t${long}\nl\tk2\thttp://x.test/b\n`);
    const log = openFrontierLog(file, false);
    expect(log.read()?.href).toBe(long);
    expect(log.read()?.key).toBe('k2');
    log.close();
  });
});
