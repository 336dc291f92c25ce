// The declarative table each command is: its name, positional arguments and options, the only place
// an option is declared. Two readers of argv are built from these tables: the full yargs CLI
// (yargs-cli.ts: help, usage errors, anything unusual) and the fast dispatcher (fast-parse.ts),
// which runs a plain command line without loading yargs at all.

/** One `--option`. Names are kebab-case; the command receives them camelCased (`allow-fold-loss` → allowFoldLoss). */
export interface OptionSpec {
  type: "boolean" | "number" | "string";
  /** One-letter alias (`-p`). */
  alias?: string;
  default: boolean | number | string;
  /** The values allowed. */
  choices?: readonly (number | string)[];
  describe: string;
}

/** A positional argument; an `array` one takes one or more values and must come last. */
export interface PositionalSpec {
  name: string;
  array?: boolean;
  describe?: string;
}

export interface CommandSpec<Args = never> {
  name: string;
  describe: string;
  positionals: readonly PositionalSpec[];
  options: Readonly<Record<string, OptionSpec>>;
  /** Runs the command; it reports bad input itself and sets process.exitCode. */
  run: (args: Args) => void | Promise<void>;
}

/**
 * A command's table whatever its Args. `run` takes `never` here, so handing it arguments takes `args as never`:
 * only the dispatchers do that, with the Args they built from the table itself.
 */
export type AnyCommandSpec = CommandSpec<never>;

/** `allow-fold-loss` → `allowFoldLoss`: the key a command reads an option under. */
export const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Declares a command with its Args type checked against its run function. */
export const command = <Args>(spec: CommandSpec<Args>): CommandSpec<Args> => spec;
