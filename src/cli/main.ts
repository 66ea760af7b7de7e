import { Command, CommanderError, Option } from 'commander';
import type { AnyRow } from '../config/option-row.js';
import { flagsOf, HELP_FLAG, helpText, ROWS, type RawOptions, VERSION_FLAG } from '../config/options.js';
import { UsageError } from '../config/usage-error.js';
import { processIo, type Io } from '../platform/io.js';
import { VERSION } from '../platform/version.js';
import { EXIT, exitStatus } from '../session/exit-status.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A row of the option table (config/options.ts) as commander's option: flags and help; values stay raw strings. */
function commanderOption(row: AnyRow): Option {
  const option = new Option(flagsOf(row), helpText(row));
  // Repeatable: every -H and -s is kept, in order.
  return row.kind === 'strings' ? option.argParser(collect) : option;
}

function program(io: Io, onRun: (inputs: string[], raw: RawOptions) => void, onDemo: (raw: { latency?: string }) => void): Command {
  const p = new Command('scrape')
    .description('Fetch URLs concurrently and print one JSON record per URL (JSON Lines on stdout, logs on stderr).')
    .usage('[options] [inputs...]')
    .argument('[inputs...]', 'files of URLs, one per line; "-" or none reads standard input')
    .version(VERSION, flagsOf(VERSION_FLAG), VERSION_FLAG.help)
    .helpOption(flagsOf(HELP_FLAG), HELP_FLAG.help);
  for (const [, row] of ROWS) p.addOption(commanderOption(row));
  p.showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // --help and --version are what was asked for: stdout, like every CLI.
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line, our prefix: `scrape: unknown option '--x'`.
      outputError: (s, write) => write(`scrape: ${s.replace(/^error: /, '').trim().split('\n')[0]}\n`),
    })
    // Only what was typed: commander's implied defaults (robots: true for --no-robots)
    // must not override a --config file's value.
    .action((inputs: string[], raw: RawOptions, cmd: Command) =>
      onRun(inputs, Object.fromEntries(Object.entries(raw).filter(([k]) => cmd.getOptionValueSource(k) !== 'default')) as RawOptions),
    );
  p.command('demo')
    .description('serve the bundled fixture site on 127.0.0.1 and scrape it with --compare (no internet needed)')
    .option('--latency <ms>', 'simulated latency per response (default 100)')
    .action((raw: { latency?: string }) => onDemo(raw));
  return p;
}

/** Parse argv, run, and return the exit code. The only module that knows about `process`. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let job: (() => Promise<number>) | null = null;
  const usage = (err: unknown): number => {
    io.stderr.write(`scrape: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  };
  try {
    program(
      io,
      (inputs, raw) => {
        // Validation and the pipeline load only for a real run, so `--version`
        // and `--help` start fast. Validation still ends before any request.
        job = async () => {
          const config = (await import('../config/resolve.js')).buildConfig(inputs, raw, io.env);
          await (await import('../config/selectors.js')).checkSelectors(config.selectors, config.follow ? config.linkSelector : null);
          return exitStatus(await (await import('../session/session.js')).runSession(config, { io }));
        };
      },
      (raw) => {
        job = async () => (await import('./demo.js')).demo(raw, io);
      },
    ).parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
        ? EXIT.OK
        : EXIT.USAGE;
    }
    if (err instanceof UsageError) return usage(err);
    throw err;
  }
  if (!job) return EXIT.OK;
  // Both jobs run the pipeline: set V8 up for it before it loads (v8-tuning.ts).
  (await import('../platform/v8-tuning.js')).tuneV8ForScraping();
  try {
    return await (job as () => Promise<number>)();
  } catch (err) {
    if (err instanceof UsageError) return usage(err);
    throw err;
  }
}
