// `typed-pickle generate`: schemas/ in, generated/ out. TypeScript errors in the schemas come first,
// then schema diagnostics (all of them); only a clean run writes, and --check writes nothing.
// Paths: the schema and output directories may be relative to the root or absolute (anywhere);
// generated files are keyed by their path relative to the root ("../x/out/a.ts" when outside it).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as prettier from "prettier";
import { Project } from "ts-morph";
import { type Diagnostic, format } from "./diagnostics.ts";
import { type ImportExtension, emitModule, outputPath } from "./emit/emit-module.ts";
import { fastClasses } from "./emit/fast-classes.ts";
import { readSchemas } from "./schema/read.ts";

export type { ImportExtension };

export interface GenerateOptions {
  /** The project root (where tsconfig.json is); relative paths below are relative to it. */
  root: string;
  schemas: string;
  out: string;
  importExtension?: ImportExtension;
}

export interface GenerateResult {
  diagnostics: Diagnostic[];
  /** Generated files (paths relative to the root, forward slashes) and their contents. */
  outputs: Map<string, string>;
  /** Schema files read, and the @pyclass classes and pyenum() enums found in them. */
  schemaFiles: number;
  classes: number;
  enums: number;
}

/** `path` (relative to root, or absolute) as a path relative to root with forward slashes; "." for root itself. */
const rootRelative = (root: string, path: string) => relative(root, resolve(root, path)).split(sep).join("/") || ".";

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

/** Reads the schemas and produces the generated modules (in memory). */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const root = resolve(options.root);
  const tsconfig = join(root, "tsconfig.json");
  const project = new Project(existsSync(tsconfig) ? { tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true } : { compilerOptions: { strict: true } });
  const schemasDir = rootRelative(root, options.schemas);
  const outDir = rootRelative(root, options.out);
  const files = walk(resolve(root, schemasDir)).sort();
  const sources = files.map((f) => project.addSourceFileAtPath(f));
  project.resolveSourceFileDependencies();

  const tsDiagnostics: Diagnostic[] = [];
  for (const source of sources) {
    const program = project.getProgram();
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const start = d.getStart() ?? 0;
      const { line, column } = source.getLineAndColumnAtPos(start);
      const text = d.getMessageText();
      const message = typeof text === "string" ? text : text.getMessageText();
      tsDiagnostics.push({ file: relative(root, source.getFilePath()), line, column, code: `TS${d.getCode()}`, message });
    }
  }
  const counts = { schemaFiles: files.length, classes: 0, enums: 0 };
  if (tsDiagnostics.length > 0) return { diagnostics: tsDiagnostics, outputs: new Map(), ...counts };

  const { files: models, diagnostics, found } = readSchemas(project, sources, root);
  counts.classes = found.classes;
  counts.enums = found.enums;
  if (diagnostics.length > 0) return { diagnostics, outputs: new Map(), ...counts };

  // Normalised, so a key is the same string staleFiles finds on disk (no "./" or "a/../").
  const outputOf = (schemaPath: string) => rootRelative(root, outputPath(schemaPath, schemasDir, outDir));
  const prettierOptions = (await prettier.resolveConfig(join(root, "x.ts"))) ?? {};
  const outputs = new Map<string, string>();
  const fast = fastClasses(models);
  for (const model of models) {
    if (model.classes.length === 0 && model.enums.length === 0) continue;
    const text = emitModule(model, outputOf, { fast, ...(options.importExtension ? { importExtension: options.importExtension } : {}) });
    outputs.set(outputOf(model.path), await prettier.format(text, { printWidth: 120, ...prettierOptions, parser: "typescript" }));
  }
  return { diagnostics: [], outputs, ...counts };
}

/** Generated files that differ from what is on disk, and stale ones that should not exist. */
export function staleFiles(root: string, out: string, outputs: Map<string, string>): string[] {
  const stale: string[] = [];
  for (const [path, text] of outputs) {
    const full = resolve(root, path);
    if (!existsSync(full) || readFileSync(full, "utf8") !== text) stale.push(path);
  }
  for (const file of walk(resolve(root, out))) {
    const rel = rootRelative(root, file);
    if (!outputs.has(rel) && readFileSync(file, "utf8").startsWith("// @generated by typed-pickle")) stale.push(rel);
  }
  return stale.sort();
}

/** Writes the outputs and removes generated files whose schema is gone. */
export function writeOutputs(root: string, out: string, outputs: Map<string, string>): string[] {
  const changed = staleFiles(root, out, outputs);
  for (const path of changed) {
    const full = resolve(root, path);
    if (outputs.has(path)) {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, outputs.get(path)!);
    } else {
      rmSync(full);
    }
  }
  return changed;
}

export { format as formatDiagnostic };
