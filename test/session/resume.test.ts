/**
 * --resume in-process: a torn last line, a file that does not exist yet, what
 * is skipped. test/unattended/resume.test.ts kills the real binary with SIGKILL.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcess } from '../helpers/session.js';
import { useServer, useTmpDir } from '../helpers/setup.js';

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const urlsIn = (file: string): string[] => lines(file).map((l) => (JSON.parse(l) as { url: string }).url);

describe('--resume', () => {
  const server = useServer({ each: true });
  const tmp = useTmpDir();

  it('drops a torn last line (a write cut by a crash) and fetches its URL again', async () => {
    const s = server();
    const [a, b, c] = ['/page?title=a', '/page?title=b', '/page?title=c'];
    const out = join(tmp(), 'torn.jsonl');
    await inProcess({ options: { output: out }, stdin: s.url(a!) });
    // What a SIGKILL in the middle of write(2) would leave: half a record, no newline.
    appendFileSync(out, `{"url":"${s.url(b!)}","ok":tr`);
    const r = await inProcess({ options: { resume: true, output: out }, stdin: [a!, b!, c!].map(s.url).join('\n') });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.logs.some((l) => l.msg.includes('unfinished last line'))).toBe(true);
    expect(urlsIn(out).sort()).toEqual([s.url(a!), s.url(b!), s.url(c!)]);
    for (const l of lines(out)) expect(() => JSON.parse(l)).not.toThrow();
    expect(s.hits(a!)).toBe(1);
  });

  it('starts FILE when it does not exist yet, so the same cron line works on the first run', async () => {
    const s = server();
    const out = join(tmp(), 'fresh.jsonl');
    const summary = join(tmp(), 'fresh-summary.json');
    const run = () => inProcess({ options: { resume: true, output: out, summaryFile: summary }, stdin: s.url('/page?title=a') });
    expect((await run()).exitCode).toBe(0);
    expect(urlsIn(out)).toEqual([s.url('/page?title=a')]);
    const again = await run();
    expect(again.exitCode).toBe(0);
    expect(urlsIn(out)).toEqual([s.url('/page?title=a')]);
    expect(s.hits('/page?title=a')).toBe(1);
    expect(again.outcome).toMatchObject({ kind: 'ran', summary: { total: 0 } });
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ total: 0, written: 0, skipped: 1 });
  });
});
