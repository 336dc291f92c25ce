// Generated code compiles under a user's strictest tsconfig: strict, verbatimModuleSyntax,
// isolatedModules, exactOptionalPropertyTypes, noUncheckedIndexedAccess (and the other checks careful
// projects turn on: unused locals and parameters, implicit returns, …), NodeNext resolution without
// allowImportingTsExtensions (so the default `.js` import specifiers are what is checked), with
// experimentalDecorators on and off. Checked: generated/ and schemas/, bench/'s, and a fixture that
// uses every schema type and every way of importing typed-pickle's names, generated into a
// directory of its own and also run (its modules import each other: an ES module cycle).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic, generate } from "../../generator/generate.ts";
import { REPO } from "../support/cli.ts";

const FIXTURE = "test/generator/fixtures/every-type";

/** The flags a careful user compiles with (typed-pickle-source: "typed-pickle" is this repository's sources). */
const USER_FLAGS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  allowUnreachableCode: false,
  noEmit: true,
  skipLibCheck: true,
  types: ["node"],
  customConditions: ["typed-pickle-source"],
};

const tsFiles = (dir: string): string[] =>
  readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(REPO, dir, e.name)] : []));

/** Source files parsed once for both programs (same target, same module format). */
const parsed = new Map<string, ts.SourceFile | undefined>();

/**
 * TypeScript's errors in `files` (the files under test; typed-pickle's own sources are compiled
 * under other flags and judged elsewhere), formatted as tsc prints them.
 */
function errorsIn(files: string[], experimentalDecorators: boolean): string[] {
  const options = { ...USER_FLAGS, experimentalDecorators };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, ...rest) => {
    if (!parsed.has(fileName)) parsed.set(fileName, getSourceFile(fileName, version, ...rest));
    return parsed.get(fileName);
  };
  const program = ts.createProgram(files, options, host);
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of files) {
    const source = program.getSourceFile(file);
    assert.ok(source, `${file} is in the program`);
    diagnostics.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source));
  }
  return diagnostics.map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO, getNewLine: () => "\n" }).trim());
}

const test = suite("generated code under a user's strict flags");

let out = "";
let checked: string[] = [];

test.before(async () => {
  // A directory per run beside the fixture's schemas, so its modules import them as ../schemas/x.js.
  out = relative(REPO, mkdtempSync(join(REPO, FIXTURE, "generated-")));
  const { diagnostics, outputs } = await generate({ root: REPO, schemas: `${FIXTURE}/schemas`, out });
  assert.equal(diagnostics.map(formatDiagnostic), []);
  assert.equal([...outputs.keys()].sort(), [`${out}/people/customer.ts`, `${out}/shop.ts`]);
  for (const [path, text] of outputs) {
    mkdirSync(dirname(join(REPO, path)), { recursive: true });
    writeFileSync(join(REPO, path), text);
  }
  checked = ["generated", "schemas", "bench/generated", "bench/schemas", `${FIXTURE}/schemas`, out].flatMap(tsFiles);
});

test.after(() => {
  if (out) rmSync(join(REPO, out), { recursive: true, force: true });
});

test("experimentalDecorators off (TC39 decorators)", () => {
  assert.ok(checked.length >= 12, `${checked.length} files`);
  assert.equal(errorsIn(checked, false), []);
});

test("experimentalDecorators on", () => {
  assert.equal(errorsIn(checked, true), []);
});

test("the fixture's modules run in either import order (cross-module enums are reached lazily)", async () => {
  const shop = await import(pathToFileURL(join(REPO, out, "shop.ts")).href);
  const people = await import(pathToFileURL(join(REPO, out, "people/customer.ts")).href);
  const { Customer } = await import(pathToFileURL(join(REPO, FIXTURE, "schemas/people/customer.ts")).href);
  const { Tier } = await import(pathToFileURL(join(REPO, FIXTURE, "schemas/shop.ts")).href);
  const ann = Object.assign(new Customer(), { name: "Ann", tier: Tier.GOLD, visits: 3 });
  const back = people.loadsCustomer(people.dumpsCustomer(ann));
  assert.equal({ ...back }, { name: "Ann", tier: "gold", visits: 3 });
  assert.is(shop.loadsTier(shop.dumpsTier(Tier.FREE)), Tier.FREE);
});

test.run();
