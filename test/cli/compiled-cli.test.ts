// The compiled CLI, as the package's `bin` runs it (dist/generator/cli/main.js under plain node,
// none of this repository's conditions or loaders): show, dis, scan on a python3-written pickle,
// the fast path and the yargs fallback, and generate giving what the sources give. dist/ is built
// first when it is missing or older than a source file (CI's `npm ci` has built it already).
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generate } from "../../generator/index.ts";
import { REPO } from "../support/cli.ts";
import { COMPILED_MAIN, ensureBuilt } from "../support/compiled.ts";
import { runPython } from "../support/python.ts";
import { pointSchema, tempProject } from "./temp-project.ts";

const MAIN = COMPILED_MAIN;
ensureBuilt();

// As a user's shell runs it: no typed-pickle-source condition.
const env: NodeJS.ProcessEnv = { ...process.env, TYPED_PICKLE_TRACE_DISPATCH: "1" };
delete env.NODE_OPTIONS;

function compiled(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", env });
  const trace = r.stderr.split("\n").filter((l) => l.startsWith("typed-pickle: dispatch: "));
  const stderr = r.stderr
    .split("\n")
    .filter((l) => !l.startsWith("typed-pickle: dispatch: "))
    .join("\n");
  return { status: r.status, stdout: r.stdout, stderr, trace };
}

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-compiled-"));
const pkl = join(dir, "small.pkl");
const expected = JSON.parse(
  runPython([
    "-c",
    `
import io, json, pickle, pickletools, sys
value = {'id': 7, 'name': 'café', 'tags': ['a', 'b'], 'score': 2.5, 'raw': b'\\x00\\x01'}
data = pickle.dumps(value, protocol=4)
open(sys.argv[1], 'wb').write(data)
out = io.StringIO()
pickletools.dis(data, out)
print(json.dumps({'repr': repr(value), 'dis': out.getvalue()}))
`,
    pkl,
  ]),
);

const test = suite("compiled CLI (dist)");

test("main.js starts with the #!/usr/bin/env node line", () => {
  const first = spawnSync("head", ["-n", "1", MAIN], { encoding: "utf8" }).stdout;
  assert.is(first, "#!/usr/bin/env node\n");
});

test("show, dis and scan print what Python and pickletools print, on the fast path", () => {
  const show = compiled(["show", pkl]);
  assert.equal([show.status, show.stdout, show.trace], [0, expected.repr + "\n", ["typed-pickle: dispatch: fast show"]], show.stderr);
  const dis = compiled(["dis", pkl]);
  assert.equal([dis.status, dis.stdout, dis.trace], [0, expected.dis, ["typed-pickle: dispatch: fast dis"]], dis.stderr);
  const scan = compiled(["scan", pkl]);
  assert.equal([scan.status, scan.trace], [0, ["typed-pickle: dispatch: fast scan"]], scan.stderr);
  assert.match(scan.stdout, /1 pickle, 0 globals: 0 dangerous, 0 unknown, 0 safe-stdlib/);
});

test("help and usage errors go through yargs", () => {
  const help = compiled(["--help"]);
  assert.equal([help.status, help.trace], [0, ["typed-pickle: dispatch: yargs"]]);
  assert.match(help.stdout, /typed-pickle generate/);
  assert.is(compiled(["show"]).status, 2);
});

test("generate writes what the sources' generate() writes (absolute --out, --check after)", async () => {
  const project = tempProject({ "point.ts": pointSchema() });
  const out = join(project, "gen");
  const run = compiled(["generate", "--out", out], project);
  assert.equal([run.status, run.stdout, run.trace], [0, "1 file generated, 1 written\n", ["typed-pickle: dispatch: fast generate"]], run.stderr);
  const fromSources = await generate({ cwd: project, out, check: true });
  assert.equal([fromSources.ok, fromSources.stale], [true, []], "the compiled generate wrote other text than the sources'");
  assert.is(compiled(["generate", "--out", out, "--check"], project).stdout, "1 generated file is up to date\n");
});

test.run();
