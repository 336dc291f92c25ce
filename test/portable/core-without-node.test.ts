// The portable core (runtime/index.ts and what it imports) runs where there is no Node: an esbuild
// bundle for the browser has no `node:` import and no require(), and in a worker whose global scope
// has no Buffer and no process it reads and writes exactly what it does with Buffer — CPython's
// bytes for CPython's values, strings with non-ASCII, astral and lone-surrogate text, Python 2
// STRING opcodes as latin-1, bytes below protocol 3, tagged JSON (set keys digested with SHA-256),
// the generated typed codec, streams — and refuses file paths with FilePathNeedsNodeError.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { corpus } from "../support/corpus.ts";
import { runPython } from "../support/python.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ESBUILD = join(ROOT, "node_modules/.bin/esbuild");
const SCENARIO = pathToFileURL(fileURLToPath(new URL("./scenario.mjs", import.meta.url))).href;
const dir = mkdtempSync(join(tmpdir(), "typed-pickle-portable-"));

/** esbuild's browser bundle of `entry` (TypeScript source), as a user's bundler would make it. */
function bundle(name: string, entry: string): string {
  const entryFile = join(dir, `${name}.entry.ts`);
  const outfile = join(dir, `${name}.mjs`);
  writeFileSync(entryFile, entry);
  execFileSync(
    ESBUILD,
    [entryFile, "--bundle", "--platform=browser", "--format=esm", "--target=es2022", "--alias:typed-pickle=./runtime/index.ts", `--outfile=${outfile}`, "--log-level=error"],
    { cwd: ROOT },
  );
  return outfile;
}

const core = bundle("core", `export * from ${JSON.stringify(join(ROOT, "runtime/index.ts"))};`);
const inspectors = bundle(
  "inspectors",
  ["inspect/dis.ts", "inspect/scan.ts", "format/repr.ts"].map((f) => `export * from ${JSON.stringify(join(ROOT, "runtime", f))};`).join("\n"),
);
const everything = bundle(
  "scenario",
  [
    `export * from ${JSON.stringify(join(ROOT, "runtime/index.ts"))};`,
    `export { toTagged, stringifyTagged } from ${JSON.stringify(join(ROOT, "runtime/format/tagged-json.ts"))};`,
    `export * from ${JSON.stringify(join(ROOT, "generated/user.ts"))};`,
  ].join("\n"),
);

// CPython's values: each pickled, tagged by python/tagged.py, and whether CPython's dumps of the
// value read back gives the same bytes (sets have no order to reproduce).
const made = JSON.parse(
  runPython([
    "-c",
    `
import datetime, json, pickle, struct
from tagged import to_tagged
from myapp.models import Address, User
def dag(levels, leaf):
    t = (leaf,)
    for _ in range(levels):
        t = (t, t)
    return t
text = ["ascii", "caf\\u00e9", "\\u65e5\\u672c\\u8a9e", "\\U0001f600 astral", "lone \\ud800 high", "lone \\udc00 low",
        "\\udc00\\ud800 low then high", "\\u00e9" * 100, "\\u00fc" * 30000, "mixed \\U0001f600\\u00e9" * 3000,
        "a" * 300, "\\x00\\x7f\\x80\\xff" * 20, "\\\\ backslash \\n newline", ""]
values = {
    "text": (text, True),
    "bytes": ([bytes(range(256)), b"\\x00\\xff" * 3000, b"x" * 70000, b""], True),
    "bytes keys": ({b"k\\xe9y" * 30: 1, b"a": 2, b"\\xff" * 70: 3}, True),
    "bytearray": ([bytearray(b"\\x80" * 100)], True),
    "numbers": ([0, -1, 255, 65536, 2**31, -2**63, 2**100, 1.5, -0.0, float("inf")], True),
    "long set keys (sha256)": ({("k", "v" * 300), ("k", "w" * 10), ("j", "\\u00e9" * 600), dag(20, "leaf"), "x" * 257}, False),
}
cases = []
for name, (value, reencodes) in values.items():
    for protocol in (0, 2, 3, 4, 5):
        b = pickle.dumps(value, protocol)
        cases.append({"name": f"{name} p{protocol}", "hex": b.hex(), "protocol": protocol, "reencodes": reencodes, "tagged": to_tagged(pickle.loads(b))})
# Python 2 str opcodes (SHORT_BINSTRING, BINSTRING, STRING), read with encoding="latin1".
py2 = []
for protocol, body in ((2, b"U\\x05caf\\xe9!" + b"T" + struct.pack("<I", 200) + bytes(range(56, 256)) + b"S'\\\\xe9t\\\\xe9 \\\\x80'\\n"),):
    b = b"\\x80\\x02](" + body + b"e."
    py2.append({"name": f"py2 strings p{protocol}", "hex": b.hex(), "tagged": to_tagged(pickle.loads(b, encoding="latin1"))})
ann = User("Ann \\u00e9\\U0001f600", 37, 4.5, ["chess", "\\u00fc" * 200], True, Address("1 Main St", "12345"), datetime.datetime(2024, 1, 2, 3, 4, 5, 6))
print(json.dumps({"cases": cases, "py2": py2, "user": pickle.dumps(ann, 4).hex()}))
`,
  ]),
) as {
  cases: { name: string; hex: string; protocol: number; reencodes: boolean; tagged: unknown }[];
  py2: { name: string; hex: string; tagged: unknown }[];
  user: string;
};

