// Every command on hostile files: a clear one-line message and exit code, in bounded time, with
// nothing from the pickle reaching the terminal raw. Each command runs as a user runs it; a
// generous timeout turns a hang into a failure instead of a stuck run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO } from "../support/cli.ts";
import { runPython } from "../support/python.ts";

const BIN = fileURLToPath(new URL("../../generator/cli/typed-pickle.mjs", import.meta.url));
/** Far beyond what any of these takes when it works (seconds), far below a hang. */
const HANG_GUARD_MS = 90_000;

function run(args: string[]): { status: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 28, timeout: HANG_GUARD_MS });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.error !== undefined || r.signal !== null };
}

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-hostile-cli-"));
const file = (name: string, bytes?: Uint8Array | string) => {
  const path = join(dir, name);
  if (bytes !== undefined) writeFileSync(path, typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
  return path;
};

/** A protocol-4 pickle calling `module.name()` through STACK_GLOBAL. */
const stackGlobalCall = (module: string, name: string) => {
  const str = (s: string) => [0x8c, Buffer.byteLength(s), ...Buffer.from(s)];
  return Uint8Array.from([0x80, 0x04, ...str(module), ...str(name), 0x93, 0x29, 0x52, 0x2e]);
};
const INJECTED = "os\nsystem\n(S'echo INJECTED'\ntR.";
const ANSI = "os\x1b[31m\x9b2J\u202e";

// Values Python writes, and what Python prints for them.
const expected = JSON.parse(
  runPython([
    "-c",
    `
import json, os, pickle, sys
sys.path.insert(0, os.getcwd())
from tagged import to_tagged
d = sys.argv[1]
t = (1,)
for _ in range(26):
    t = (t, t)
values = {"big_list": list(range(100_000)), "big_set": set(range(100_000)), "big_tuple": tuple(range(100_000)),
          "dag_set": {t}, "builtin_set": {1, 2}}
for name, v in values.items():
    with open(os.path.join(d, name + ".pkl"), "wb") as f:
        pickle.dump(v, f, protocol=2 if name == "builtin_set" else 4)
print(json.dumps({"repr": {k: repr(values[k]) for k in ("big_list", "big_set", "big_tuple")},
                  "dag_tagged": to_tagged(values["dag_set"])}))
`,
    dir,
  ]),
);

const test = suite("CLI on hostile input");

/** No control character but newline (line ends) and no terminal escape in what a command printed. */
function assertNoRawControl(text: string, what: string) {
  const bad = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.exec(text);
  assert.is(bad, null, `${what} holds a raw U+${bad?.[0].codePointAt(0)?.toString(16).padStart(4, "0")}`);
}

test("dis of '(NRt.' (REDUCE takes the MARK as an item) ends with pickletools' lines and an error, exit 2", () => {
  const r = run(["dis", file("nrt.pkl", "(NRt.")]);
  assert.not.ok(r.timedOut, "dis hung");
  assert.is(r.status, 2);
  assert.is(r.stdout, "    0: (    MARK\n    1: N        NONE\n    2: R        REDUCE\n");
  assert.match(r.stderr, /nrt\.pkl: no MARK exists on stack .*\(offset 3\)\n$/);
});

test("dis of 200,000 open MARKs stops at its output budget instead of printing ~80 GB of indentation; -l 0 lists it all", () => {
  const path = file("deep-marks.pkl", "(".repeat(200_000) + "N.");
  const r = run(["dis", path]);
  assert.not.ok(r.timedOut, "dis hung");
  assert.is(r.status, 2);
  assert.match(
    r.stderr,
    /deep-marks\.pkl: the listing would exceed 64 characters per byte of the pickle \(\+16 MiB\): MARKs nested \d+ deep indent every line \(-l 0 lists without indentation\)/,
  );
  assert.ok(r.stdout.length <= 64 * 200_002 + (16 << 20), `${r.stdout.length} characters listed`);
  const flat = run(["dis", "-l", "0", path]);
  assert.not.ok(flat.timedOut, "dis -l 0 hung");
  // Every opcode and the protocol line; then pickletools' check finds the MARKs still open.
  assert.is(flat.stdout.split("\n").length - 1, 200_003);
  assert.match(flat.stderr, /stack not empty after STOP/);
});

test("scan of a MARK slice of two million items finishes (it was quadratic)", () => {
  const r = run(["scan", file("mark-slice.pkl", "(" + "N".repeat(2_000_000) + "t.")]);
  assert.not.ok(r.timedOut, "scan hung");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 pickle, 0 globals/);
});

