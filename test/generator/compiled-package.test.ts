// A user's project against the installed, compiled package: its schemas resolve typed-pickle's names
// to node_modules/typed-pickle/dist/runtime/**/*.d.ts, not to runtime/*.ts. The reader must find the
// decorators, type aliases and model classes there too (it once compared file paths with
// runtime/typed/decorators.ts, and generate silently wrote nothing), and generate the same code as
// from the sources. The package is this repository's runtime/, its declarations emitted with tsc
// into a temporary project beside a package.json named typed-pickle.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Node, Project } from "ts-morph";
import ts from "typescript";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic, generate } from "../../generator/generate.ts";
import { declarationOf, runtimeModuleOf } from "../../generator/schema/package-symbols.ts";
import { readSchemas } from "../../generator/schema/read.ts";
import { REPO } from "../support/cli.ts";

const FIXTURE = "test/generator/fixtures/compiled-package";

/** runtime/'s declarations, as a build ships them, into <project>/node_modules/typed-pickle/dist/runtime. */
function installCompiledPackage(project: string): void {
  const pkg = join(project, "node_modules/typed-pickle");
  const entries = ["runtime/index.ts", "runtime/index.node.ts"].map((f) => join(REPO, f)).filter((f) => existsSync(f));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    declaration: true,
    emitDeclarationOnly: true,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: join(REPO, "runtime"),
    outDir: join(pkg, "dist/runtime"),
  };
  const emitted = ts.createProgram(entries, options).emit(undefined, undefined, undefined, true);
  assert.is(emitted.emitSkipped, false);
  const exports = { ".": { types: "./dist/runtime/index.d.ts", default: "./dist/runtime/index.js" } };
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "typed-pickle", version: "0.0.0", type: "module", exports }));
}

/** A ts-morph project over the temporary project's tsconfig, with `dir`'s schema files. */
function schemaProject(root: string, files: string[]) {
  const project = new Project({ tsConfigFilePath: join(root, "tsconfig.json"), skipAddingFilesFromTsConfig: true });
  const sources = files.map((f) => project.addSourceFileAtPath(join(root, f)));
  project.resolveSourceFileDependencies();
  return { project, sources };
}

/** A generated module without its first line (which names the schema path, different in the two runs). */
const body = (text: string | undefined) => (text ?? "").slice((text ?? "").indexOf("\n"));

const test = suite("schemas against the compiled package");

let root = "";

test.before(() => {
  root = mkdtempSync(join(tmpdir(), "typed-pickle-compiled-"));
  cpSync(join(REPO, FIXTURE), root, { recursive: true });
  // The generator formats with the project's prettier config: the same as the repository's, so
  // that the two generations below differ only in where the package comes from.
  cpSync(join(REPO, ".prettierrc"), join(root, ".prettierrc"));
  installCompiledPackage(root);
});

test.after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test("the decorators resolve into the package's dist/ .d.ts, and are recognised there", () => {
  const { sources } = schemaProject(root, ["schemas/models.ts"]);
  const order = sources[0]!.getClassOrThrow("Order");
  const callee = order.getDecorators()[0]!.getCallExpressionOrThrow().getExpression(); // tp.pyclass
  const decl = declarationOf(callee)!;
  assert.ok(Node.isFunctionDeclaration(decl));
  assert.is(decl.getSourceFile().getFilePath(), join(root, "node_modules/typed-pickle/dist/runtime/typed/decorators.d.ts"));
  assert.is(runtimeModuleOf(decl), "typed/decorators");
});

test("the reader finds every @pyclass and pyenum, however imported, and counts them", () => {
  const { project, sources } = schemaProject(root, ["schemas/items.ts", "schemas/models.ts"]);
  const { files, diagnostics, found } = readSchemas(project, sources, root);
  assert.equal(diagnostics, []);
  assert.equal(found, { classes: 3, enums: 1 });
  const order = files[1]!.classes.find((c) => c.name === "Order")!;
  assert.equal(
    order.fields.map((f) => `${f.pyName}: ${f.type.kind}`),
    ["id: int", "total: decimal", "placed: datetime", "due: date", "tags: frozenset", "status: enum", "address: optional"],
  );
  assert.is(order.afterLoad, "loaded");
});

test("a user's own `pyclass` is not typed-pickle's: nothing found, nothing reported", () => {
  const { project, sources } = schemaProject(root, ["plain/plain.ts"]);
  const { files, diagnostics, found } = readSchemas(project, sources, root);
  assert.equal(diagnostics, []);
  assert.equal(found, { classes: 0, enums: 0 });
  assert.equal(files[0]!.classes, []);
});

test("generate: the same modules as from the repository's sources", async () => {
  const installed = await generate({ root, schemas: "schemas", out: "generated" });
  assert.equal(installed.diagnostics.map(formatDiagnostic), []);
  assert.equal([...installed.outputs.keys()].sort(), ["generated/items.ts", "generated/models.ts"]);
  const fromSources = await generate({ root: REPO, schemas: `${FIXTURE}/schemas`, out: `${FIXTURE}/generated` });
  assert.equal(fromSources.diagnostics.map(formatDiagnostic), []);
  for (const name of ["items", "models"]) {
    assert.is(body(installed.outputs.get(`generated/${name}.ts`)), body(fromSources.outputs.get(`${FIXTURE}/generated/${name}.ts`)), name);
  }
  assert.match(installed.outputs.get("generated/models.ts")!, /loads: loadsStatus,/);
});

test.run();
