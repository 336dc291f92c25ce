// `typed-pickle convert IN OUT --protocol N`: every pickle of IN, read and written again at another
// protocol, one after another, into OUT (replaced atomically). Other classes' instances are carried
// as data (opaque mode: nothing is called); --strict refuses them instead.
import { loadStream } from "../../../runtime/node/stream.ts";
import { writeFileAtomically } from "../../../runtime/node/write-file.ts";
import { Pickler } from "../../../runtime/writer/pickler.ts";
import { command } from "../command-spec.ts";
import { checkInput, errorText } from "../input.ts";

interface Args {
  input: string;
  output: string;
  protocol: number;
  strict: boolean;
  allowFoldLoss: boolean;
}

export const convertCommand = command<Args>({
  name: "convert",
  describe: "rewrite each pickle of a file at another protocol",
  positionals: [{ name: "input" }, { name: "output" }],
  options: {
    protocol: { alias: "p", type: "number", default: 4, choices: [0, 1, 2, 3, 4, 5], describe: "protocol to write" },
    strict: { type: "boolean", default: false, describe: "refuse globals outside the default allowlist" },
    "allow-fold-loss": { type: "boolean", default: false, describe: "write datetimes with fold=1 at protocols 0-3 (fold is dropped)" },
  },
  run: async ({ input, output, protocol, strict, allowFoldLoss }) => {
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
});
