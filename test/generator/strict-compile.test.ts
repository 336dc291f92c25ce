// Generated code compiles under a user's strictest tsconfig: strict, verbatimModuleSyntax,
// isolatedModules, exactOptionalPropertyTypes, noUncheckedIndexedAccess (and the other checks careful
// projects turn on: unused locals and parameters, implicit returns, …), NodeNext resolution without
// allowImportingTsExtensions (so the default `.js` import specifiers are what is checked), with
// experimentalDecorators on and off. Checked: generated/ and schemas/, bench/'s, and a fixture that
// uses every schema type and every way of importing typed-pickle's names, generated into a
// directory of its own and also run (its modules import each other: an ES module cycle). The other
// import extensions compile where they are meant to: "ts" with allowImportingTsExtensions, "none"
// with Bundler resolution.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { PyValue } from "typed-pickle";
import { type ImportExtension, formatDiagnostic, generate } from "../../generator/generate.ts";
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

/** Source files parsed once for all programs, per file and module format. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/**
 * TypeScript's errors in `files` (the files under test; typed-pickle's own sources are compiled
 * under other flags and judged elsewhere), formatted as tsc prints them.
 */
function errorsIn(files: string[], flags: ts.CompilerOptions): string[] {
  const options = { ...USER_FLAGS, ...flags };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, ...rest) => {
    const key = `${fileName} ${typeof version === "object" ? `${version.languageVersion} ${version.impliedNodeFormat}` : version}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile(fileName, version, ...rest));
    return parsed.get(key);
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

/** Directories written by this run (removed after it). */
const written: string[] = [];

/**
 * The fixture generated into a new directory beside its schemas (so its modules import them as
 * ../schemas/x.js); the directory, relative to the repository.
 */
async function generateFixture(importExtension: ImportExtension): Promise<string> {
  const out = relative(REPO, mkdtempSync(join(REPO, FIXTURE, `generated-${importExtension}-`)));
  written.push(out);
  const { diagnostics, outputs } = await generate({ root: REPO, schemas: `${FIXTURE}/schemas`, out, importExtension });
  assert.equal(diagnostics.map(formatDiagnostic), []);
  assert.equal([...outputs.keys()].sort(), [`${out}/people/customer.ts`, `${out}/shop.ts`]);
  for (const [path, text] of outputs) {
    mkdirSync(dirname(join(REPO, path)), { recursive: true });
    writeFileSync(join(REPO, path), text);
  }
  return out;
}

let out = "";
let checked: string[] = [];

test.before(async () => {
  out = await generateFixture("js");
  checked = ["generated", "schemas", "bench/generated", "bench/schemas", `${FIXTURE}/schemas`, out].flatMap(tsFiles);
});

test.after(() => {
  for (const dir of written) rmSync(join(REPO, dir), { recursive: true, force: true });
});

test("experimentalDecorators off (TC39 decorators)", () => {
  assert.ok(checked.length >= 12, `${checked.length} files`);
  assert.equal(errorsIn(checked, { experimentalDecorators: false }), []);
});

test("experimentalDecorators on", () => {
  assert.equal(errorsIn(checked, { experimentalDecorators: true }), []);
});

test("importExtension ts: compiles with allowImportingTsExtensions", async () => {
  const dir = await generateFixture("ts");
  assert.match(readFileSync(join(REPO, dir, "shop.ts"), "utf8"), /from "\.\.\/schemas\/shop\.ts";/);
  assert.equal(errorsIn([`${FIXTURE}/schemas`, dir].flatMap(tsFiles), { allowImportingTsExtensions: true }), []);
});

test("importExtension none: compiles with Bundler resolution", async () => {
  const dir = await generateFixture("none");
  assert.match(readFileSync(join(REPO, dir, "shop.ts"), "utf8"), /from "\.\.\/schemas\/shop";/);
  assert.equal(errorsIn([`${FIXTURE}/schemas`, dir].flatMap(tsFiles), { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }), []);
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

test("fields named like the fast paths' own variables, or keywords, round-trip through the fast paths", async () => {
  const shop = await import(pathToFileURL(join(REPO, out, "shop.ts")).href);
  const { Awkward, R } = await import(pathToFileURL(join(REPO, FIXTURE, "schemas/shop.ts")).href);
  // The runtime as the generated modules import it (through the ESM loader, as they are imported here).
  const { ExactReader, PyGlobal, PyObject, dumps, dumpsTyped } = await import("typed-pickle");
  const values = [
    [shop.AwkwardCodec, Object.assign(new Awkward(), { key: "k", batch: 2, r: 0.5, f: true, miss: "m", default: "d", klass: ["x"], NO_NOTES: 7 })],
    [shop.RCodec, Object.assign(new R(), { w: 1, k: "two" })],
  ] as const;
  for (const [codec, value] of values) {
    const { write: _write, read: _read, ...general } = codec;
    const bytes = dumpsTyped(codec, value);
    assert.equal(bytes, dumpsTyped(general, value), "the fast writer's bytes are the general writer's");
    const r = new ExactReader(bytes);
    r.begin();
    const back = codec.read(r);
    r.finish();
    assert.ok(back instanceof value.constructor);
    assert.equal({ ...back }, { ...value });
  }
  // A missing field with a default: the default, though a field has the name its initializer uses.
  const awkward = new PyObject(new PyGlobal("shop.models", "Awkward"), []);
  awkward.state = new Map<PyValue, PyValue>([
    ["key", "k"],
    ["batch", 2n],
    ["r", 0.5],
    ["f", true],
    ["miss", "m"],
    ["default", "d"],
    ["NO_NOTES", 7n],
  ]);
  const r = new ExactReader(dumps(awkward));
  r.begin();
  assert.equal(shop.AwkwardCodec.read(r).klass, []);
});

test("a pydantic model's codec: the general path (the generated comment says why), fields_set written", async () => {
  const text = readFileSync(join(REPO, out, "shop.ts"), "utf8");
  assert.match(text, /\/\/ No fast paths \(pydantic state\): the general reader and writer only\.\nexport const SettingsCodec/);
  const shop = await import(pathToFileURL(join(REPO, out, "shop.ts")).href);
  const { Settings } = await import(pathToFileURL(join(REPO, FIXTURE, "schemas/shop.ts")).href);
  const { loads, PyObject } = await import("typed-pickle");
  const value = Object.assign(new Settings(), { theme: "dark", size: 14 });
  const o = loads(shop.dumpsSettings(value), { mode: "opaque" });
  assert.ok(o instanceof PyObject);
  assert.equal([...(o.state as Map<PyValue, PyValue>).keys()], ["__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__"]);
  assert.equal({ ...shop.loadsSettings(shop.dumpsSettings(value)) }, { theme: "dark", size: 14 });
});

test.run();
