/** --host-errors on a whole run: a dead host costs N failures, not one timeout per URL. */
import { describe, expect, it } from 'vitest';
import { inProcess } from '../helpers/session.js';
import { refusedPort } from '../helpers/server.js';
import { useServer } from '../helpers/setup.js';

describe('--host-errors', () => {
  const server = useServer();

  it('after N connection failures in a row, the host\'s other URLs get HOST_SKIPPED without a request; other hosts go on', async () => {
    const dead = `http://127.0.0.1:${await refusedPort()}`;
    const deadUrls = Array.from({ length: 30 }, (_, i) => `${dead}/${i}`);
    const live = [server().url('/index.html'), server().url('/articles/first.html')];
    const r = await inProcess({
      options: { hostErrors: '5', retries: '0', robots: false, perHost: '1' },
      stdin: [...deadUrls, ...live].join('\n'),
    });
    expect(r.exitCode).toBe(1);
    expect(r.records).toHaveLength(32);
    const codes = r.records.filter((x) => x.url.startsWith(dead)).map((x) => x.error?.code);
    expect(codes.filter((c) => c === 'CONNECTION')).toHaveLength(5);
    expect(codes.filter((c) => c === 'HOST_SKIPPED')).toHaveLength(25);
    for (const rec of r.records.filter((x) => x.error?.code === 'HOST_SKIPPED')) expect(rec).toMatchObject({ status: null, attempts: 0 });
    expect(r.records.filter((x) => live.includes(x.url)).every((x) => x.ok)).toBe(true);
    const warned = r.logs.filter((l) => l.msg.includes('its remaining URLs get HOST_SKIPPED'));
    expect(warned).toHaveLength(1);
  });

  it('a URL already waiting for its turn when the host is given up on is not requested either', async () => {
    const dead = `http://127.0.0.1:${await refusedPort()}`;
    // -c 1 with the default --per-host: the host's URLs wait at the gate, behind the failures that give it up.
    const r = await inProcess({ options: { hostErrors: '2', retries: '0', robots: false, concurrency: '1' }, stdin: Array.from({ length: 8 }, (_, i) => `${dead}/${i}`).join('\n') });
    const codes = r.records.map((x) => x.error?.code);
    // Two failures give it up; one more may be entering its attempt as the second fails.
    expect(codes.filter((c) => c === 'CONNECTION').length).toBeLessThanOrEqual(3);
    expect(codes.filter((c) => c === 'HOST_SKIPPED').length).toBeGreaterThanOrEqual(5);
  });

  it('--host-errors 0 tries every URL', async () => {
    const dead = `http://127.0.0.1:${await refusedPort()}`;
    const r = await inProcess({ options: { hostErrors: '0', retries: '0', robots: false }, stdin: Array.from({ length: 15 }, (_, i) => `${dead}/${i}`).join('\n') });
    expect(r.records.map((x) => x.error?.code)).toEqual(Array(15).fill('CONNECTION'));
  });

  it('is 10 by default', async () => {
    const dead = `http://127.0.0.1:${await refusedPort()}`;
    const r = await inProcess({ options: { retries: '0', robots: false, perHost: '1' }, stdin: Array.from({ length: 14 }, (_, i) => `${dead}/${i}`).join('\n') });
    expect(r.records.filter((x) => x.error?.code === 'CONNECTION')).toHaveLength(10);
    expect(r.records.filter((x) => x.error?.code === 'HOST_SKIPPED')).toHaveLength(4);
  });
});
