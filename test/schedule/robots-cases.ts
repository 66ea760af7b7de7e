/**
 * robots.txt conformance cases, as our own data: a robots.txt body, the
 * product token asked for, a URL, and the verdict the source gives. Each row
 * names its source:
 *
 * - `google <TEST>`: an expectation of Google's robots.txt parser tests
 *   (github.com/google/robotstxt, robots_test.cc, the test of that name),
 *   restated as a row. `google-derived <TEST>` rows turn a test that counts
 *   parsed lines (line endings, byte order marks, sitemaps) into verdicts on
 *   the same bodies, and `google robots.cc` rows state behaviour of Google's
 *   parser that its tests do not cover (accepted typos).
 * - `RFC 9309 <section>`: cases derived from the text and examples of the
 *   Robots Exclusion Protocol.
 *
 * `differs` marks the few rows where scrape answers the opposite on purpose,
 * with the reason: behaviour that is Google's own, outside RFC 9309.
 */

export interface RobotsCase {
  readonly source: string;
  /** The robots.txt body: text is sent as UTF-8; a Buffer as its bytes. */
  readonly robots: string | Buffer;
  /** The product token matched against `User-agent:` lines. */
  readonly agent: string;
  /** The URL asked about; '' is Google's empty URL, which it reads as the path "/". */
  readonly url: string;
  /** The source's verdict. */
  readonly allowed: boolean;
  /** Why scrape gives the opposite verdict. */
  readonly differs?: string;
}

type Expect = readonly [url: string, allowed: boolean, differs?: string];

/** Rows that share a source, a body and an agent. */
function rows(source: string, robots: string | Buffer, agent: string, expects: readonly Expect[]): RobotsCase[] {
  return expects.map(([url, allowed, differs]) => (differs === undefined ? { source, robots, agent, url, allowed } : { source, robots, agent, url, allowed, differs }));
}

