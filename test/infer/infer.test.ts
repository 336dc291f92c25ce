// `typed-pickle infer`: a schema drafted from real CPython pickles (python/myapp/legacy.py's classes,
// every state form, at protocols 0–5, one file of several pickles, a directory) generates, compiles,
// and loads every pickle it was drafted from; written back, each is equal in CPython to the original.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type InferResult, inferSchema } from "../../generator/infer/infer.ts";
import { REPO, cli } from "../support/cli.ts";
import { generateDraft, typeErrors } from "../support/draft-project.ts";
import { fromHex, runPythonJsonLines } from "../support/python.ts";

const test = suite("infer: a schema drafted from pickles");

interface Sample {
  file: string;
  protocol: number;
  hex: string;
}

/** A directory inside the repository (so the generated modules resolve "typed-pickle"), removed after the run. */
const dir = relative(REPO, mkdtempSync(join(REPO, "test/infer/run-")));
const pickles = join(REPO, dir, "pickles");
let samples: Sample[] = [];
let result: InferResult;

test.before(async () => {
  mkdirSync(pickles, { recursive: true });
  samples = runPythonJsonLines<Sample>(["legacy_samples.py", "write", pickles]);
  writeFileSync(join(pickles, "notes.txt"), "not a pickle\n");
  result = await inferSchema([join(pickles, "p0.pkl"), pickles], join(REPO, "schemas/x.ts"));
});

test.after(() => rmSync(join(REPO, dir), { recursive: true, force: true }));

test("every file read: several pickles in one file, a directory walked, a file that is not a pickle reported", () => {
  assert.is(samples.length, 10);
  // p0.pkl is given twice (alone and in the directory): its pickle is read twice.
  assert.is(result.pickles, 11);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0]!, /notes\.txt: not a pickle: /);
  assert.is(result.classes, 8);
  assert.is(result.enums, 2);
});

test("each state form, enum, nesting, cycle and unified type drafted", () => {
  const t = result.text;
  assert.match(t, /@pyclass\("myapp\.legacy", "Record"\)\nexport class PyRecord \{/);
  assert.match(t, /@field\(\{ name: "user_id" \}\) userId!: int;/);
  assert.match(t, /@field\(\) big!: bigint;/, "a value beyond 2^53 seen");
  assert.match(t, /@field\(\) mixed!: float;/, "int and float seen");
  assert.match(t, /@field\(\) title!: string \| null;/);
  assert.match(t, /@field\(\) note\?: string;/, "absent in some instances");
  assert.match(t, /@field\(\) scores!: Map<string, int>;/);
  assert.match(t, /@field\(\) ids!: Set<int>;/);
  assert.match(t, /@field\(\) frozen!: frozenset<string>;/);
  assert.match(t, /@field\(\) pair!: \[string, int\];/);
  assert.match(t, /@field\(\) point!: SlotPoint \| null;/);
  for (const leaf of [
    "raw!: bytes",
    "buffer!: bytearray",
    "when!: datetime",
    "day!: date",
    "clock!: time",
    "span!: timedelta",
    "price!: Decimal",
    "uid!: UUID",
    "color!: Color",
    "level!: Level",
  ])
    assert.ok(t.includes(leaf), leaf);
  assert.match(t, /export enum Color \{\n {2}GREEN = "green",\n {2}RED = "red",\n\}\npyenum\(Color, "myapp\.legacy", "Color"\);/);
  assert.match(t, /export enum Level \{\n {2}V1 = 1,\n\}/);
  assert.match(t, /@pyclass\("myapp\.legacy", "SlotPoint", \{ state: "slots" \}\)/);
  assert.match(t, /@pyclass\("myapp\.legacy", "Pair", \{ state: "args" \}\)\nexport class Pair \{\n.*\n {2}@field\(\) arg0!: string;/);
  assert.match(t, /@pyclass\("myapp\.legacy", "Temperature", \{ state: "tuple" \}\)/);
  assert.match(t, /@pyclass\("myapp\.legacy", "Money", \{ state: "reduce" \}\)/);
  assert.match(t, /@pyclass\("myapp\.legacy", "Account", \{ state: "pydantic" \}\)/);
  assert.match(t, /@field\(\) parent!: Node \| null;\n.*\n {2}@field\(\) children!: Node\[\];/);
});

test("each field's comment counts its instances and Nones", () => {
  const t = result.text;
  // 11 records (p0 twice); title is None where i % 3 == 0: i = 0 (twice), 3, 6, 9.
  assert.match(t, /\/\/ seen in 11 of 11 instances; None in 5\n {2}@field\(\) title!/);
  // note is set where i is even: 0 (twice), 2, 4, 6, 8.
  assert.match(t, /\/\/ seen in 6 of 11 instances\n {2}@field\(\) note\?/);
  // point is None at protocols 0 and 1 (p0 twice).
  assert.match(t, /\/\/ seen in 11 of 11 instances; None in 3\n {2}@field\(\) point!/);
  // Two Nodes per record (the root and its child, shared through the cycle): each counted once.
  assert.match(t, /\/\/ seen 22 times\n@pyclass\("myapp\.legacy", "Node"\)/);
  assert.match(t, /\/\/ seen in 22 of 22 instances; None in 11\n {2}@field\(\) parent!/);
});

test("the draft generates, type-checks, and loads every pickle it was drafted from; written back, CPython reads equal values", async () => {
  const { schema, module } = await generateDraft(`${dir}/draft`, "legacy", result.text);
  assert.equal(typeErrors([schema, module]), []);
  const codecs = await import(pathToFileURL(module).href);
  const { PyRecord } = await import(pathToFileURL(schema).href);
  const cases = samples.map((s) => {
    const record = codecs.loadsPyRecord(fromHex(s.hex));
    assert.ok(record instanceof PyRecord, s.file);
    assert.is(record.tree.children[0].parent, record.tree, "the cycle is kept");
    return { original: s.hex, back: Buffer.from(codecs.dumpsPyRecord(record, { protocol: s.protocol })).toString("hex") };
  });
  const same = runPythonJsonLines<boolean>(["legacy_samples.py", "compare"], cases.map((c) => JSON.stringify(c)).join("\n"));
  assert.equal(
    same,
    samples.map(() => true),
  );
});

test("bonus: where no set is involved, the draft's codecs write CPython's bytes at protocols 2–5", async () => {
  // The draft generated by the test above.
  const codecs = await import(pathToFileURL(join(REPO, dir, "draft/generated/legacy.ts")).href);
  const setFree = runPythonJsonLines<{ root: string; protocol: number; hex: string }>(["legacy_samples.py", "setfree"]);
  assert.is(setFree.length, 12);
  for (const { root, protocol, hex } of setFree) {
    const back = codecs[`dumps${root}`](codecs[`loads${root}`](fromHex(hex)), { protocol });
    assert.is(Buffer.from(back).toString("hex"), hex, `${root} at protocol ${protocol}`);
  }
});

test("the command: --help says nothing is called; a draft written to --out; a file that is not a pickle is a warning", () => {
  const help = cli(["infer", "--help"]);
  assert.is(help.status, 0);
  assert.match(help.stdout, /nothing in them is\s+imported or called/);
  const out = join(dir, "cli/legacy.ts");
  const run = cli(["infer", join(dir, "pickles"), "--out", out]);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /warning: .*notes\.txt: not a pickle/);
  assert.match(run.stderr, /10 pickles read: 8 classes, 2 enums/);
  assert.match(readFileSync(join(REPO, out), "utf8"), /export class PyRecord \{/);
  assert.is(cli(["infer", join(dir, "pickles/notes.txt")]).status, 1, "no class found");
});

test.run();
