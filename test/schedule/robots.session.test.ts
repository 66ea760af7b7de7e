/** Issue 12: robots.txt is read for the bot the run names, through a whole session (in-process). */
import { describe, expect, it } from 'vitest';
import type { Rec } from '../helpers/run.js';
import { inProcess } from '../helpers/session.js';
import { byUrl, useServer } from '../helpers/setup.js';

const ROBOTS = 'User-agent: *\nDisallow: /private/\n\nUser-agent: acmebot\nDisallow: /articles/\n';

describe('the robots.txt group follows the User-Agent sent', () => {
  const server = useServer({ robots: ROBOTS });
  const urls = () => ['/private/secret.html', '/articles/first.html', '/index.html'].map((p) => server().url(p));
  const verdicts = (records: readonly Rec[]) => {
    const recs = byUrl(records);
    return urls().map((u) => recs.get(u)?.error?.code ?? 'ok');
  };

  it('obeys the AcmeBot group for --user-agent "AcmeBot/1.2 (+…)", not "*"', async () => {
    const r = await inProcess({ options: { userAgent: 'AcmeBot/1.2 (+https://acme.example/bot)' }, stdin: urls().join('\n') });
    expect(verdicts(r.records)).toEqual(['ok', 'ROBOTS_DISALLOWED', 'ok']);
    // The disallowed page was never requested.
    expect(server().hits('/articles/first.html')).toBe(0);
  });

  it('obeys the "*" group for the default User-Agent, and --robots-agent picks a group whatever the User-Agent says', async () => {
    expect(verdicts((await inProcess({ stdin: urls().join('\n') })).records)).toEqual(['ROBOTS_DISALLOWED', 'ok', 'ok']);
    const named = await inProcess({ options: { userAgent: 'Mozilla/5.0 (compatible; AcmeBot/1.2)', robotsAgent: 'AcmeBot' }, stdin: urls().join('\n') });
    expect(verdicts(named.records)).toEqual(['ok', 'ROBOTS_DISALLOWED', 'ok']);
  });
});
