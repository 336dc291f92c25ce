// A user's TypeScript project, outside the repository, with typed-pickle installed from the packed
// tarball: schema → `npx typed-pickle generate` → tsc (NodeNext, strict flags, skipLibCheck off; again
// with experimentalDecorators; and moduleResolution Bundler bundled by esbuild) → node loads CPython's
// pickles into typed instances and writes pickles CPython loads equal (byte-identical at protocols 2–5).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXPECTED_ORDER, orderProblems, pythonOrders, run, shopProject } from "../support/consumer.ts";

const test = suite("consumer: a TypeScript project using the packed package");

/** Runs a compiled or bundled main.js on CPython's pickles; checks what it read and what it wrote. */
function runMain(script: string, name: string): void {
  const { dir } = shopProject();
  const pickles = pythonOrders(name);
  const described = JSON.parse(run("node", [script, pickles], dir).stdout) as unknown[];
  assert.is(described.length, 6, "one order per protocol");
  for (const [protocol, order] of described.entries()) assert.equal(order, EXPECTED_ORDER, `protocol ${protocol}`);
  const problems = orderProblems(pickles);
  assert.equal(problems, [], problems.join("\n"));
}

test("npx typed-pickle generate writes generated/shop.ts with .js import specifiers; --check finds it fresh", () => {
  const { dir, generated } = shopProject();
  assert.match(generated.stdout, /^1 file generated\b/);
  run("npx", ["typed-pickle", "generate", "--check"], dir);
  const code = readFileSync(join(dir, "generated", "shop.ts"), "utf8");
  assert.match(code, /from "typed-pickle";/);
  assert.match(code, /from "\.\.\/schemas\/shop\.js";/);
  assert.not.match(code, /from "[^"]*\.ts";/);
  for (const name of ["loadsOrder", "dumpsOrder", "loadOrder", "dumpOrder", "OrderCodec", "CustomerCodec", "LineCodec", "StatusCodec"]) {
    // Codecs are constants; dumpsX / loadsX / dumpX / loadX are destructured from functionsFor(XCodec).
    assert.match(code, new RegExp(`^export const (${name}\\b|\\{[^}]*: ${name}\\b[^}]*\\} = functionsFor\\()`, "m"), name);
  }
});

test("NodeNext, strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck off: tsc, then node", () => {
  const { dir } = shopProject();
  run("npx", ["tsc"], dir);
  runMain("dist/src/main.js", "nodenext");
});

test("the same project with experimentalDecorators: tsc, then node", () => {
  const { dir } = shopProject();
  run("npx", ["tsc", "-p", "tsconfig.decorators.json"], dir);
  runMain("dist-decorators/src/main.js", "decorators");
});

test("moduleResolution Bundler: tsc type-checks, esbuild bundles for node, node runs the bundle", () => {
  const { dir } = shopProject();
  run("npx", ["tsc", "-p", "tsconfig.bundler.json"], dir);
  // A target is needed: at esnext esbuild leaves the schema's decorators as written, which Node 20 cannot run.
  run("npx", ["esbuild", "src/main.ts", "--bundle", "--platform=node", "--format=esm", "--target=node20", "--outfile=bundle/main.mjs", "--log-level=warning"], dir);
  runMain("bundle/main.mjs", "bundler");
});

test.run();
