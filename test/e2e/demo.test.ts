/** `scrape demo`: the fixture site on 127.0.0.1 through the real pipeline with --compare. */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunResult } from '../helpers/run.js';

describe('scrape demo', () => {
  let run: RunResult;

  beforeAll(async () => {
    run = await runCli(['demo'], { timeoutMs: 28_000 });
  }, 30_000);

  it('exits 0', () => {
    expect(run.code, run.stderr).toBe(0);
  });

  it('writes records of the fixture site, served on 127.0.0.1, to stdout', () => {
    const records = run.records;
    expect(records.length).toBeGreaterThan(5);
    const fetched = records.filter((r) => r.error?.code !== 'INVALID_URL');
    for (const r of fetched) expect(new URL(r.url).hostname).toBe('127.0.0.1');
    expect(records.find((r) => r.title === 'Harbor Street Gazette')).toMatchObject({ ok: true });
  });

  it('decodes every encoded fixture page by its own declaration or the header the demo sends', () => {
    const title = (path: string) => run.records.find((r) => r.url.endsWith(path))?.title;
    expect(title('/encoding/cp1252.html')).toBe('Café Crème – 5 €');
    expect(title('/encoding/cp1251.html')).toBe('Новости — Главная');
    expect(title('/encoding/sjis.html')).toBe('日本語のページ');
  });

  it('writes one record per URL even though the baseline fetches them again', () => {
    const urls = run.records.map((r) => r.url);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('logs a compare line with a speedup above 1', () => {
    const compare = run.logs.find((l) => l.msg === 'compare');
    expect(compare).toMatchObject({ concurrentWallMs: expect.any(Number), sequentialWallMs: expect.any(Number) });
    expect(compare!.speedup as number).toBeGreaterThan(1);
  });
});
