// The schemas as check --python needs them: what generate reads (schema/read.ts), plus where each
// class, field, enum and member is written, so that drift is reported on the schema line.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type EnumDeclaration, type Node, Project } from "ts-morph";
import type { Diagnostic } from "../diagnostics.ts";
import type { ClassModel, EnumModel, SchemaFileModel } from "../schema/model.ts";
import { readSchemas } from "../schema/read.ts";

export interface PlacedClass {
  model: ClassModel;
  /** The schema file, relative to the root. */
  file: string;
  /** The class (its first decorator, @pyclass, is where it starts): drift about the class as a whole is reported here. */
  node: Node;
  /** Each field's property, by TypeScript name. */
  fields: Map<string, Node>;
}

export interface PlacedEnum {
  model: EnumModel;
  file: string;
  node: EnumDeclaration;
  members: { name: string; value: string | number | undefined; node: Node }[];
}

export interface PlacedSchemas {
  classes: PlacedClass[];
  enums: PlacedEnum[];
  /** What generate reads from each schema file (the round trip emits its codecs from these). */
  files: SchemaFileModel[];
  /** Schema errors (TP1xx): drift is not checked while there are any. */
  diagnostics: Diagnostic[];
  schemaFiles: number;
}

/** Reads every schema file below `schemas` (relative to `root`, or absolute). */
export function readPlacedSchemas(root: string, schemas: string): PlacedSchemas {
  const tsconfig = join(root, "tsconfig.json");
  const project = new Project(existsSync(tsconfig) ? { tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true } : { compilerOptions: { strict: true } });
  const dir = resolve(root, schemas).split("\\").join("/");
  const sources = project.addSourceFilesAtPaths([`${dir}/**/*.ts`, `!${dir}/**/*.d.ts`]).sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()));
  project.resolveSourceFileDependencies();
  const read = readSchemas(project, sources, root);
  const classes: PlacedClass[] = [];
  const enums: PlacedEnum[] = [];
  for (const [i, file] of read.files.entries()) {
    const source = sources[i]!;
    for (const model of file.classes) {
      const decl = source.getClassOrThrow(model.name);
      const fields = new Map(model.fields.map((f) => [f.tsName, decl.getPropertyOrThrow(f.tsName) as Node]));
      classes.push({ model, file: file.path, node: decl, fields });
    }
    for (const model of file.enums) {
      const decl = source.getEnumOrThrow(model.name);
      const members = decl.getMembers().map((m) => ({ name: m.getName(), value: m.getValue(), node: m as Node }));
      enums.push({ model, file: file.path, node: decl, members });
    }
  }
  return { classes, enums, files: read.files, diagnostics: read.diagnostics, schemaFiles: sources.length };
}
