// `typed-pickle import-python`'s work as a function: Python module specs in, a formatted schema file out.
import { formatSchemaSource, schemaSource } from "../infer/schema-text.ts";
import { type RunOptions, introspect } from "./run-introspect.ts";
import { toSchemaModel } from "./to-model.ts";

export interface ImportPythonResult {
  /** The schema file's text, formatted. */
  text: string;
  classes: number;
  enums: number;
  /** What could not be inferred, and classes left out. */
  warnings: string[];
}

/** Describes the classes of `specs` (`module[:Class,…]`) as a schema file; `formatAs` is the path whose prettier config formats it. */
export async function importPython(specs: readonly string[], options: RunOptions, formatAs: string): Promise<ImportPythonResult> {
  const doc = introspect(specs, options);
  const warnings = doc.warnings.map(String);
  const model = toSchemaModel(doc, (m) => warnings.push(m));
  const text = await formatSchemaSource(schemaSource(model), formatAs);
  return { text, classes: model.classes.length, enums: model.enums.length, warnings };
}