const bytes = (...parts: (number[] | string)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

// Reasons for the rows where scrape differs from Google.
const WHATWG_ENCODES =
  "Google's matcher expects the caller to percent-encode the URL first; scrape's URLs come from the WHATWG URL parser, which encodes ツ as %E3%83%84, so both sides compare encoded (RFC 9309 2.2.2)";
const UNRESERVED_DECODED =
  'RFC 9309 2.2.2 (and its table: /foo/bar/%62%61%7A matches /foo/bar/baz) unencodes percent-encoded unreserved characters before comparing; Google compares the octets as written';
const INDEX_HTML = 'Google-only: an Allow ending in /index.html also allows the directory itself; RFC 9309 matches paths as written';

const FOO_DISALLOW_ALL = 'user-agent: FooBot\ndisallow: /\n';

const GROUPS =
  'allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n';

const AGENT_CASE = (ua: string) => `User-Agent: ${ua}\nAllow: /x/\nDisallow: /\n`;

/** GoogleOnly_LineTooLong: Google keeps the first 2083 * 8 - 1 bytes of a line. */
const MAX_LINE = 2083 * 8;
const longPath = (fill: string, prefix: string): string => `/x/${fill.repeat(MAX_LINE - 3 - prefix.length + 1 - 3)}`;
const LONG_DISALLOW = longPath('a', 'disallow: ');
const LONG_ALLOW_A = longPath('a', 'allow: ');
const LONG_ALLOW_B = longPath('b', 'allow: ');

const fish = (pattern: string) => `user-agent: FooBot\ndisallow: /\nallow: ${pattern}\n`;

const LINE_ENDINGS = (eol: string, last = eol) => `User-Agent: foo${eol}Allow: /some/path${eol}User-Agent: bar${eol}${eol}${eol}Disallow: /${last}`;
const MIXED_ENDINGS = 'User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /';

const BOM_BODY = 'User-Agent: foo\nDisallow: /AnyValue\n';

const RFC_SIMPLE = [
  'User-Agent: *',
  'Disallow: *.gif$',
  'Disallow: /example/',
  'Allow: /publications/',
  '',
  'User-Agent: foobot',
  'Disallow:/',
  'Allow:/example/page.html',
  'Allow:/example/allowed.gif',
  '',
  'User-Agent: barbot',
  'User-Agent: bazbot',
  'Disallow: /example/page.html',
  '',
  'User-Agent: quxbot',
  '',
].join('\n');

/** Google's robots_test.cc, restated. */
export const GOOGLE_CASES: readonly RobotsCase[] = [
  ...rows('google GoogleOnly_SystemTest', '', 'FooBot', [['', true]]),
  ...rows('google GoogleOnly_SystemTest', FOO_DISALLOW_ALL, '', [['', true]]),
  ...rows('google GoogleOnly_SystemTest', FOO_DISALLOW_ALL, 'FooBot', [['', false]]),
  ...rows('google GoogleOnly_SystemTest', '', '', [['', true]]),

  ...rows('google ID_LineSyntax_Line', FOO_DISALLOW_ALL, 'FooBot', [['http://foo.bar/x/y', false]]),
  ...rows('google ID_LineSyntax_Line', 'foo: FooBot\nbar: /\n', 'FooBot', [['http://foo.bar/x/y', true]]),
  ...rows('google ID_LineSyntax_Line', 'user-agent FooBot\ndisallow /\n', 'FooBot', [['http://foo.bar/x/y', false]]),

  ...rows('google ID_LineSyntax_Groups', GROUPS, 'FooBot', [
    ['http://foo.bar/x/b', true],
    ['http://foo.bar/z/d', true],
    ['http://foo.bar/y/c', false],
    ['http://foo.bar/foo/bar/', false],
  ]),
  ...rows('google ID_LineSyntax_Groups', GROUPS, 'BarBot', [
    ['http://foo.bar/y/c', true],
    ['http://foo.bar/w/a', true],
    ['http://foo.bar/z/d', false],
    ['http://foo.bar/foo/bar/', false],
  ]),
  ...rows('google ID_LineSyntax_Groups', GROUPS, 'BazBot', [
    ['http://foo.bar/z/d', true],
    ['http://foo.bar/foo/bar/', false],
  ]),

  ...['FooBot', 'BarBot'].flatMap((agent) => [
    ...rows('google ID_LineSyntax_Groups_OtherRules', 'User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n', agent, [
      ['http://foo.bar/', false],
    ]),
    ...rows('google ID_LineSyntax_Groups_OtherRules', 'User-agent: FooBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n', agent, [
      ['http://foo.bar/', false],
    ]),
  ]),

  ...[
    'USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n',
    'user-agent: FooBot\nallow: /x/\ndisallow: /\n',
    'uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n',
  ].flatMap((robots) =>
    rows('google ID_REPLineNamesCaseInsensitive', robots, 'FooBot', [
      ['http://foo.bar/x/y', true],
      ['http://foo.bar/a/b', false],
    ]),
  ),

  ...['FOO BAR', 'foo bar', 'FoO bAr'].flatMap((ua) =>
    ['Foo', 'foo'].flatMap((agent) =>
      rows('google ID_UserAgentValueCaseInsensitive', AGENT_CASE(ua), agent, [
        ['http://foo.bar/x/y', true],
        ['http://foo.bar/a/b', false],
      ]),
    ),
  ),

  ...rows('google GoogleOnly_AcceptUserAgentUpToFirstSpace', 'User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n', 'Foo', [
    ['http://foo.bar/x/y', true],
  ]),
  ...rows('google GoogleOnly_AcceptUserAgentUpToFirstSpace', 'User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n', 'Foo Bar', [
    ['http://foo.bar/x/y', false],
  ]),

  ...rows('google ID_GlobalGroups_Secondary', '', 'FooBot', [['http://foo.bar/x/y', true]]),
  ...rows('google ID_GlobalGroups_Secondary', 'user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n', 'FooBot', [['http://foo.bar/x/y', false]]),
  ...rows('google ID_GlobalGroups_Secondary', 'user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n', 'BarBot', [['http://foo.bar/x/y', true]]),
  ...rows('google ID_GlobalGroups_Secondary', 'user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n', 'QuxBot', [
    ['http://foo.bar/x/y', true],
  ]),

  ...rows('google ID_AllowDisallow_Value_CaseSensitive', 'user-agent: FooBot\ndisallow: /x/\n', 'FooBot', [['http://foo.bar/x/y', false]]),
  ...rows('google ID_AllowDisallow_Value_CaseSensitive', 'user-agent: FooBot\ndisallow: /X/\n', 'FooBot', [['http://foo.bar/x/y', true]]),

  ...rows('google ID_LongestMatch', 'user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n', 'FooBot', [['http://foo.bar/x/page.html', false]]),
  ...rows('google ID_LongestMatch', 'user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n', 'FooBot', [
    ['http://foo.bar/x/page.html', true],
    ['http://foo.bar/x/', false],
  ]),
  ...rows('google ID_LongestMatch', 'user-agent: FooBot\ndisallow: \nallow: \n', 'FooBot', [['http://foo.bar/x/page.html', true]]),
  ...rows('google ID_LongestMatch', 'user-agent: FooBot\ndisallow: /\nallow: /\n', 'FooBot', [['http://foo.bar/x/page.html', true]]),
  ...rows('google ID_LongestMatch', 'user-agent: FooBot\ndisallow: /x\nallow: /x/\n', 'FooBot', [
    ['http://foo.bar/x', false],
    ['http://foo.bar/x/', true],
  ]),
  ...rows('google ID_LongestMatch', 'user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n', 'FooBot', [['http://foo.bar/x/page.html', true]]),
  ...rows('google ID_LongestMatch', 'user-agent: FooBot\nallow: /page\ndisallow: /*.html\n', 'FooBot', [
    ['http://foo.bar/page.html', false],
    ['http://foo.bar/page', true],
  ]),
  ...rows('google ID_LongestMatch', 'user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n', 'FooBot', [
    ['http://foo.bar/x/page.html', true],
    ['http://foo.bar/x/y.html', false],
  ]),
  ...rows('google ID_LongestMatch', 'User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n', 'FooBot', [
    ['http://foo.bar/x/page', true],
    ['http://foo.bar/y/page', false],
  ]),

  ...rows('google ID_Encoding', 'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n', 'FooBot', [
    ['http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par', true],
  ]),
  ...rows('google ID_Encoding', 'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n', 'FooBot', [
    ['http://foo.bar/foo/bar/%E3%83%84', true],
    ['http://foo.bar/foo/bar/ツ', false, WHATWG_ENCODES],
  ]),
  ...rows('google ID_Encoding', 'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n', 'FooBot', [
    ['http://foo.bar/foo/bar/%E3%83%84', true],
    ['http://foo.bar/foo/bar/ツ', false, WHATWG_ENCODES],
  ]),
  ...rows('google ID_Encoding', 'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n', 'FooBot', [
    ['http://foo.bar/foo/bar/baz', false, UNRESERVED_DECODED],
    ['http://foo.bar/foo/bar/%62%61%7A', true],
  ]),

  ...rows('google ID_SpecialCharacters', 'User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n', 'FooBot', [
    ['http://foo.bar/foo/bar/quz', false],
    ['http://foo.bar/foo/quz', true],
    ['http://foo.bar/foo//quz', true],
    ['http://foo.bar/foo/bax/quz', true],
  ]),
  ...rows('google ID_SpecialCharacters', 'User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n', 'FooBot', [
    ['http://foo.bar/foo/bar', false],
    ['http://foo.bar/foo/bar/qux', true],
    ['http://foo.bar/foo/bar/', true],
    ['http://foo.bar/foo/bar/baz', true],
  ]),
  ...rows('google ID_SpecialCharacters', 'User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n', 'FooBot', [
    ['http://foo.bar/foo/bar', true],
    ['http://foo.bar/foo/quz', false],
  ]),

  ...rows('google GoogleOnly_IndexHTMLisDirectory', 'User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n', 'foobot', [
    ['http://foo.com/allowed-slash/', true, INDEX_HTML],
    ['http://foo.com/allowed-slash/index.htm', false],
    ['http://foo.com/allowed-slash/index.html', true],
    ['http://foo.com/anyother-url', false],
  ]),

  ...rows('google GoogleOnly_LineTooLong', `user-agent: FooBot\ndisallow: ${LONG_DISALLOW}/qux\n`, 'FooBot', [
    ['http://foo.bar/fux', true],
    [`http://foo.bar${LONG_DISALLOW}/fux`, false],
  ]),
  ...rows('google GoogleOnly_LineTooLong', `user-agent: FooBot\ndisallow: /\nallow: ${LONG_ALLOW_A}/qux\nallow: ${LONG_ALLOW_B}/qux\n`, 'FooBot', [
    ['http://foo.bar/', false],
    [`http://foo.bar${LONG_ALLOW_A}/qux`, true],
    [`http://foo.bar${LONG_ALLOW_B}/fux`, true],
  ]),

  ...['/fish', '/fish*'].flatMap((pattern) =>
    rows('google GoogleOnly_DocumentationChecks', fish(pattern), 'FooBot', [
      ['http://foo.bar/bar', false],
      ['http://foo.bar/fish', true],
      ['http://foo.bar/fish.html', true],
      ['http://foo.bar/fish/salmon.html', true],
      ['http://foo.bar/fishheads', true],
      ['http://foo.bar/fishheads/yummy.html', true],
      ['http://foo.bar/fish.html?id=anything', true],
      [pattern === '/fish' ? 'http://foo.bar/Fish.asp' : 'http://foo.bar/Fish.bar', false],
      ['http://foo.bar/catfish', false],
      ['http://foo.bar/?id=fish', false],
    ]),
  ),
  ...rows('google GoogleOnly_DocumentationChecks', fish('/fish/'), 'FooBot', [
    ['http://foo.bar/bar', false],
    ['http://foo.bar/fish/', true],
    ['http://foo.bar/fish/salmon', true],
    ['http://foo.bar/fish/?salmon', true],
    ['http://foo.bar/fish/salmon.html', true],
    ['http://foo.bar/fish/?id=anything', true],
    ['http://foo.bar/fish', false],
    ['http://foo.bar/fish.html', false],
    ['http://foo.bar/Fish/Salmon.html', false],
  ]),
  ...rows('google GoogleOnly_DocumentationChecks', fish('/*.php'), 'FooBot', [
    ['http://foo.bar/bar', false],
    ['http://foo.bar/filename.php', true],
    ['http://foo.bar/folder/filename.php', true],
    ['http://foo.bar/folder/filename.php?parameters', true],
    ['http://foo.bar//folder/any.php.file.html', true],
    ['http://foo.bar/filename.php/', true],
    ['http://foo.bar/index?f=filename.php/', true],
    ['http://foo.bar/php/', false],
    ['http://foo.bar/index?php', false],
    ['http://foo.bar/windows.PHP', false],
  ]),
  ...rows('google GoogleOnly_DocumentationChecks', fish('/*.php$'), 'FooBot', [
    ['http://foo.bar/bar', false],
    ['http://foo.bar/filename.php', true],
    ['http://foo.bar/folder/filename.php', true],
    ['http://foo.bar/filename.php?parameters', false],
    ['http://foo.bar/filename.php/', false],
    ['http://foo.bar/filename.php5', false],
    ['http://foo.bar/php/', false],
    ['http://foo.bar/filename?php', false],
    ['http://foo.bar/aaaphpaaa', false],
    ['http://foo.bar//windows.PHP', false],
  ]),
  ...rows('google GoogleOnly_DocumentationChecks', fish('/fish*.php'), 'FooBot', [
    ['http://foo.bar/bar', false],
    ['http://foo.bar/fish.php', true],
    ['http://foo.bar/fishheads/catfish.php?parameters', true],
    ['http://foo.bar/Fish.PHP', false],
  ]),
  ...rows('google GoogleOnly_DocumentationChecks', 'user-agent: FooBot\nallow: /p\ndisallow: /\n', 'FooBot', [['http://example.com/page', true]]),
  ...rows('google GoogleOnly_DocumentationChecks', 'user-agent: FooBot\nallow: /folder\ndisallow: /folder\n', 'FooBot', [['http://example.com/folder/page', true]]),
  ...rows('google GoogleOnly_DocumentationChecks', 'user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n', 'FooBot', [['http://example.com/page.htm', false]]),
  ...rows('google GoogleOnly_DocumentationChecks', 'user-agent: FooBot\nallow: /$\ndisallow: /\n', 'FooBot', [
    ['http://example.com/', true],
    ['http://example.com/page.html', false],
  ]),

  // TestGetPathParamsQuery, for the URLs scrape accepts (absolute http URLs):
  // the path and query are matched, the fragment is not.
  ...rows('google TestGetPathParamsQuery', 'user-agent: FooBot\ndisallow: /a/b?c=d&e=f$\n', 'FooBot', [
    ['http://www.example.com/a/b?c=d&e=f#fragment', false],
    ['http://www.example.com/a/b?c=d&e=fg', true],
  ]),
  ...rows('google TestGetPathParamsQuery', 'user-agent: FooBot\ndisallow: /$\n', 'FooBot', [
    ['http://www.example.com', false],
    ['http://www.example.com/', false],
    ['http://www.example.com/a', true],
  ]),
  ...rows('google TestGetPathParamsQuery', 'user-agent: FooBot\ndisallow: /a/b?c=http://d.e/$\n', 'FooBot', [['http://www.example.com/a/b?c=http://d.e/', false]]),

  // TestMaybeEscapePattern: a rule's non-ASCII octets are percent-encoded and its escapes upper-cased.
  ...rows('google TestMaybeEscapePattern', 'user-agent: FooBot\ndisallow: /á\n', 'FooBot', [['http://foo.bar/%C3%A1', false]]),
  ...rows('google TestMaybeEscapePattern', 'user-agent: FooBot\ndisallow: /%aa\n', 'FooBot', [['http://foo.bar/%AA', false]]),
];

/** Google's tests that count parsed lines, as verdicts on the same bodies; and behaviour of its parser its tests leave out. */
export const GOOGLE_DERIVED_CASES: readonly RobotsCase[] = [
  ...[LINE_ENDINGS('\n'), LINE_ENDINGS('\r\n'), LINE_ENDINGS('\r'), LINE_ENDINGS('\n', ''), MIXED_ENDINGS].flatMap((robots) => [
    ...rows('google-derived ID_LinesNumbersAreCountedCorrectly', robots, 'bar', [['http://foo.bar/x', false]]),
    ...rows('google-derived ID_LinesNumbersAreCountedCorrectly', robots, 'foo', [['http://foo.bar/x', true]]),
  ]),

  ...rows('google-derived ID_UTF8ByteOrderMarkIsSkipped', bytes([0xef, 0xbb, 0xbf], BOM_BODY), 'foo', [['http://foo.bar/AnyValue', false]]),
  ...rows('google-derived ID_UTF8ByteOrderMarkIsSkipped', bytes([0xef, 0xbb], BOM_BODY), 'foo', [['http://foo.bar/AnyValue', false]]),
  ...rows('google-derived ID_UTF8ByteOrderMarkIsSkipped', bytes([0xef], BOM_BODY), 'foo', [['http://foo.bar/AnyValue', false]]),
  // A broken BOM spoils the first line: the rule after it is outside any group.
  ...rows('google-derived ID_UTF8ByteOrderMarkIsSkipped', bytes([0xef, 0x11, 0xbf], BOM_BODY), 'foo', [['http://foo.bar/AnyValue', true]]),
  // A BOM is skipped only at the start: mid-file it spoils its line.
  ...rows('google-derived ID_UTF8ByteOrderMarkIsSkipped', bytes('User-Agent: foo\n', [0xef, 0xbb, 0xbf], 'Disallow: /AnyValue\n'), 'foo', [
    ['http://foo.bar/AnyValue', true],
  ]),

  ...rows('google-derived ID_NonStandardLineExample_Sitemap', 'User-Agent: foo\nDisallow: /some/path\nUser-Agent: bar\n\n\nSitemap: http://foo.bar/sitemap.xml\n', 'foo', [
    ['http://foo.bar/some/path', false],
  ]),
  ...rows('google-derived ID_NonStandardLineExample_Sitemap', 'Sitemap: http://foo.bar/sitemap.xml\nUser-Agent: foo\nDisallow: /some/path\nUser-Agent: bar\n\n\n', 'foo', [
    ['http://foo.bar/some/path', false],
  ]),

  ...['Dissallow', 'dissalow', 'disalow', 'DIASLLOW', 'disallaw'].flatMap((key) =>
    rows('google robots.cc KeyIsDisallow typos', `User-agent: FooBot\n${key}: /x\n`, 'FooBot', [['http://foo.bar/x/y', false]]),
  ),
  ...['useragent', 'User agent', 'USER-AGENT'].flatMap((key) =>
    rows('google robots.cc KeyIsUserAgent typos', `${key}: FooBot\nDisallow: /x\n`, 'FooBot', [['http://foo.bar/x/y', false]]),
  ),
  ...rows('google robots.cc HandleUserAgent', 'User-agent: * everyone\nDisallow: /x\n', 'FooBot', [['http://foo.bar/x/y', false]]),
  ...rows('google robots.cc HandleUserAgent', 'User-agent: FooBot/2.1\nDisallow: /x\n', 'FooBot', [['http://foo.bar/x/y', false]]),
  // Three words and no colon: the line is not read (which word is the key?).
  ...rows('google robots.cc GetKeyAndValueFrom', 'User-agent: FooBot\nDisallow /x /y\n', 'FooBot', [['http://foo.bar/x/y', true]]),
];

/** Cases derived from RFC 9309. */
export const RFC_CASES: readonly RobotsCase[] = [
  ...rows('RFC 9309 2.2.1 product token, case-insensitive', 'user-agent: examplebot\ndisallow: /foo\n', 'ExampleBot', [['https://www.example.com/foo', false]]),
  ...rows('RFC 9309 2.2.1 groups of one token merged', 'user-agent: ExampleBot\ndisallow: /foo\ndisallow: /bar\n\nuser-agent: ExampleBot\ndisallow: /baz\n', 'ExampleBot', [
    ['https://www.example.com/foo', false],
    ['https://www.example.com/bar', false],
    ['https://www.example.com/baz', false],
    ['https://www.example.com/qux', true],
  ]),
  ...rows('RFC 9309 2.2.1 no matching group: the "*" group', 'user-agent: *\ndisallow: /foo\ndisallow: /bar\n\nuser-agent: BazBot\ndisallow: /baz\n', 'ExampleBot', [
    ['https://www.example.com/foo', false],
    ['https://www.example.com/bar', false],
    ['https://www.example.com/baz', true],
  ]),
  ...rows('RFC 9309 2.2.1 no matching group and no "*": no rules', 'user-agent: BazBot\ndisallow: /\n', 'ExampleBot', [['https://www.example.com/baz', true]]),
  ...rows('RFC 9309 2.2.1 a matching group without rules allows all', 'user-agent: *\ndisallow: /\n\nuser-agent: ExampleBot\n', 'ExampleBot', [
    ['https://www.example.com/page', true],
  ]),

  ...rows('RFC 9309 2.2.2 allow wins an equivalent disallow', 'user-agent: *\ndisallow: /page\nallow: /page\n', 'ExampleBot', [['https://www.example.com/page', true]]),
  ...rows('RFC 9309 2.2.2 /robots.txt is implicitly allowed', 'user-agent: *\ndisallow: /\n', 'ExampleBot', [
    ['https://www.example.com/robots.txt', true],
    ['https://www.example.com/robots.txt.bak', false],
  ]),
  ...rows('RFC 9309 2.2.2 rules outside any group are ignored', 'disallow: /\nuser-agent: ExampleBot\nallow: /x\n', 'ExampleBot', [['https://www.example.com/y', true]]),
  ...rows('RFC 9309 2.2.2 percent-encoding table', 'user-agent: *\ndisallow: /foo/bar?baz=quz\n', 'ExampleBot', [['https://www.example.com/foo/bar?baz=quz', false]]),
  ...rows('RFC 9309 2.2.2 percent-encoding table', 'user-agent: *\ndisallow: /foo/bar/ツ\n', 'ExampleBot', [['https://www.example.com/foo/bar/%E3%83%84', false]]),
  ...rows('RFC 9309 2.2.2 percent-encoding table', 'user-agent: *\ndisallow: /foo/bar/%E3%83%84\n', 'ExampleBot', [['https://www.example.com/foo/bar/%E3%83%84', false]]),
  ...rows('RFC 9309 2.2.2 percent-encoding table', 'user-agent: *\ndisallow: /foo/bar/%62%61%7A\n', 'ExampleBot', [['https://www.example.com/foo/bar/baz', false]]),
  ...rows('RFC 9309 2.2.2 unencoded unreserved octets in the URI', 'user-agent: *\ndisallow: /foo/bar/baz\n', 'ExampleBot', [['https://www.example.com/foo/%62ar/baz', false]]),
  ...rows('RFC 9309 2.2.2 reserved octets stay encoded', 'user-agent: *\ndisallow: /a/b\n', 'ExampleBot', [['https://www.example.com/a%2Fb', true]]),
  ...rows('RFC 9309 2.2.2 escapes compare case-insensitively', 'user-agent: *\ndisallow: /a%2fb\n', 'ExampleBot', [['https://www.example.com/a%2Fb', false]]),

  ...rows('RFC 9309 2.2.3 # designates a comment', 'user-agent: * # all\ndisallow: /x # not /\n# disallow: /\n', 'ExampleBot', [
    ['https://www.example.com/x/y', false],
    ['https://www.example.com/y', true],
  ]),
  ...rows('RFC 9309 2.2.3 $ designates the end of the pattern', 'user-agent: *\ndisallow: /this/path/exactly$\n', 'ExampleBot', [
    ['https://www.example.com/this/path/exactly', false],
    ['https://www.example.com/this/path/exactly/', true],
  ]),
  ...rows('RFC 9309 2.2.3 * designates any characters', 'user-agent: *\ndisallow: /this/*/exactly\n', 'ExampleBot', [
    ['https://www.example.com/this/a/b/exactly', false],
    ['https://www.example.com/this/exactly', true],
  ]),
  ...rows('RFC 9309 2.2.3 %2A matches a literal *', 'user-agent: *\ndisallow: /path/file-with-a-%2A.html\n', 'ExampleBot', [
    ['https://www.example.com/path/file-with-a-*.html', false],
    ['https://www.example.com/path/file-with-a-b.html', true],
  ]),
  ...rows('RFC 9309 2.2.3 %24 matches a literal $', 'user-agent: *\ndisallow: /path/foo-%24\n', 'ExampleBot', [
    ['https://www.example.com/path/foo-$', false],
    ['https://www.example.com/path/foo-', true],
  ]),

  ...rows('RFC 9309 2.2.4 a Sitemap record does not end a group', 'user-agent: ExampleBot\nsitemap: https://www.example.com/sitemap.xml\ndisallow: /x\n', 'ExampleBot', [
    ['https://www.example.com/x', false],
  ]),

  ...rows('RFC 9309 5.1 simple example', RFC_SIMPLE, 'OtherBot', [
    ['https://www.example.com/publications/a.gif', true],
    ['https://www.example.com/example/page.html', false],
    ['https://www.example.com/images/a.gif', false],
    ['https://www.example.com/images/a.gifs', true],
  ]),
  ...rows('RFC 9309 5.1 simple example', RFC_SIMPLE, 'foobot', [
    ['https://www.example.com/example/page.html', true],
    ['https://www.example.com/example/allowed.gif', true],
    ['https://www.example.com/example/other.html', false],
    ['https://www.example.com/', false],
  ]),
  ...['barbot', 'BazBot'].flatMap((agent) =>
    rows('RFC 9309 5.1 simple example', RFC_SIMPLE, agent, [
      ['https://www.example.com/example/page.html', false],
      ['https://www.example.com/example/other.html', true],
    ]),
  ),
  ...rows('RFC 9309 5.1 simple example', RFC_SIMPLE, 'quxbot', [['https://www.example.com/example/page.html', true]]),
  ...rows('RFC 9309 5.2 longest match', 'User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n', 'foobot', [
    ['https://www.example.com/example/page/disallowed.gif', false],
    ['https://www.example.com/example/page/allowed.gif', true],
  ]),
];

/**
 * Google's ID_VerifyValidUserAgentsToObey, restated for `--robots-agent`: a
 * product token is letters, `_` and `-` only (RFC 9309 2.2.1).
 */
export const AGENT_TOKENS: readonly (readonly [token: string, valid: boolean])[] = [
  ['Foobot', true],
  ['Foobot-Bar', true],
  ['Foo_Bar', true],
  ['', false],
  ['ツ', false],
  ['Foobot*', false],
  [' Foobot ', false],
  ['Foobot/2.1', false],
  ['Foobot Bar', false],
];
