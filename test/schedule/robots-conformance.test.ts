/**
 * The robots.txt matcher against Google's robots.txt test suite and RFC 9309,
 * case by case (the cases and their sources: robots-cases.ts). Rows marked
 * `differs` are where scrape answers otherwise on purpose, and say why.
 */
import { describe, expect, it } from 'vitest';
import { toTarget, type UrlTarget } from '../../src/input/targets.js';
import { isProductToken } from '../../src/schedule/robots-agent.js';
import { compileRobots } from '../../src/schedule/robots-rules.js';
import { AGENT_TOKENS, GOOGLE_CASES, GOOGLE_DERIVED_CASES, RFC_CASES, type RobotsCase } from './robots-cases.js';

/** The path scrape matches: the WHATWG parse input/targets.ts makes of the URL. Google reads an empty URL as "/". */
const pathOf = (url: string): string => (url === '' ? '/' : (toTarget(url) as UrlTarget).path);

const bodyOf = (c: RobotsCase): Buffer => (Buffer.isBuffer(c.robots) ? c.robots : Buffer.from(c.robots, 'utf8'));

/** A row's name: source, agent, URL (cut: some are 16 KiB long). */
const nameOf = (c: RobotsCase): string => {
  const url = c.url.length > 70 ? `${c.url.slice(0, 60)}…(${c.url.length} chars)` : c.url;
  return `${c.source}: ${JSON.stringify(c.agent)} ${url || '(empty URL)'} → ${c.allowed ? 'allowed' : 'disallowed'}${c.differs ? ' [scrape differs]' : ''}`;
};

function suite(title: string, cases: readonly RobotsCase[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [nameOf(c), c] as const))('%s', (_name, c) => {
      const allowed = compileRobots(bodyOf(c), c.agent).allows(pathOf(c.url));
      expect(allowed).toBe(c.differs === undefined ? c.allowed : !c.allowed);
    });
  });
}

suite("Google's robots_test.cc", GOOGLE_CASES);
suite("Google's tests that count lines, as verdicts; its parser's typos", GOOGLE_DERIVED_CASES);
suite('RFC 9309', RFC_CASES);

describe('the differences are few, and each says why', () => {
  it('differs from Google only where the reason is behaviour outside RFC 9309', () => {
    const differing = [...GOOGLE_CASES, ...GOOGLE_DERIVED_CASES, ...RFC_CASES].filter((c) => c.differs !== undefined);
    expect(differing.map((c) => c.source)).toEqual([
      'google ID_Encoding',
      'google ID_Encoding',
      'google ID_Encoding',
      'google GoogleOnly_IndexHTMLisDirectory',
    ]);
    expect(RFC_CASES.some((c) => c.differs !== undefined)).toBe(false);
  });
});

describe("--robots-agent tokens (Google's ID_VerifyValidUserAgentsToObey)", () => {
  it.each(AGENT_TOKENS.map(([token, valid]) => [JSON.stringify(token), token, valid] as const))('%s', (_name, token, valid) => {
    expect(isProductToken(token)).toBe(valid);
  });
});
