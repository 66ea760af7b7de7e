/** timing.waitMs: waiting made visible (issue: "Waiting is visible"). */
import { describe, expect, it } from 'vitest';
import { inProcess } from '../helpers/session.js';
import { useServer } from '../helpers/setup.js';

describe('timing.waitMs', () => {
  const server = useServer();

  it('holds the wait for a host\'s turn under --rate, and is 0 when nothing waited', async () => {
    const urls = [1, 2, 3].map((i) => server().url(`/page?title=w${i}&rate=${Date.now()}`));
    const r = await inProcess({ options: { rate: '5', robots: false }, stdin: urls.join('\n') });
    const waits = r.records.map((x) => x.timing.waitMs).sort((a, b) => a - b);
    expect(waits[0]).toBeLessThan(50);
    expect(waits[1]).toBeGreaterThanOrEqual(150); // 200 ms apart at 5/s
    expect(waits[2]).toBeGreaterThanOrEqual(350);
  });

  it('holds a retry\'s Retry-After, inside totalMs', async () => {
    const r = await inProcess({ options: { robots: false }, stdin: server().url(`/flaky?fails=1&status=503&retryAfter=1&w=${Date.now()}`) });
    const [rec] = r.records;
    expect(rec).toMatchObject({ ok: true, attempts: 2 });
    expect(rec!.timing.waitMs).toBeGreaterThanOrEqual(950);
    expect(rec!.timing.totalMs).toBeGreaterThanOrEqual(rec!.timing.waitMs);
  });
});