test("scan of a tuple shared as a 60-level DAG, and of tuples nested 200,000 deep, finishes (it walked every path, recursively)", () => {
  const dag = [0x80, 0x04, 0x4e, 0x85, 0x94];
  for (let i = 1; i <= 60; i++) dag.push(0x68, i - 1, 0x68, i - 1, 0x86, 0x94);
  dag.push(0x2e);
  const deep = new Uint8Array(200_000 + 3).fill(0x85);
  deep.set([0x80, 0x04, 0x4e]);
  const r = run(["scan", file("dag.pkl", Uint8Array.from(dag)), file("deep.pkl", Uint8Array.from([...deep, 0x2e]))]);
  assert.not.ok(r.timedOut, "scan hung");
  assert.is(r.stderr, "");
  assert.is(r.status, 0, r.stdout);
  assert.match(r.stdout, /dag\.pkl: 1 pickle, 0 globals/);
  assert.match(r.stdout, /deep\.pkl: 1 pickle, 0 globals/);
});

test("show --json of a set holding a tuple shared as a 26-level DAG prints each tuple once, then refs", () => {
  const r = run(["show", "--json", file("dag_set.pkl")]);
  assert.not.ok(r.timedOut, "show --json hung");
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), expected.dag_tagged);
  assert.ok(r.stdout.length < 10_000, `${r.stdout.length} characters`);
});

test("show (repr) of the same refuses past 1 MiB, promptly, as the README says", () => {
  const r = run(["show", file("dag_set.pkl")]);
  assert.not.ok(r.timedOut, "show hung");
  assert.is(r.status, 2);
  assert.is(r.stdout, "");
  assert.match(r.stderr, /dag_set\.pkl: repr is longer than 1048576 characters/);
});

test("show --json of a 100 KB str shared by 450,000 BINGETs refuses past 64 x the file + 16 MiB instead of growing to 45 GB", () => {
  const text = Buffer.alloc(100_000, "x");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(text.length);
  const pickle = Buffer.concat([
    Buffer.from([0x80, 0x04, 0x5d, 0x94, 0x28, 0x58]),
    length,
    text,
    Buffer.from([0x94]),
    Buffer.from("h\x01".repeat(450_000), "latin1"),
    Buffer.from("e."),
  ]);
  const r = run(["show", "--json", file("shared-str.pkl", pickle)]);
  assert.not.ok(r.timedOut, "show --json hung");
  assert.is(r.status, 2);
  assert.is(r.stdout, "");
  assert.match(r.stderr, new RegExp(`shared-str\\.pkl: tagged JSON is longer than ${64 * pickle.length + (16 << 20)} characters`));
});

test("show of a list, set and tuple of 100,000 items prints Python's repr (no argument spread)", () => {
  for (const name of ["big_list", "big_set", "big_tuple"]) {
    const r = run(["show", file(`${name}.pkl`)]);
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, expected.repr[name] + "\n", name);
  }
});

test("convert of a frozenset, set, list and dict of 200,000 items writes what CPython reads back (no argument spread)", () => {
  const path = file("big-containers.pkl");
  runPython([
    "-c",
    "import pickle, sys\nwith open(sys.argv[1], 'wb') as f:\n    for v in (frozenset(range(200_000)), set(range(200_000)), list(range(200_000)), dict.fromkeys(range(200_000))):\n        pickle.dump(v, f, 4)",
    path,
  ]);
  for (const protocol of ["2", "4"]) {
    const out = file(`big-containers-${protocol}.pkl`);
    const r = run(["convert", "--protocol", protocol, path, out]);
    assert.is(r.status, 0, r.stderr);
    const check =
      "import pickle, sys\nf = open(sys.argv[1], 'rb')\nvs = [pickle.load(f) for _ in range(4)]\nr = range(200_000)\nassert vs == [frozenset(r), set(r), list(r), dict.fromkeys(r)]\nprint('ok')";
    assert.is(runPython(["-c", check, out]).trim(), "ok", `protocol ${protocol}`);
  }
});

test("show and convert of an empty file: 'Ran out of input', exit 2, OUT untouched", () => {
  const empty = file("empty.pkl", "");
  const shown = run(["show", empty]);
  assert.is(shown.status, 2);
  assert.is(shown.stdout, "");
  assert.match(shown.stderr, /empty\.pkl: Ran out of input/);
  const out = file("kept.pkl", "previous");
  const converted = run(["convert", empty, out]);
  assert.is(converted.status, 2);
  assert.match(converted.stderr, /empty\.pkl: Ran out of input/);
  assert.is(readFileSync(out, "latin1"), "previous");
});

