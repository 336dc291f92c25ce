// The typed-pickle command line. Each command lives in commands/; this file only wires them up.
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { convertCommand } from "./commands/convert.ts";
import { disCommand } from "./commands/dis.ts";
import { generateCommand } from "./commands/generate.ts";
import { scanCommand } from "./commands/scan.ts";
import { showCommand } from "./commands/show.ts";
import { errorText } from "./input.ts";

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

await yargs(hideBin(process.argv))
  .scriptName("typed-pickle")
  .command(generateCommand)
  .command(disCommand)
  .command(showCommand)
  .command(scanCommand)
  .command(convertCommand)
  .demandCommand(1, "name a command")
  .strict()
  .fail((message, error, y) => {
    if (error && error.name !== "YError") {
      // A command failed with an error it did not expect: one line, no stack trace (set
      // TYPED_PICKLE_DEBUG=1 to see it). Commands report bad input themselves.
      if (process.env.TYPED_PICKLE_DEBUG) throw error;
      process.stderr.write(`typed-pickle: internal error (please report it): ${errorText(error)}\n`);
      process.exit(2);
    }
    process.stderr.write(`${message ?? error?.message}\n\nRun 'typed-pickle --help' for usage.\n`);
    void y;
    process.exit(2);
  })
  .help()
  .parseAsync();
