// An enum at the root of a pickle: each pyenum() gets loadsE / dumpsE / loadE / dumpE as classes do.
// CPython is the oracle: its pickle.dumps of every member at protocols 0–5 loads to the member, our
// dumps is its bytes at protocols 2–5 and loads back in CPython to the same member.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UnpicklingError } from "typed-pickle";
import { dumpColor, dumpsColor, dumpsPriority, loadColor, loadsColor, loadsPriority } from "../../generated/catalog.ts";
import { Color, Priority } from "../../schemas/catalog.ts";
import { fromHex, runPython, runPythonJsonLines, toHex } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";

const MEMBERS = [
  ...Object.values(Color).map((m) => ["Color", m] as const),
  ...Object.values(Priority)
    .filter((m) => typeof m === "number")
    .map((m) => ["Priority", m] as const),
];
const NAMES: Record<string, string> = { ...Object.fromEntries(Object.entries(Color).map(([k, v]) => [v, k])), 1: "LOW", 2: "HIGH" };

/** CPython's pickle.dumps(member, protocol) as hex, for every member and protocol 0–5. */
const PYTHON: Record<string, string[]> = JSON.parse(
  runPython([
    "-c",
    `import json, pickle
from myapp.catalog import Color, Priority
print(json.dumps({f"{type(m).__name__}.{m.name}": [pickle.dumps(m, p).hex() for p in range(6)] for e in (Color, Priority) for m in e}))`,
  ]),
);

const loads = (enumName: string, data: Uint8Array) => (enumName === "Color" ? loadsColor(data) : loadsPriority(data));
const dumps = (enumName: string, member: Color | Priority, protocol: number) =>
  enumName === "Color" ? dumpsColor(member as Color, { protocol }) : dumpsPriority(member as Priority, { protocol });

const test = suite("enum at the root");

test("loadsE: every member from CPython's pickle at protocols 0–5", () => {
  for (const [enumName, member] of MEMBERS) {
    const pickles = PYTHON[`${enumName}.${NAMES[member]}`]!;
    assert.is(pickles.length, 6);
    for (const hex of pickles) assert.is(loads(enumName, fromHex(hex)), member, `${enumName}.${NAMES[member]}`);
  }
});

test("dumpsE: CPython's bytes at protocols 2–5, and CPython loads every protocol to the member", () => {
  const lines: string[] = [];
  const mismatches: string[] = [];
  for (const [enumName, member] of MEMBERS) {
    const key = `${enumName}.${NAMES[member]}`;
    for (let p = 0; p < 6; p++) {
      const ours = toHex(dumps(enumName, member, p));
      lines.push(`${key} ${ours}`);
      if (p >= 2 && ours !== PYTHON[key]![p]) mismatches.push(`${key} protocol ${p}: ours ${ours}, python ${PYTHON[key]![p]}`);
    }
  }
  assert.equal(mismatches, [], mismatches.join("\n"));
  const results = runPythonJsonLines<{ ok: boolean; got: string }>(
    [
      "-c",
      `import json, pickle, sys
from myapp.catalog import Color, Priority
for line in sys.stdin.read().split("\\n"):
    key, data = line.split(" ")
    enum_name, member = key.split(".")
    got = pickle.loads(bytes.fromhex(data))
    print(json.dumps({"ok": got is getattr({"Color": Color, "Priority": Priority}[enum_name], member), "got": repr(got)}))`,
    ],
    lines.join("\n"),
  );
  assert.is(results.length, lines.length);
  const failures = results.flatMap((r, i) => (r.ok ? [] : [`${lines[i]}: CPython loaded ${r.got}`]));
  assert.equal(failures, [], failures.join("\n"));
});

test("loadsE refuses another enum's member and a bare value", () => {
  const high = fromHex(PYTHON["Priority.HIGH"]![4]!);
  assert.match(refusal(() => loadsColor(high)).message, /myapp\.catalog\.Priority/);
  const plainString = fromHex(runPython(["-c", "import pickle; print(pickle.dumps('green', 4).hex())"]).trim());
  assert.match(refusal(() => loadsColor(plainString)).message, /myapp\.catalog\.Color/);
  assert.instance(
    refusal(() => loadsColor(high)),
    UnpicklingError,
  );
});

test("dumpE / loadE: through a file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-enum-"));
  try {
    const path = join(dir, "color.pkl");
    await dumpColor(Color.BLUE, path);
    assert.is(await loadColor(path), Color.BLUE);
    writeFileSync(path, fromHex(PYTHON["Color.RED"]![0]!));
    assert.is(await loadColor(path), Color.RED, "a protocol 0 file CPython wrote");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