test("a character device (/dev/zero) is refused by every command instead of read forever", () => {
  if (!existsSync("/dev/zero")) return;
  for (const args of [
    ["dis", "/dev/zero"],
    ["scan", "/dev/zero"],
    ["show", "/dev/zero"],
    ["convert", "/dev/zero", file("never.pkl")],
  ]) {
    const r = run(args);
    assert.not.ok(r.timedOut, `${args[0]} read forever`);
    assert.is(r.status, 2, args[0]);
    // (scan reports an unreadable file in its report, on stdout)
    assert.match(r.stderr + r.stdout, /\/dev\/zero: (unreadable: )?a character device: only regular files and pipes are read/, args[0]);
  }
  assert.not.ok(existsSync(file("never.pkl")));
});

test("a pipe is still read", () => {
  const r = spawnSync("sh", ["-c", `cat "${file("builtin_set.pkl")}" | "${process.execPath}" "${BIN}" show /dev/stdin`], { encoding: "utf8", timeout: HANG_GUARD_MS });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, "{1, 2}\n");
});

test("dis refuses a LONG4 of more than 4,300 digits as pickletools does", () => {
  const n = 400_000;
  const long4 = Uint8Array.from([0x80, 0x02, 0x8b, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0, ...new Uint8Array(n).fill(0x7f), 0x2e]);
  const r = run(["dis", file("long4.pkl", long4)]);
  assert.is(r.status, 2);
  assert.is(r.stdout, "    0: \\x80 PROTO      2\n");
  assert.match(r.stderr, /Exceeds the limit \(4300 digits\) for integer string conversion.*\(offset 2\)/);
});

test("names with newlines, terminal escapes and bidi overrides are printed escaped by dis, show and scan", () => {
  for (const [name, module] of [
    ["injected", INJECTED],
    ["ansi", ANSI],
  ] as const) {
    const path = file(`${name}.pkl`, stackGlobalCall(module, "sys"));
    const shown = run(["show", path]);
    assert.is(shown.status, 0, shown.stderr);
    assertNoRawControl(shown.stdout.slice(0, -1), `show ${name}`);
    assert.match(shown.stdout, /^\(<global .*>\)\(\)\n$/);
    const json = run(["show", "--json", path]);
    assertNoRawControl(json.stdout.slice(0, -1), `show --json ${name}`);
    assert.is(JSON.parse(json.stdout).object.class, `${module}.sys`);
    const scanned = run(["scan", path]);
    assert.is(scanned.status, 1);
    for (const line of scanned.stdout.trimEnd().split("\n")) assertNoRawControl(line, `scan ${name}`);
    assert.match(scanned.stdout, /: dangerous (['"]).*\1 \(STACK_GLOBAL\) — not a Python name/);
    const scannedJson = run(["scan", "--json", path]);
    assertNoRawControl(scannedJson.stdout.slice(0, -1), `scan --json ${name}`);
    assert.is(JSON.parse(scannedJson.stdout).findings[0].name, `${module}.sys`);
    const listed = run(["dis", path]);
    assert.is(listed.status, 0, listed.stderr);
    for (const line of listed.stdout.trimEnd().split("\n")) assertNoRawControl(line, `dis ${name}`);
  }
  // Messages too: a text STRING argument that is not quoted is quoted in the error.
  const bad = run(["dis", file("unquoted.pkl", "S\x1b[2J\n.")]);
  assert.is(bad.status, 2);
  assertNoRawControl(bad.stderr.slice(0, -1), "dis error");
  assert.match(bad.stderr, /no string quotes around b'\\x1b\[2J'/);
});

test("convert --protocol 2 refuses a name a GLOBAL line cannot carry: exit 2, OUT untouched", () => {
  const out = file("converted.pkl", "previous");
  const r = run(["convert", "--protocol", "2", file("injected.pkl", stackGlobalCall(INJECTED, "sys")), out]);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /injected\.pkl: .*cannot carry/);
  assertNoRawControl(r.stderr.slice(0, -1), "convert error");
  assert.is(readFileSync(out, "latin1"), "previous");
});

test("scan shows the name a pickle spells and the one CPython imports when they differ", () => {
  const path = file("builtin_set.pkl");
  const r = run(["scan", path]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /:\d+: safe-stdlib __builtin__\.set → builtins\.set \(GLOBAL\)/);
  const j = JSON.parse(run(["scan", "--json", path]).stdout);
  assert.equal(
    j.findings.map((f: { name: string; pickled?: string }) => [f.pickled, f.name]),
    [["__builtin__.set", "builtins.set"]],
  );
});

test.run();
