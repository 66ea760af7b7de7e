import { Command, CommanderError, Option } from 'commander';
import type { RawOptions } from '../config/raw-options.js';
import { DEFAULTS } from '../config/defaults.js';
import { LOG_LEVELS } from '../log/levels.js';
import { UsageError } from '../config/usage-error.js';
import { processIo, type Io } from '../platform/io.js';
import { DEFAULT_USER_AGENT, VERSION } from '../platform/version.js';
import { EXIT, exitStatus } from '../session/exit-status.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function program(io: Io, onRun: (inputs: string[], raw: RawOptions) => void, onDemo: (raw: { latency?: string }) => void): Command {
  const p = new Command('scrape')
    .description('Fetch URLs concurrently and print one JSON record per URL (JSON Lines on stdout, logs on stderr).')
    .usage('[options] [inputs...]')
    .argument('[inputs...]', 'files of URLs, one per line; "-" or none reads standard input')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .option('-c, --concurrency <n>', `requests in flight at once, all hosts together (default ${DEFAULTS.concurrency})`)
    .option('--per-host <n>', `requests in flight at once to one host (default ${DEFAULTS.perHost})`)
    .option('--timeout <ms>', `deadline for one attempt, body included (default ${DEFAULTS.timeoutMs})`)
    .option('--retries <n>', `extra attempts after connection errors, timeouts, 429 and 5xx (default ${DEFAULTS.retries})`)
    .option('--max-bytes <n>', `largest decoded body to read; K/M/G suffixes allowed (default ${DEFAULTS.maxBytes / 1024 / 1024}M)`)
    .option('--max-redirects <n>', `redirects to follow (default ${DEFAULTS.maxRedirects})`)
    .option('--retry-max-wait <ms>', `longest Retry-After to wait for; a longer one fails the URL at once (default ${DEFAULTS.retryMaxWaitMs})`)
    .option('--deny-private', 'refuse loopback, private, link-local and cloud-metadata addresses (checked on the address connected to)')
    .option('-H, --header <header>', 'extra request header "Name: value" (repeatable)', collect)
    .option('--user-agent <string>', `User-Agent header (default "${DEFAULT_USER_AGENT}")`)
    .option('-s, --select <spec>', 'extract NAME=CSS, NAME=CSS@ATTR, NAME[]=CSS or NAME[]=CSS@ATTR into data (repeatable)', collect)
    .option('--links', 'add "links": every absolute http(s) link on the page')
    .option('-o, --output <file>', 'write records to FILE atomically instead of stdout')
    .addOption(new Option('-f, --format <format>', `output format: jsonl, json or csv (default ${DEFAULTS.format})`))
    .option('--no-robots', 'do not fetch or obey robots.txt')
    .option('--compare', 'also run a sequential baseline (concurrency 1) and report the speedup')
    .option('--workers <n>', 'parse worker threads: a number (0 = main thread only) or auto (default auto: big pages go to workers)')
    .option('--rate <n>', 'at most N request starts per second to each host, e.g. 2 or 0.5 (default: no limit)')
    .option('--cache-dir <dir>', 'remember ETag/Last-Modified and body hashes here; send conditional requests; add "changed" to records')
    .option('--changed-only', 'write records only for new or changed pages, and failures (needs --cache-dir)')
    .option('--resume', 'with -o FILE (jsonl): skip URLs FILE already has a record for, append the rest')
    .option('--summary-file <file>', 'write the end-of-run summary as one JSON document to FILE (atomically)')
    .option('--shard <i/n>', 'take only the URLs whose host falls in shard I of N (1-based, stable across machines)')
    .option('--config <file>', 'read options from a JSON file (keys are long option names in camelCase); flags win')
    .option('--quiet', 'no per-request logs, progress or summary; only warnings and errors')
    .addOption(new Option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')} (default ${DEFAULTS.logLevel})`))
    .showSuggestionAfterError(true)
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
          const config = (await import('../config/resolve.js')).buildConfig(inputs, raw);
          await (await import('../config/selectors.js')).checkSelectors(config.selectors);
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
