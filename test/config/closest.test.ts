import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/config/closest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['per_host', 'per-host', 1],
    ['concurency', 'concurrency', 1],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['quite', 'quiet', 1],
    ['ab', 'ba', 1],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const keys = ['per-host', 'perHost', 'quiet', 'concurrency'];

  it('finds the nearest candidate, ignoring case', () => {
    expect(closest('per_host', keys)).toBe('per-host');
    expect(closest('PERHOST', keys)).toBe('perHost');
    expect(closest('quite', keys)).toBe('quiet');
  });

  it('gives ties to the first candidate', () => {
    expect(closest('perxhost', ['per-host', 'per_host'])).toBe('per-host');
  });

  it('suggests nothing when every candidate is too far to be a typo', () => {
    expect(closest('colour', keys)).toBeUndefined();
    expect(closest('q', keys)).toBeUndefined();
    expect(closest('anything', [])).toBeUndefined();
  });
});
