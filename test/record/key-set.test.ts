/** The compact set of finishedKey() digests behind --resume and the crawl's seen set. */
import { describe, expect, it } from 'vitest';
import { finishedKey } from '../../src/record/finished-key.js';
import { keySet } from '../../src/record/key-set.js';

describe('keySet', () => {
  it('answers like a Set of the same keys, across many growths', () => {
    const set = keySet();
    const truth = new Set<string>();
    let wrongAdds = 0;
    for (let i = 0; i < 50_000; i++) {
      const key = finishedKey(`https://x.test/p/${i}`);
      if (!set.add(key)) wrongAdds++;
      truth.add(key);
      // Every third key is added twice: the second add says it was there.
      if (i % 3 === 0 && set.add(key)) wrongAdds++;
    }
    expect(wrongAdds).toBe(0);
    expect(set.size).toBe(truth.size);
    expect([...truth].filter((key) => !set.has(key))).toEqual([]);
    let falsePositives = 0;
    for (let i = 50_000; i < 100_000; i++) if (set.has(finishedKey(`https://x.test/p/${i}`))) falsePositives++;
    expect(falsePositives).toBe(0);
  });

  it('tells apart keys that share their first 32 bits', () => {
    const set = keySet();
    set.add('AAAAAAAAAAAAAAAA');
    expect(set.has('AAAAAAAAAAAAAAAA')).toBe(true);
    expect(set.has('AAAAAAB/AAAAAAAA')).toBe(false);
    expect(set.add('AAAAAAB/AAAAAAAA')).toBe(true);
    expect(set.size).toBe(2);
  });

  it('keeps a digest whose low 32 bits are all zero (the empty-slot marker) like any other', () => {
    const set = keySet();
    // Characters 5–10 are 'A' (0 bits): the digest's bits 32–63 are all zero.
    const zeroLow = 'QUJDRAAAAAAAAAAA';
    expect(set.has(zeroLow)).toBe(false);
    expect(set.add(zeroLow)).toBe(true);
    expect(set.has(zeroLow)).toBe(true);
    expect(set.add(zeroLow)).toBe(false);
  });
});
