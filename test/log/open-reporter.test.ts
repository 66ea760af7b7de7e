/** openReporter: the one place that picks a terminal's live line and tables or pino JSON lines, for the stream logs go to. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/log/stats.js';
import { openReporter, type LogStream } from '../../src/log/open-reporter.js';
import type { ScrapeRecord } from '../../src/record/record.js';

/** A stream that keeps what it is given, optionally claiming to be a terminal of some width. */
function sink(tty?: { columns?: number }): LogStream & { text: string } {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string; isTTY?: boolean; columns?: number };
  s.text = '';
  if (tty) Object.assign(s, { isTTY: true }, tty.columns === undefined ? {} : { columns: tty.columns });
  return s;
}

const rec = (url: string, ok = true): ScrapeRecord => ({
  url,
  ok,
  status: ok ? 200 : 500,
  finalUrl: null,
  contentType: 'text/html',
  bytes: 10,
  title: null,
  data: {},
  timing: { startMs: 0, ttfbMs: 3, totalMs: 7, waitMs: 0 },
  attempts: 1,
  error: ok ? null : { code: 'HTTP_STATUS', message: 'HTTP 500' },
}) as ScrapeRecord;

const summary: Summary = {
  total: 2,
  ok: 1,
  failed: 1,
  wallMs: 250,
  requestsPerSec: 8,
  p50Ms: 7,
  p95Ms: 7,
  sumMs: 14,
  parallelism: 0.1,
  errors: { HTTP_STATUS: 1 },
};

/** A clock the test moves by hand. */
function ticking(): { now: () => number; at: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, at: (ms) => (t = 1000 + ms) };
}

describe('openReporter', () => {
  it('writes pino JSON lines when the stream is not a terminal', () => {
    const out = sink();
    const r = openReporter({ stream: out, level: 'info', now: () => 0 });
    r.requestDone(rec('http://user:pw@127.0.0.1/a'));
    r.summary(summary, null);
    r.close();
    const lines = out.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual(['fetched', 'summary']);
    expect(lines[0]).toMatchObject({ level: 30, url: 'http://user:***@127.0.0.1/a', status: 200, attempts: 1, ttfbMs: 3, totalMs: 7, error: null });
    expect(out.text).not.toContain('\r');
  });

  it('on a terminal: a live line cut to its width, cleared before each message and failure, then the summary table', () => {
    const out = sink({ columns: 30 });
    const clock = ticking();
    const r = openReporter({ stream: out, level: 'info', now: clock.now });
    r.inputEnded?.(2);
    clock.at(500);
    r.requestDone(rec('http://127.0.0.1/a'));
    clock.at(1000);
    r.requestDone(rec('http://127.0.0.1/b', false));
    r.warn('slow host', { host: 'h' });
    r.summary(summary, 'SIGINT');
    r.close();
    expect(out.text).toBe(
      [
        '\r\x1b[2Kscrape: 1/2 done, 0 failed, 2',
        '\r\x1b[2KFAIL 500 http://127.0.0.1/b 7 ms HTTP_STATUS: HTTP 500\n',
        '\r\x1b[2Kscrape: 2/2 done, 1 failed, 2',
        '\r\x1b[2Kscrape: warning: slow host {"host":"h"}\n',
        'scrape: interrupted by SIGINT\n',
        '  URLs                   2 (1 ok, 1 failed)\n',
        '  errors                 HTTP_STATUS 1\n',
        '  wall                   250 ms\n',
        '  requests/s             8\n',
        '  latency p50 / p95      7 / 7 ms\n',
        '  sum of request times   14 ms\n',
        '  effective parallelism  0.1×\n',
      ].join(''),
    );
  });

  it('follows the terminal\'s width as it changes', () => {
    const out = sink({ columns: 80 });
    const clock = ticking();
    const r = openReporter({ stream: out, level: 'info', now: clock.now });
    clock.at(100);
    r.requestDone(rec('http://127.0.0.1/a'));
    out.columns = 20;
    clock.at(200);
    r.requestDone(rec('http://127.0.0.1/b'));
    r.close();
    expect(out.text).toBe('\r\x1b[2Kscrape: 1 done, 0 failed, 10.0/s\r\x1b[2Kscrape: 2 done, 0 f\r\x1b[2K');
  });

  it('lets the caller say whether the stream is a terminal, and how wide', () => {
    const json = sink({ columns: 100 });
    openReporter({ stream: json, level: 'info', now: () => 0, isTTY: false }).summary(summary, null);
    expect(JSON.parse(json.text)).toMatchObject({ msg: 'summary', total: 2 });

    const narrow = sink();
    const clock = ticking();
    const r = openReporter({ stream: narrow, level: 'info', now: clock.now, isTTY: true, columns: 12 });
    clock.at(100);
    r.requestDone(rec('http://127.0.0.1/a'));
    expect(narrow.text).toBe('\r\x1b[2Kscrape: 1 d');
  });

  it('on a terminal at --log-level warn (--quiet): no live line, each failure and a one-line summary, warnings still shown', () => {
    const out = sink({ columns: 80 });
    const r = openReporter({ stream: out, level: 'warn', now: () => 0 });
    r.requestDone(rec('http://127.0.0.1/a'));
    r.requestDone(rec('http://127.0.0.1/b', false));
    r.summary(summary, null);
    r.compare(summary, { ...summary, wallMs: 1000 });
    r.debug('hidden');
    r.info('hidden too');
    r.warn('shown');
    expect(out.text).toBe(
      [
        'FAIL 500 http://127.0.0.1/b 7 ms HTTP_STATUS: HTTP 500\n',
        'scrape: 1 of 2 URLs failed (HTTP_STATUS 1); 250 ms\n',
        'scrape: warning: shown\n',
      ].join(''),
    );
  });

  it('on a terminal at --log-level warn, a run where every URL worked prints nothing', () => {
    const out = sink({ columns: 80 });
    const r = openReporter({ stream: out, level: 'warn', now: () => 0 });
    r.requestDone(rec('http://127.0.0.1/a'));
    r.summary({ ...summary, ok: 2, failed: 0, errors: {} }, null);
    expect(out.text).toBe('');
  });

  it('on a terminal with --compare: both walls and the speedup as a table', () => {
    const out = sink({ columns: 80 });
    openReporter({ stream: out, level: 'info', now: () => 0 }).compare(summary, { ...summary, wallMs: 1000 });
    expect(out.text).toBe('scrape: concurrent vs sequential\n  concurrent wall  250 ms\n  sequential wall  1000 ms\n  speedup          4×\n');
  });
});
