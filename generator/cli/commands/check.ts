// `typed-pickle check --python [PYTHON] [--schemas DIR]`: drift between the schemas and the Python classes
// they name. Python IMPORTS every module the schemas name (their code runs), compares each class and
// enum, and loads a pickle of each class it can build from its defaults through the generated codec.
// Exit 0: no drift. Exit 1: drift, or schema errors (all reported, in compiler form). Exit 2: the
// schemas directory is missing or Python cannot run.
import { statSync } from "node:fs";
import { delimiter, resolve } from "node:path";
import { format as formatDiagnostic } from "../../diagnostics.ts";
import type { CheckPythonResult } from "../../check-python/check-python.ts";
import { command } from "../command-spec.ts";
import { counted } from "../draft-output.ts";
import { errorText } from "../input.ts";

interface Args {
  python: string;
  schemas: string;
  path: string;
}

export const checkCommand = command<Args>({
  name: "check",
  describe:
    "check the schemas against the Python classes they name (drift), for CI next to 'generate --check'. Python IMPORTS the schemas' modules: their code runs, so run it on code you trust",
  positionals: [],
  options: {
    python: {
      type: "string",
      default: "python3",
      describe: "the Python interpreter that imports the modules: a project's venv python (.venv/bin/python); bare --python is python3",
    },
    schemas: { type: "string", default: "schemas", describe: "directory of schema files" },
    path: { type: "string", default: "", describe: `extra sys.path entries, separated by "${delimiter}" as in PYTHONPATH (the current directory is always on it)` },
  },
  run: async ({ python, schemas, path }) => {
    const { checkPython } = await import("../../check-python/check-python.ts");
    const root = process.cwd();
    const interpreter = python || "python3";
    if (!statSync(resolve(root, schemas), { throwIfNoEntry: false })?.isDirectory()) {
      process.stderr.write(`typed-pickle: schemas directory not found: ${resolve(root, schemas)}\n`);
      process.exitCode = 2;
      return;
    }
    let result: CheckPythonResult;
    try {
      result = checkPython({ root, schemas, python: interpreter, path: path.split(delimiter).filter(Boolean) });
    } catch (e) {
      process.stderr.write(`typed-pickle: ${errorText(e)}\n`);
      process.exitCode = 2;
      return;
    }
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
    const checked = `${counted(result.classes, "class")} and ${counted(result.enums, "enum")}`;
    if (result.schemaErrors) {
      process.stderr.write(`${counted(result.diagnostics.length, "error")} in the schemas; fix them (typed-pickle generate) before checking against Python\n`);
      process.exitCode = 1;
    } else if (result.diagnostics.length > 0) {
      process.stderr.write(`${counted(result.diagnostics.length, "drift error")} in ${checked} checked against ${interpreter}\n`);
      process.exitCode = 1;
    } else if (result.classes + result.enums === 0) {
      process.stderr.write(`warning: no @pyclass class or pyenum() enum in ${schemas} (${counted(result.schemaFiles, "schema file")} read); nothing to check\n`);
    } else {
      process.stderr.write(`no drift: ${checked} match ${interpreter}'s classes; ${counted(result.roundTrips, "default instance")} loaded through the generated codecs\n`);
    }
  },
});
