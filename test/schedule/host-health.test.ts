/** --host-errors: a host given up on after N connection-level failures in a row. */
import { describe, expect, it } from 'vitest';
import { createHostHealth } from '../../src/schedule/host-health.js';

describe('host health', () => {
  it('gives a host up after N connection-level failures in a row, once, naming the last', () => {
    const skips: unknown[] = [];
    const health = createHostHealth(3, (...s) => skips.push(s))!;
    health.observe('a:80', 'CONNECTION');
    health.observe('a:80', 'TIMEOUT');
    expect(health.skipped('a:80')).toBeNull();
    health.observe('a:80', 'DNS');
    expect(health.skipped('a:80')).toEqual({ code: 'HOST_SKIPPED', message: 'not requested: a:80 failed 3 times in a row (last: DNS); --host-errors 3' });
    health.observe('a:80', 'CONNECTION'); // in flight when it was given up on
    expect(skips).toEqual([['a:80', 3, 'DNS']]);
  });

  it('starts counting again after any answer, and counts hosts apart', () => {
    const health = createHostHealth(2, () => {})!;
    health.observe('a:80', 'CONNECTION');
    health.observe('a:80', 'HTTP_STATUS'); // the host answered: it is up
    health.observe('a:80', 'CONNECTION');
    health.observe('b:80', 'CONNECTION');
    expect(health.skipped('a:80')).toBeNull();
    health.observe('a:80', null);
    health.observe('a:80', 'TLS');
    expect(health.skipped('a:80')).toBeNull();
    health.observe('b:80', 'TIMEOUT');
    expect(health.skipped('b:80')?.code).toBe('HOST_SKIPPED');
  });

  it('is off at 0', () => {
    expect(createHostHealth(0, () => {})).toBeNull();
  });
});
