// Plain JavaScript, no TypeScript installed: a project with only the packed tarball imports (ESM) and
// requires (CommonJS, Node >= 20.19's require of an ES module) loads/dumps, and round-trips a pickle
// CPython wrote: CPython loads what it writes back equal, with CPython's own bytes.
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { installProject, once, pythonCheck, run } from "../support/consumer.ts";
import { runPython } from "../support/python.ts";

const test = suite("consumer: plain JavaScript using the packed package");

const EXPECTED = {
  isMap: true,
  name: "plain ✓",
  count: "3",
  countIsBigint: true,
  big: String(2n ** 70n + 5n),
  ratio: 0.25,
  items: ["1n", "two", null, true],
  pair: ["x", "-1"],
  raw: [0, 255],
};

const plainProject = once(() => {
  const dir = installProject("plain", [], "commonjs");
  runPython(["consumer_shop.py", "plain-write", join(dir, "python.pkl")]);
  return dir;
});

for (const [style, script] of [
  ["ESM import", "esm.mjs"],
  ["CommonJS require", "cjs.cjs"],
] as const) {
  test(`${style}: loads a CPython pickle, dumps it back as CPython would`, () => {
    const dir = plainProject();
    const out = join(dir, `${script}.pkl`);
    const described = JSON.parse(run("node", [script, "python.pkl", out], dir).stdout) as unknown;
    assert.equal(described, EXPECTED);
    const problem = pythonCheck(out, 4, "plain");
    assert.is(problem, "", problem);
  });
}

test.run();
