// `typed-pickle import-python MODULE[:Class,…]… [--out schemas/file.ts]`: drafts a schema file from
// Python classes, introspected by python3. Importing a module runs its code. Exit 0 when a schema was
// written (what could not be inferred is a warning on stderr), 1 when no class was found, 2 when
// Python could not import or describe the module.
import { delimiter, resolve } from "node:path";
import type { ImportPythonResult } from "../../import-python/import-python.ts";
import { command } from "../command-spec.ts";
import { deliverDraft } from "../draft-output.ts";
import { errorText } from "../input.ts";

interface Args {
  specs: string[];
  out: string;
  python: string;
  path: string;
}

export const importPythonCommand = command<Args>({
  name: "import-python",
  describe:
    "draft a schema file from Python classes (dataclasses, NamedTuples, enums, slots, attrs, pydantic). Python IMPORTS the modules: their code runs, so only name modules you trust",
  positionals: [{ name: "specs", array: true, describe: "MODULE or MODULE:Class,Class (every class the module defines when none is named)" }],
  options: {
    out: { type: "string", default: "", describe: "the schema file to write (default: standard output)" },
    python: { type: "string", default: "python3", describe: "the Python interpreter that imports the modules" },
    path: { type: "string", default: "", describe: `extra sys.path entries, separated by "${delimiter}" as in PYTHONPATH (the current directory is always on it)` },
  },
  run: async ({ specs, out, python, path }) => {
    const { importPython } = await import("../../import-python/import-python.ts");
    let result: ImportPythonResult;
    try {
      result = await importPython(specs, { python, path: path.split(delimiter).filter(Boolean), cwd: process.cwd() }, resolve(out || "schema.ts"));
    } catch (e) {
      process.stderr.write(`typed-pickle: ${errorText(e)}\n`);
      process.exitCode = 2;
      return;
    }
    deliverDraft(result, out);
  },
});
