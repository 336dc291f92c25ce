// `typed-pickle convert IN OUT --protocol N`: every pickle of IN, read and written again at another
// protocol, one after another, into OUT (replaced atomically). Other classes' instances are carried
// as data (opaque mode: nothing is called); --strict refuses them instead.
import type { CommandModule } from "yargs";
import { loadStream } from "../../../runtime/reader/stream.ts";
import { writeFileAtomically } from "../../../runtime/writer/dump.ts";
import { Pickler } from "../../../runtime/writer/pickler.ts";
import { checkInput, errorText } from "../input.ts";

interface Args {
  input: string;
  output: string;
  protocol: number;
  strict: boolean;
  allowFoldLoss: boolean;
}

export const convertCommand: CommandModule<object, Args> = {
  command: "convert <input> <output>",
  describe: "rewrite each pickle of a file at another protocol",
  builder: (y) =>
    y
      .positional("input", { type: "string", demandOption: true })
      .positional("output", { type: "string", demandOption: true })
      .option("protocol", { alias: "p", type: "number", default: 4, choices: [0, 1, 2, 3, 4, 5], describe: "protocol to write" })
      .option("strict", { type: "boolean", default: false, describe: "refuse globals outside the default allowlist" })
      .option("allow-fold-loss", { type: "boolean", default: false, describe: "write datetimes with fold=1 at protocols 0-3 (fold is dropped)" }) as never,
  handler: async ({ input, output, protocol, strict, allowFoldLoss }) => {
    let count = 0;
    try {
      checkInput(input);
      await writeFileAtomically(output, async (sink) => {
        for await (const value of loadStream(input, { mode: strict ? "strict" : "opaque" })) {
          new Pickler({ protocol, allowFoldLoss }, sink).dump(value);
          count++;
        }
        // An empty OUT would say "no pickles" as if that were a conversion: refuse, OUT untouched.
        if (count === 0) throw new Error("Ran out of input (the file is empty)");
      });
    } catch (e) {
      process.stderr.write(`${input}: ${errorText(e)}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${input} → ${output}: ${count} pickle${count === 1 ? "" : "s"} at protocol ${protocol}\n`);
  },
};
