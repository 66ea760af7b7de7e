/**
 * The shape of src/, checked in `npm test` (`npm run check:deps`).
 *
 * Folders are layers, listed from the top. A module may import its own folder
 * and any folder BELOW it, never one above: the entry (cli) wires the session,
 * the session wires the stages, each stage knows only the stages after it and
 * the leaves. record/ and platform/ are leaves: plain types and the outside
 * world (clock, signals, version), importing no stage. Type-only imports count
 * too: a type is a dependency the compiler enforces.
 *
 * Adding a folder means adding it here, or `npm test` fails (see 'not-in-a-layer').
 */
const LAYERS = [
  'cli', //       argv, help, main(argv, io) → exit code, `scrape demo`
  'session', //   one run from a Config: outcome, exit status, locks, resume, summary file
  'config', //    the option table, config file, RawOptions → frozen Config
  'input', //     lines → Target, parsed once; dedupe; shard; resume skip
  'schedule', //  global window, per-host gate, rate, Crawl-delay, back-off, robots
  'fetch', //     one attempt over an undici Dispatcher; codings; error classification
  'parse', //     decode, extract (streaming and DOM paths), workers
  'cache', //     --cache-dir store and change detection
  'write', //     formats, destinations, writers
  'log', //       pino, TTY reporter, stats
  'record', //    ScrapeRecord, ErrorCode, extraction types, building records
  'platform', //  clock, sleep, process I/O, V8 tuning, version
];

const above = (i) => LAYERS.slice(0, i);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the two modules cannot be understood, tested or loaded apart.',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.map((layer, i) => ({
      name: `${layer}-imports-up`,
      severity: 'error',
      comment: `${layer}/ may import only folders listed below it in .dependency-cruiser.cjs (${LAYERS.slice(i + 1).join(', ') || 'none'}).`,
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${above(i).join('|') || '$^'})/` },
    })),
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'Every module lives in a layer folder; src/ itself holds only entry points (index.ts).',
      from: { path: '^src/', pathNot: [`^src/(${LAYERS.join('|')})/`, '^src/[^/]+\\.ts$'] },
      to: {},
    },
    {
      name: 'entry-points-only-at-the-root',
      severity: 'error',
      comment: 'Nothing below src/ imports an entry point.',
      from: { path: '^src/.+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
