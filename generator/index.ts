// typed-pickle/generator: the codec generator as a function, for build scripts and tools. It prints
// nothing and never exits the process; `typed-pickle generate` is this plus messages and exit codes.
//
//   import { generate } from "typed-pickle/generator";
//   const result = await generate({ schemas: "src/schemas", out: "src/generated" });
//   if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Diagnostic } from "./diagnostics.ts";
import { type ImportExtension, formatDiagnostic, generate as generateModules, staleFiles, writeOutputs } from "./generate.ts";

export type { Diagnostic, ImportExtension };
export { formatDiagnostic };

export interface GenerateOptions {
  /** Directory of schema files (every .ts below it), absolute or relative to cwd. Default "schemas". */
  schemas?: string;
  /** Directory the generated modules go to, absolute or relative to cwd. Default "generated". */
  out?: string;
  /** Write nothing; report in `stale` what a run would write or remove. */
  check?: boolean;
  /** How generated modules end their relative imports: "js" (default; NodeNext, Node16 and Bundler accept it), "ts" or "none". */
  importExtension?: ImportExtension;
  /** The project directory: tsconfig.json and the prettier config are read from it. Default process.cwd(). */
  cwd?: string;
}

export interface GenerateResult {
  /** No diagnostics, and (with `check`) nothing stale. */
  ok: boolean;
  /** TypeScript errors in the schemas, else schema diagnostics (paths relative to cwd); when any, nothing is written. */
  diagnostics: Diagnostic[];
  /** Absolute path of every generated module, whether or not it changed. */
  files: string[];
  /** Absolute paths that were out of date: missing or different modules, and generated modules whose schema is gone. Without `check` they have now been written or removed. */
  stale: string[];
  /** Schema files read, and the @pyclass classes and pyenum() enums found in them; no class and no enum means nothing to generate (often a wrong `schemas`). */
  schemaFiles: number;
  classes: number;
  enums: number;
}

/** A `schemas` directory that does not exist (or is not a directory): nothing could be read. */
export class SchemasNotFoundError extends Error {
  override name = "SchemasNotFoundError";
}

/** Reads the schemas, generates the codec modules and writes those that changed (none with `check`). */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const root = resolve(options.cwd ?? process.cwd());
  const schemas = resolve(root, options.schemas ?? "schemas");
  const out = resolve(root, options.out ?? "generated");
  if (!statSync(schemas, { throwIfNoEntry: false })?.isDirectory()) throw new SchemasNotFoundError(`schemas directory not found: ${schemas}`);

  const result = await generateModules({ root, schemas, out, ...(options.importExtension ? { importExtension: options.importExtension } : {}) });
  const counts = { schemaFiles: result.schemaFiles, classes: result.classes, enums: result.enums };
  if (result.diagnostics.length > 0) return { ok: false, diagnostics: result.diagnostics, files: [], stale: [], ...counts };

  const stale = options.check ? staleFiles(root, out, result.outputs) : writeOutputs(root, out, result.outputs);
  const absolute = (paths: Iterable<string>) => [...paths].map((p) => resolve(root, p));
  return { ok: !options.check || stale.length === 0, diagnostics: [], files: absolute(result.outputs.keys()), stale: absolute(stale), ...counts };
}
