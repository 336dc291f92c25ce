// The package as Node, npm and tsc see it from its own package.json: what "typed-pickle" resolves to
// with and without the repository-only `typed-pickle-source` condition, that import and require of
// the compiled entry load (and load no generator code), what `npm pack` would ship, and that the
// shipped .d.ts compile under a strict user's flags with skipLibCheck off.
//
// It needs dist/: `npm ci` builds it (prepare). When dist/ is missing or older than a source file,
// this suite runs `npm run build` once itself, so a stale build is never what it judges.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO, run } from "../support/consumer.ts";

const test = suite("package: entry points, tarball and declarations");

interface Manifest {
  exports: Record<string, string | Record<string, string | Record<string, string>>>;
  main: string;
  types: string;
  bin: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Manifest;
const SOURCE_CONDITION = "typed-pickle-source";

/** Modules only the generator and the CLI need; importing "typed-pickle" must load none of them. */
const GENERATOR_ONLY = /\/node_modules\/(ts-morph|@ts-morph\/[^/]+|typescript|prettier|yargs|yargs-parser)\/|\/dist\/generator\//;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Every file an `exports` condition other than the repository's own points at (plus main, types, bin). */
function compiledTargets(): string[] {
  const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin)];
  const walk = (value: unknown): void => {
    if (typeof value === "string") targets.push(value);
    else if (value !== null && typeof value === "object") {
      for (const [condition, inner] of Object.entries(value)) if (condition !== SOURCE_CONDITION) walk(inner);
    }
  };
  for (const [subpath, value] of Object.entries(manifest.exports)) if (subpath !== "./package.json") walk(value);
  return [...new Set(targets)];
}

function ensureBuilt(): void {
  const built = compiledTargets().map((t) => {
    try {
      return statSync(join(REPO, t)).mtimeMs;
    } catch {
      return 0;
    }
  });
  const sources = Math.max(
    newestMtime(join(REPO, "runtime")),
    newestMtime(join(REPO, "generator")),
    statSync(join(REPO, "tsconfig.json")).mtimeMs,
    statSync(join(REPO, "tsconfig.build.json")).mtimeMs,
  );
  if (Math.min(...built) < sources) run("npm", ["run", "build"], REPO, { timeoutSeconds: 600 });
}

/** Runs an ES module snippet with node in the repository (no NODE_OPTIONS: no source condition unless given). */
function nodeEval(script: string, args: string[] = [], flags: string[] = []): string {
  return run(process.execPath, [...flags, "--input-type=module", "-e", script, "--", ...args], REPO).stdout;
}

