// The full command line, built with yargs from the commands' tables: help, --version, usage errors
// and every form of argv the fast dispatcher leaves to it. Loaded only when that dispatcher misses.
import yargs, { type Argv } from "yargs";
import { type AnyCommandSpec, camelCase } from "./command-spec.ts";
import { reportInternalError } from "./input.ts";

/** Args as the command reads them: the table's keys, camelCased, and nothing else yargs adds. */
function argsOf(spec: AnyCommandSpec, parsed: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const name of [...spec.positionals.map((p) => p.name), ...Object.keys(spec.options)]) args[camelCase(name)] = parsed[camelCase(name)];
  return args;
}

/**
 * The yargs CLI for `commands`; a parsed command line goes to `onCommand` (the real CLI runs the
 * command there; tests capture the args). Usage errors print a message and exit 2.
 */
export function yargsCli(argv: string[], commands: readonly AnyCommandSpec[], onCommand: (spec: AnyCommandSpec, args: Record<string, unknown>) => void | Promise<void>): Argv {
  let cli = yargs(argv).scriptName("typed-pickle");
  for (const spec of commands) {
    const words = spec.positionals.map((p) => (p.array ? `<${p.name}..>` : `<${p.name}>`));
    cli = cli.command({
      command: [spec.name, ...words].join(" "),
      describe: spec.describe,
      builder: (y: Argv) => {
        for (const p of spec.positionals)
          y = y.positional(p.name, { type: "string", array: p.array === true, demandOption: true, ...(p.describe ? { describe: p.describe } : {}) });
        for (const [name, o] of Object.entries(spec.options)) y = y.option(name, { ...o, choices: o.choices ? [...o.choices] : undefined });
        return y;
      },
      handler: (parsed: Record<string, unknown>) => onCommand(spec, argsOf(spec, parsed)),
    });
  }
  return (
    cli
      .demandCommand(1, "name a command")
      .strict()
      // yargs calls this with a null message when a command threw, and no error for a usage mistake (its types say neither).
      .fail((message: string | null, error: Error | undefined) => {
        // A command failed with an error it did not expect: one line, no stack trace.
        if (error && error.name !== "YError") reportInternalError(error);
        process.stderr.write(`${message ?? error?.message}\n\nRun 'typed-pickle --help' for usage.\n`);
        process.exit(2);
      })
      .help()
  );
}