const jsStrings = ["", "a", "é", "😀", "\ud800", "\udfff\ud800", "x\udbffy", "日本".repeat(50), "é".repeat(30000), "\u0080\u00ff".repeat(40), "a\\b\nc\r\u001a\u0000"];
const inputs = {
  cpython: made.cases,
  py2: made.py2,
  corpus: corpus()
    .filter((c) => c.ok && c.written_at !== undefined && c.strict !== null)
    .map((c) => ({ hex: c.hex, protocol: c.written_at! })),
  user: made.user,
  jsStrings,
};

type Results = Record<string, string>;

/** Asserts equal texts; on a difference, shows where (results are long hex strings). */
function same(actual: string | undefined, expected: string | undefined, what: string): void {
  if (actual === expected) return;
  const a = actual ?? "<missing>";
  const b = expected ?? "<missing>";
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  assert.unreachable(
    `${what}: differs at character ${at} of ${b.length}:\n  got      …${a.slice(Math.max(0, at - 20), at + 60)}\n  expected …${b.slice(Math.max(0, at - 20), at + 60)}`,
  );
}

function inWorkerWithoutNode(): Promise<{ globals: Record<string, string>; results?: Results; error?: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./no-node-worker.mjs", import.meta.url), { workerData: { bundle: pathToFileURL(everything).href, scenario: SCENARIO, inputs } });
    worker.once("message", (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

async function withBuffer(): Promise<Results> {
  const tp = await import(pathToFileURL(everything).href);
  const { run } = (await import(SCENARIO)) as { run: (tp: unknown, inputs: unknown) => Promise<Results> };
  return run(tp, inputs);
}

const test = suite("the portable core without Node");
let without: Results;
let withNode: Results;

test("browser bundles of runtime/index.ts and of dis, scan and repr have no node: import and no require()", () => {
  for (const file of [core, inspectors, everything]) {
    const code = readFileSync(file, "utf8");
    assert.not.match(code, /["']node:/, `${file} imports a node: module`);
    assert.not.match(code, /\brequire\s*\(/, `${file} calls require()`);
  }
});

test("the worker really has no Buffer and no process; the scenario runs there", async () => {
  const got = await inWorkerWithoutNode();
  assert.equal(got.globals, { Buffer: "undefined", process: "undefined" });
  assert.is(got.error, undefined, got.error);
  without = got.results!;
  withNode = await withBuffer();
  assert.ok(Object.keys(without).length > 60, `${Object.keys(without).length} results`);
});

test("every result is the same with and without Buffer", () => {
  assert.equal(Object.keys(without).sort(), Object.keys(withNode).sort());
  for (const key of Object.keys(withNode)) same(without[key], withNode[key], key);
});

test("CPython's values read as python/tagged.py tags them and are written back byte for byte", () => {
  for (const c of made.cases) {
    assert.equal(JSON.parse(without[`${c.name}: tagged`]!), c.tagged, c.name);
    if (c.reencodes) same(without[`${c.name}: dumps`], c.hex, c.name);
  }
  for (const c of made.py2) assert.equal(JSON.parse(without[`${c.name}: tagged`]!), c.tagged, c.name);
  assert.is(without["corpus: differing"], "");
});

test("strings written here read back equal at every protocol; the typed codec writes CPython's bytes", () => {
  for (let p = 0; p <= 5; p++) assert.is(without[`js strings p${p}: read back equal`], "true");
  same(without["user: dumps"], made.user, "dumpsUser");
  same(without["user: dumps (general writer)"], made.user, "dumpsTyped through the general writer");
  assert.is(JSON.parse(without["user: fields"]!)[0], "Ann é😀");
  assert.is(without["loadTyped from chunks"], "Ann é😀");
});

test("a file path is refused with FilePathNeedsNodeError, naming the function", () => {
  for (const name of ["loadFrom", "dump", "loadTyped", "dumpTyped", "writeFileAtomically", "loadStream"]) {
    assert.is(
      without[`${name}(path)`],
      `true FilePathNeedsNodeError: ${name}: file paths need Node: pass bytes or a stream (got the path "data.pkl" in the portable build of typed-pickle; the Node entry takes paths)`,
    );
  }
});

test.run();
