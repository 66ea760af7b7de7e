/** The compiled rules: the directory index decides as a plain longest-match scan would, and Crawl-delay follows the group. */
import { describe, expect, it } from 'vitest';
import { compileRobots } from '../../src/schedule/robots-rules.js';

/** A small deterministic generator (mulberry32): the same cases every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** RFC 9309 2.2.2 by brute force, on a regular expression per rule: the longest match decides, Allow on a tie. */
function reference(rules: readonly [allow: boolean, pattern: string][], path: string): boolean {
  let best: [allow: boolean, length: number] | null = null;
  for (const [allow, pattern] of rules) {
    if (pattern === '') continue;
    const anchored = pattern.endsWith('$');
    const body = (anchored ? pattern.slice(0, -1) : pattern)
      .split('*')
      .map((s) => s.replace(/[.?+^()[\]{}|\\$]/g, '\\$&'))
      .join('.*');
    if (!new RegExp(`^${body}${anchored ? '$' : ''}`).test(path)) continue;
    if (best === null || pattern.length > best[1] || (pattern.length === best[1] && allow)) best = [allow, pattern.length];
  }
  return best === null ? true : best[0];
}

describe('compiled robots.txt rules', () => {
  it('decide as a longest-match scan of every rule does, for rules inside and across directories', () => {
    const rnd = random(12);
    const dirs = ['/a/', '/b/', '/ab/', '/a/b/', '/'];
    const bits = ['', 'x', 'y', 'xy', '.html', '/', 'a', 'b'];
    let disallowed = 0;
    for (let file = 0; file < 200; file++) {
      const rules: [boolean, string][] = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => {
        let pattern = pick(rnd, [...dirs, '/*', '*', '/a', '/ab']) + pick(rnd, bits);
        if (rnd() < 0.3) pattern += `*${pick(rnd, bits)}`;
        if (rnd() < 0.2) pattern += '$';
        return [rnd() < 0.5, pattern];
      });
      const compiled = compileRobots(Buffer.from(`User-agent: *\n${rules.map(([allow, p]) => `${allow ? 'Allow' : 'Disallow'}: ${p}`).join('\n')}\n`), 'scrape');
      for (let n = 0; n < 30; n++) {
        const path = pick(rnd, dirs) + pick(rnd, bits) + pick(rnd, bits) + pick(rnd, bits);
        const want = reference(rules, path);
        if (!want) disallowed++;
        expect(compiled.allows(path), `${JSON.stringify(rules)} ${path}`).toBe(want);
      }
    }
    // Both verdicts occur often enough for the comparison to mean something.
    expect(disallowed).toBeGreaterThan(1000);
    expect(disallowed).toBeLessThan(5000);
  });

  it('lets Allow win a tie between a rule that may match anywhere and one of the path\'s directory', () => {
    for (const robots of ['User-agent: *\nAllow: /*/a\nDisallow: /b/a\n', 'User-agent: *\nDisallow: /*/a\nAllow: /b/a\n']) {
      expect(compileRobots(Buffer.from(robots), 'scrape').allows('/b/a'), robots).toBe(true);
    }
  });

  it("takes the Crawl-delay of the token's groups (the largest), else of the \"*\" groups, ignoring values that are no number", () => {
    const robots = 'User-agent: *\nCrawl-delay: 9\n\nUser-agent: AcmeBot\nCrawl-delay: soon\nCrawl-delay: 2\n\nUser-agent: acmebot\nCrawl-delay: 0.5\n';
    expect(compileRobots(Buffer.from(robots), 'AcmeBot').crawlDelaySec).toBe(2);
    expect(compileRobots(Buffer.from(robots), 'OtherBot').crawlDelaySec).toBe(9);
    expect(compileRobots(Buffer.from('User-agent: *\nDisallow: /x\n'), 'OtherBot').crawlDelaySec).toBeNull();
  });

  it('keeps only the rules of the groups that apply', () => {
    const robots = Buffer.from('User-agent: *\nDisallow: /a\nDisallow: /b\n\nUser-agent: AcmeBot\nDisallow: /c\n');
    expect(compileRobots(robots, 'acmebot').ruleCount).toBe(1);
    expect(compileRobots(robots, 'other').ruleCount).toBe(2);
  });
});
