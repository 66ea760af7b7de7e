/** What a row of the option table (options.ts) is, and the table's type: Config, option by option. */
import type { Config } from './config.js';

/**
 * How an option takes its value, on the command line and in a --config file:
 * - `boolean`: a switch (`--links`, `--no-robots`); in a file, true or false.
 * - `strings`: repeatable (`-H a -H b`); in a file, an array of strings.
 * - `number`: one value; in a file, a number or a string (`"5M"`, `"auto"`).
 * - `string`: one value; in a file, a string.
 * - `path`: one value; in a file, a string resolved against the file's folder.
 */
export type Kind = 'number' | 'string' | 'path' | 'boolean' | 'strings';

/** What commander (or a config file, converted) hands a row's parser. */
export type RawValue<K extends Kind> = K extends 'boolean' ? boolean : K extends 'strings' ? readonly string[] : string;

interface RowOf<T, K extends Kind> {
  /** The long flag as typed, without `--`. A config-file key, as is its camelCase form. */
  readonly long: string;
  /** One-letter alias: `c` for `-c`. */
  readonly short?: string;
  readonly kind: K;
  /** Raw → typed, or a UsageError naming `flag` (`--per-host`), what it takes and the value it got. */
  readonly parse: (raw: RawValue<K>, flag: string) => T;
  /** The line in `--help`; `(default …)` is added from `default`. */
  readonly help: string;
  /** How `--help` names the default when the bare default says too little. */
  readonly helpDefault?: string;
  /** The README's Options row, where it differs from the help: value placeholder, default column, meaning. */
  readonly readme?: { readonly value?: string; readonly default?: string; readonly text?: string };
  /** false: not a --config file key (only --config itself: files do not nest). */
  readonly inFile?: false;
}

/** A switch takes no value; any other option names its value in `--help` (`<n>`). */
type Placeholder<K extends Kind> = K extends 'boolean' ? { readonly value?: never } : { readonly value: string };

/**
 * The default, as typed on the command line: `--help` and the README show it,
 * and parsing it gives the typed default, so the two cannot drift apart. An
 * option with no default (its Config value null when not given) leaves it out.
 */
type DefaultOf<T, K extends Kind> = null extends T ? { readonly default?: RawValue<K> } : { readonly default: RawValue<K> };

/** One option: a row of the table, for a Config field of type T. */
export type OptionRow<T> = { [K in Kind]: RowOf<T, K> & Placeholder<K> & DefaultOf<T, K> }[Kind];

/** Config fields no option sets: the command's arguments, a constant, and what options resolve to (proxies, the --ca-cert PEM). */
type NotOptions = 'inputs' | 'graceMs' | 'proxies' | 'extraCa';

/** What the options give: Config without the fields that are not options. */
export type OptionValues = Omit<Config, NotOptions>;

/**
 * One row per option, keyed by the Config field it fills (vitest's
 * `CLIOptions<Config>` idea): a field without a row, a row without a field, or
 * a parser returning the wrong type fails to compile.
 */
export type OptionTable = { readonly [F in keyof OptionValues]-?: OptionRow<OptionValues[F]> };

/** Any row, whatever its field's type. */
export type AnyRow = OptionRow<unknown>;
