// `typed-pickle show FILE...`: each pickle's value on one line, as Python's repr() prints it, or as
// tagged JSON. Opaque mode by default (other classes are shown as data); --strict reads with the
// default allowlist, as a typed loader would.
import { statSync } from "node:fs";
import { pyRepr } from "../../../runtime/format/repr.ts";
import { stringifyTagged, toTagged } from "../../../runtime/format/tagged-json.ts";
import { loadStream } from "../../../runtime/node/stream.ts";
import { command } from "../command-spec.ts";
import { checkInput, errorText } from "../input.ts";

interface Args {
  files: string[];
  json: boolean;
  strict: boolean;
}

export const showCommand = command<Args>({
  name: "show",
  describe: "print each pickle's value (Python repr, or --json)",
  positionals: [{ name: "files", array: true }],
  options: {
    json: { type: "boolean", default: false, describe: "print tagged JSON, one line per pickle" },
    strict: { type: "boolean", default: false, describe: "refuse globals outside the default allowlist" },
  },
  run: async ({ files, json, strict }) => {
    let status = 0;
    for (const file of files) {
      try {
        checkInput(file);
        // Tagged JSON may be a few times the pickle's size (hex bytes, tags); a str shared many
        // times could make it quadratic: refused past the reader's own memory budget.
        const size = statSync(file).size;
        const maxJson = size > 0 ? 64 * size + (16 << 20) : undefined;
        let count = 0;
        for await (const value of loadStream(file, { mode: strict ? "strict" : "opaque" })) {
          process.stdout.write((json ? stringifyTagged(toTagged(value), maxJson) : pyRepr(value)) + "\n");
          count++;
        }
        if (count === 0) throw new Error("Ran out of input (the file is empty)"); // as pickle.load says
      } catch (e) {
        process.stderr.write(`${file}: ${errorText(e)}\n`);
        status = 2;
      }
    }
    process.exitCode = status;
  },
});