/** A resolve hook that appends every URL Node resolves to a file: what an import really loads, ESM included. */
const RESOLVE_LOGGER = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + "\\n");
  return result;
}`;

/** The URLs Node resolves while importing `specifier` from the repository without the source condition. */
function urlsLoadedBy(specifier: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-resolved-"));
  try {
    const log = join(dir, "resolved.txt");
    writeFileSync(log, "");
    nodeEval(
      `import { register } from "node:module";
       const [specifier, log, hooks] = process.argv.slice(1);
       register("data:text/javascript," + encodeURIComponent(hooks), { data: { log } });
       await import(specifier);`,
      [specifier, log, RESOLVE_LOGGER],
    );
    return readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test.before(() => {
  ensureBuilt();
});

test("every exports target, main, types and bin exists after the build, with its map", () => {
  for (const target of compiledTargets()) {
    assert.ok(statSync(join(REPO, target)).isFile(), `${target} is missing`);
    assert.ok(statSync(join(REPO, `${target}.map`)).isFile(), `${target}.map is missing`);
  }
  const sources: string[] = [];
  for (const value of Object.values(manifest.exports)) {
    if (typeof value === "object" && SOURCE_CONDITION in value) {
      const source = value[SOURCE_CONDITION];
      sources.push(...(typeof source === "string" ? [source] : Object.values(source)));
    }
  }
  const integrations = ["celery", "connection", "django", "managers", "redis", "rq"].map((name) => `./runtime/integrations/${name}/index.ts`);
  assert.equal(sources.sort(), ["./generator/index.ts", "./runtime/index.node.ts", "./runtime/index.ts", "./runtime/inspect/index.ts", ...integrations]);
  for (const source of sources) assert.ok(statSync(join(REPO, source)).isFile(), `${source} is missing`);
});

test("without the source condition Node resolves the compiled files; with it, the sources", () => {
  const resolveBoth = `for (const s of ["typed-pickle", "typed-pickle/generator"]) console.log(import.meta.resolve(s));`;
  const url = (path: string) => pathToFileURL(join(REPO, path)).href;
  assert.equal(nodeEval(resolveBoth).trim().split("\n"), [url("dist/runtime/index.node.js"), url("dist/generator/index.js")]);
  assert.equal(
    nodeEval(resolveBoth, [], [`--conditions=${SOURCE_CONDITION}`])
      .trim()
      .split("\n"),
    [url("runtime/index.node.ts"), url("generator/index.ts")],
  );
});

test("import of the compiled package works and round-trips a value", () => {
  const out = nodeEval(`const tp = await import("typed-pickle"); console.log(tp.loads(tp.dumps("héllo ✓")), typeof tp.loadTyped);`);
  assert.is(out.trim(), "héllo ✓ function");
});

test("typed-pickle/inspect: dis, scan and repr of a pickle, from the compiled package, import and require alike", () => {
  const body = `process.stdout.write([i.pyRepr(tp.loads(tp.dumps(["a", 1n]))), String(i.scan(tp.dumps(1n)).findings.length), i.dis(tp.dumps(1n, { protocol: 0 })).lines.join("|")].join(" ") + "\\n");`;
  const viaImport = nodeEval(`const tp = await import("typed-pickle"); const i = await import("typed-pickle/inspect"); ${body}`);
  const viaRequire = run(process.execPath, ["-e", `const tp = require("typed-pickle"); const i = require("typed-pickle/inspect"); ${body}`], REPO).stdout;
  assert.match(viaImport, /^\['a', 1\] 0 +0: I +INT +1\|.*STOP\|highest protocol among opcodes = 0\n$/);
  assert.is(viaRequire, viaImport);
});

test("require of the compiled package works (require of ESM: no top-level await in the runtime)", () => {
  const out = run(process.execPath, ["-e", `const tp = require("typed-pickle"); console.log(tp.loads(tp.dumps("héllo ✓")), typeof tp.dumpTyped);`], REPO).stdout;
  assert.is(out.trim(), "héllo ✓ function");
});

test("importing typed-pickle loads no generator, CLI, ts-morph, prettier or yargs", () => {
  const loaded = urlsLoadedBy("typed-pickle");
  assert.ok(
    loaded.some((u) => u.endsWith("/dist/runtime/index.node.js")),
    `the probe saw no typed-pickle entry:\n${loaded.join("\n")}`,
  );
  assert.equal(
    loaded.filter((u) => GENERATOR_ONLY.test(u)),
    [],
  );
});

test("the probe above sees what the generator entry loads (ts-morph and prettier)", () => {
  const loaded = urlsLoadedBy("typed-pickle/generator");
  for (const name of ["ts-morph", "prettier"]) {
    assert.ok(
      loaded.some((u) => u.includes(`/node_modules/${name}/`)),
      `${name} not seen:\n${loaded.join("\n")}`,
    );
  }
});

test("the bin is the compiled CLI with a node shebang, and it runs", () => {
  const bin = join(REPO, manifest.bin["typed-pickle"]!);
  assert.is(readFileSync(bin, "utf8").split("\n", 1)[0], "#!/usr/bin/env node");
  assert.match(run(process.execPath, [bin, "--help"], REPO).stdout, "typed-pickle");
});

test("npm pack ships dist/ (compiled .js, .d.ts, maps), README.md, LICENSE and package.json only", () => {
  const [pack] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], REPO).stdout) as { files: { path: string; mode: number }[] }[];
  const files = pack!.files.map((f) => f.path);
  const outside = files.filter((f) => !f.startsWith("dist/") && !["package.json", "README.md", "LICENSE"].includes(f));
  assert.equal(outside, []);
  assert.equal(
    files.filter((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f)),
    [],
    "TypeScript sources in the tarball",
  );
  assert.equal(
    files.filter((f) => /(^|\/)(test|bench|fuzz|fixtures|schemas|generated)\//.test(f)),
    [],
  );
  for (const target of compiledTargets()) assert.ok(files.includes(target.replace(/^\.\//, "")), `${target} is not packed`);
  assert.ok(files.includes("LICENSE") && files.includes("README.md"));
});

/** tsc over just the given .d.ts files with a user's strictest flags and skipLibCheck off: its output ("" when clean). */
function checkDeclarations(files: string[], options: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-dts-"));
  try {
    const compilerOptions = {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: false,
      noEmit: true,
      ...options,
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: files.map((f) => join(REPO, f)) }, null, 2));
    const tsc = join(REPO, "node_modules/typescript/bin/tsc");
    try {
      run(process.execPath, [tsc, "-p", dir], dir);
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the shipped .d.ts type-check under strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, verbatimModuleSyntax, skipLibCheck off", () => {
  const typeRoots = [join(REPO, "node_modules/@types")];
  const problems = checkDeclarations(["dist/runtime/index.node.d.ts", "dist/runtime/index.d.ts", "dist/runtime/inspect/index.d.ts", "dist/generator/index.d.ts"], {
    types: ["node"],
    typeRoots,
  });
  assert.is(problems, "");
});

test("the portable core's .d.ts need no @types/node (types: [], lib ES2023 + DOM)", () => {
  const problems = checkDeclarations(["dist/runtime/index.d.ts", "dist/runtime/inspect/index.d.ts"], { types: [], lib: ["ES2023", "DOM"] });
  assert.is(problems, "");
});

test.run();
