// What `npm pack` puts in the tarball a user installs: the compiled runtime and generator with their
// declarations and the package's documents; no tests, benchmarks, fuzz corpora, fixtures or schemas.
import { execFileSync } from "node:child_process";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { once, packedTarball } from "../support/consumer.ts";

const test = suite("consumer: the packed tarball's files");

const tarballFiles = once(() =>
  execFileSync("tar", ["-tzf", packedTarball()], { encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "")
    .map((f) => f.replace(/^package\//, "")),
);

test("holds the compiled entry points named by package.json", () => {
  for (const file of [
    "package.json",
    "README.md",
    "dist/runtime/index.js",
    "dist/runtime/index.d.ts",
    "dist/runtime/index.node.js",
    "dist/runtime/index.node.d.ts",
    "dist/generator/index.js",
    "dist/generator/index.d.ts",
    "dist/generator/cli/main.js",
  ]) {
    assert.ok(tarballFiles().includes(file), `${file} is missing from the tarball`);
  }
});

test("holds no tests, benchmarks, fuzz corpora, fixtures, python oracle or CI scripts", () => {
  const unwanted = tarballFiles().filter((f) => /^(test|bench|fuzz|examples|python|schemas|generated|\.ci)\//.test(f) || /\.test\.[cm]?[jt]s$/.test(f));
  assert.equal(unwanted, []);
});

test.run();
