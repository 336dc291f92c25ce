#!/usr/bin/env node
// The typed-pickle command line. Each command is a table plus a run function (commands/*.ts).
// A plain command line (`typed-pickle show x.pkl`) is parsed from the table here and run at once:
// only that command's modules load, so show/dis/scan start about as fast as node itself. Anything
// else — --help, --version, a usage error, an unusual spelling — goes to the yargs CLI built from
// the same tables (yargs alone costs more start-up time than the whole of `show`).
import type { AnyCommandSpec } from "./command-spec.ts";
import { fastParse } from "./fast-parse.ts";
import { reportInternalError } from "./input.ts";

/** Each command's module, loaded only when that command runs (generate's alone brings in ts-morph). */
const COMMANDS: Record<string, () => Promise<AnyCommandSpec>> = {
  generate: async () => (await import("./commands/generate.ts")).generateCommand,
  dis: async () => (await import("./commands/dis.ts")).disCommand,
  show: async () => (await import("./commands/show.ts")).showCommand,
  scan: async () => (await import("./commands/scan.ts")).scanCommand,
  convert: async () => (await import("./commands/convert.ts")).convertCommand,
  infer: async () => (await import("./commands/infer.ts")).inferCommand,
  "import-python": async () => (await import("./commands/import-python.ts")).importPythonCommand,
  check: async () => (await import("./commands/check.ts")).checkCommand,
};

/** With TYPED_PICKLE_TRACE_DISPATCH set, says on stderr which reader of argv ran (tests check it). */
const trace = (line: string) => {
  if (process.env.TYPED_PICKLE_TRACE_DISPATCH) process.stderr.write(`typed-pickle: dispatch: ${line}\n`);
};

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const load = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  const spec = load && (await load());
  const args = spec && fastParse(spec, rest);
  if (spec && args) {
    trace(`fast ${spec.name}`);
    await spec.run(args as never);
    return;
  }
  trace("yargs");
  const { yargsCli } = await import("./yargs-cli.ts");
  const commands = await Promise.all(Object.values(COMMANDS).map((l) => l()));
  await yargsCli(argv, commands, (s, a) => s.run(a as never)).parseAsync();
}

// Errors a command did not expect (it reports bad input itself) are one line and exit 2.
main(process.argv.slice(2)).catch(reportInternalError);
