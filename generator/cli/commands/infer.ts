// `typed-pickle infer FILE_OR_DIR… [--out schemas/file.ts]`: drafts a schema file from existing
// pickles, read as data (opaque mode: nothing in them is imported or called). Exit 0 when a draft was
// written (files that are not pickles are reported on stderr), 1 when no class was found, 2 on a
// path that cannot be read.
import { resolve } from "node:path";
import type { InferResult } from "../../infer/infer.ts";
import { command } from "../command-spec.ts";
import { counted, deliverDraft } from "../draft-output.ts";
import { errorText } from "../input.ts";

interface Args {
  paths: string[];
  out: string;
}

export const inferCommand = command<Args>({
  name: "infer",
  describe: "draft a schema file from existing pickles, read as data: nothing in them is imported or called",
  positionals: [{ name: "paths", array: true, describe: "pickle files (one or more pickles each) and directories (walked recursively)" }],
  options: {
    out: { type: "string", default: "", describe: "the schema file to write (default: standard output)" },
  },
  run: async ({ paths, out }) => {
    const { inferSchema } = await import("../../infer/infer.ts");
    let result: InferResult;
    try {
      result = await inferSchema(paths, resolve(out || "schema.ts"));
    } catch (e) {
      process.stderr.write(`typed-pickle: ${errorText(e)}\n`);
      process.exitCode = 2;
      return;
    }
    deliverDraft(result, out, `${counted(result.pickles, "pickle")} read: `);
  },
});
