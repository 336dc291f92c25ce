// check --python as a user runs it: the summary line of a clean run, what --help says (that it imports
// the modules, and which interpreter), and the compiled CLI under plain node (the codecs it loads the
// default pickles through are transpiled in memory, with no TypeScript loader), which finds the Python
// scripts it runs.
import { spawnSync } from "node:child_process";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO, cli } from "../support/cli.ts";
import { COMPILED_MAIN, ensureBuilt } from "../support/compiled.ts";

const MATCHING = ["check", "--python", "python3", "--schemas", "test/check-python/fixtures/matching", "--path", "python"];
const SUMMARY = "no drift: 9 classes and 3 enums match python3's classes; 7 default instances loaded through the generated codecs\n";

const test = suite("check --python: the command line");

test("--help says it imports (runs) the modules and that --python picks the interpreter", () => {
  const help = cli(["check", "--help"]);
  assert.is(help.status, 0);
  // yargs wraps the text at 80 columns.
  const text = help.stdout.replace(/\s+/g, " ");
  assert.match(text, /IMPORTS the schemas' modules: their code runs/);
  assert.match(text, /--python the Python interpreter that imports the modules: a project's venv python \(\.venv\/bin\/python\)/);
  assert.match(text, /next to 'generate --check'/);
});

test("schema errors (TP1xx) come first: reported as generate reports them, nothing compared, exit 1", () => {
  const r = cli(["check", "--python", "python3", "--schemas", "test/check-python/fixtures/schema-error", "--path", "python"]);
  assert.is(
    r.stderr,
    "test/check-python/fixtures/schema-error/schema.ts:7:18 - error TP104: field 'age' has type 'number'; use int or float\n" +
      "1 error in the schemas; fix them (typed-pickle generate) before checking against Python\n",
  );
  assert.is(r.status, 1);
});

test("schemas without a class or enum: a warning, not a summary that says nothing drifted", () => {
  const r = cli(["check", "--schemas", "test/check-python/fixtures/no-classes"]);
  assert.is(r.stderr, "warning: no @pyclass class or pyenum() enum in test/check-python/fixtures/no-classes (1 schema file read); nothing to check\n");
  assert.is(r.status, 0);
});

/** The compiled CLI as a user's shell runs it: plain node, no typed-pickle-source condition. */
function compiled(args: string[]) {
  ensureBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  return spawnSync(process.execPath, [COMPILED_MAIN, ...args], { cwd: REPO, encoding: "utf8", env });
}

test("the compiled CLI under plain node: no drift, the default instances loaded", () => {
  const r = compiled(MATCHING);
  assert.is(r.stderr, SUMMARY);
  assert.is(r.stdout, "");
  assert.is(r.status, 0);
});

test("the compiled CLI finds its Python scripts: import-python too (the bundled chunks are deeper than the sources)", () => {
  const r = compiled(["import-python", "myapp.drift:Point", "--path", "python"]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /@pyclass\("myapp\.drift", "Point", \{ state: "args" \}\)/);
});

test.run();
