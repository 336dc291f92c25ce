// `typed-pickle import-python`: the schema drafted from python/myapp/service.py's classes (every kind
// introspected: dataclass, NamedTuple, namedtuple, Enum/IntEnum/StrEnum, slots, getstate, attrs where
// installed, pydantic v2; nested and cyclic through forward references) maps each Python type,
// generates, type-checks, and round-trips CPython's pickles of instances at protocols 0–5.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ImportPythonResult, importPython } from "../../generator/import-python/import-python.ts";
import { REPO, cli } from "../support/cli.ts";
import { generateDraft, typeErrors } from "../support/draft-project.ts";
import { PYTHON_DIR, fromHex, runPython, runPythonJsonLines } from "../support/python.ts";

const test = suite("import-python: a schema drafted from Python classes");

const HAS_ATTRS = (() => {
  try {
    runPython(["-c", "import attrs"]);
    return true;
  } catch {
    return false;
  }
})();

/** A directory inside the repository (so the generated modules resolve "typed-pickle"), removed after the run. */
const dir = relative(REPO, mkdtempSync(join(REPO, "test/import-python/run-")));
let result: ImportPythonResult;

interface Sample {
  root: string;
  protocol: number;
  hex: string;
  /** Whether a set is inside (CPython orders a set of strs by randomised hashes: equality only). */
  hasSet: boolean;
}

// Pickles each root of myapp.service.samples() at protocols 0–5 (Everything holds a slots class, which
// CPython refuses to pickle at 0 and 1).
const SAMPLES = `
import json, pickle
from myapp.service import samples
for root, value in samples().items():
    if root == "Level":
        continue
    for protocol in range(6):
        if root == "Everything" and protocol < 2:
            continue
        print(json.dumps({"root": root, "protocol": protocol, "hex": pickle.dumps(value, protocol).hex(), "hasSet": root in ("Everything", "Account")}))
`;

// Reads pairs of pickles and prints whether they hold the same value: a structural walk that follows
// cycles (the dataclasses' own == recurses forever on Node's cycle) and compares pydantic's fields_set.
const COMPARE = `
import enum, json, pickle, sys

def same(a, b, seen):
    if type(a) is not type(b):
        return False
    if isinstance(a, enum.Enum):
        return a is b
    if isinstance(a, (int, float, str, bytes, bytearray, type(None))) or type(a).__module__ in ("datetime", "decimal", "uuid"):
        return a == b
    if (id(a), id(b)) in seen:
        return True
    seen.add((id(a), id(b)))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, seen) for x, y in zip(a, b))
    if isinstance(a, (set, frozenset)):
        return a == b
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], seen) for k in a)
    state = lambda o: {**getattr(o, "__dict__", {}), **{s: getattr(o, s) for c in type(o).__mro__ for s in c.__dict__.get("__slots__", ()) if hasattr(o, s)}}
    return same(state(a), state(b), seen) and getattr(a, "__pydantic_fields_set__", None) == getattr(b, "__pydantic_fields_set__", None)

for line in sys.stdin:
    case = json.loads(line)
    print(json.dumps(same(pickle.loads(bytes.fromhex(case["original"])), pickle.loads(bytes.fromhex(case["back"])), set())))
`;

test.before(async () => {
  result = await importPython(["myapp.service"], { python: "python3", path: [PYTHON_DIR], cwd: REPO }, join(REPO, "schemas/x.ts"));
});

test.after(() => rmSync(join(REPO, dir), { recursive: true, force: true }));

test("each Python type maps to its schema type", () => {
  const t = result.text;
  for (const line of [
    "count!: int;",
    "ratio!: float;",
    "label!: string;",
    "raw!: bytes;",
    "buffer!: bytearray;",
    "flag!: boolean;",
    "tags!: string[];",
    "pair!: [string, int];",
    "ids!: Set<int>;",
    "frozen!: frozenset<string>;",
    "scores!: Map<string, int>;",
    "when!: datetime;",
    "day!: date;",
    "clock!: time;",
    "span!: timedelta;",
    "price!: Decimal;",
    "uid!: UUID;",
    "color!: Color;",
    "level!: Level;",
    "mode!: Mode;",
    "point!: Point;",
    "slotted!: Slotted;",
    "tree!: Node;",
  ])
    assert.ok(t.includes(`@field() ${line}`), line);
});

test("Optional, defaults, forward references and the cycle", () => {
  const t = result.text;
  assert.match(t, /@field\(\) note: string \| null = null;/, "str | None = None");
  assert.match(t, /@field\(\) retries: int = 3;/);
  assert.match(t, /@field\(\) scale: float = 1\.5;/);
  assert.match(t, /@field\(\) title: string = "untitled";/);
  assert.match(t, /@field\(\) enabled: boolean = true;/);
  assert.match(t, /@field\(\) history: int\[\] = \[\];/, "default_factory=list");
  assert.match(t, /\/\/ TODO: default datetime\.date\(2020, 1, 1\) has no literal form here: no initializer written\n {2}@field\(\) since!: date;/);
  assert.match(
    t,
    /@pyclass\("myapp\.service", "Node"\)\nexport class Node \{\n {2}@field\(\) name!: string;\n {2}@field\(\) parent: Node \| null = null;\n {2}@field\(\) children: Node\[\] = \[\];/,
  );
  assert.match(t, /@field\(\) nickname: string \| null = null;/, "pydantic Optional default");
});

test("each kind of class: its state form, enums with their values", () => {
  const t = result.text;
  assert.match(t, /export enum Color \{\n {2}RED = "red",\n {2}GREEN = "green",\n\}\npyenum\(Color, "myapp\.service", "Color"\);/);
  assert.match(t, /export enum Level \{\n {2}LOW = 1,\n {2}HIGH = 2,\n\}/, "IntEnum");
  assert.match(t, /export enum Mode \{\n {2}FAST = "fast",\n {2}SAFE = "safe",\n\}/, "StrEnum");
  assert.match(t, /@pyclass\("myapp\.service", "Point", \{ state: "args" \}\)\nexport class Point \{\n {2}@field\(\) x!: int;\n {2}@field\(\) y: float = 0;/);
  assert.match(t, /@pyclass\("myapp\.service", "Pair", \{ state: "args" \}\)/, "collections.namedtuple");
  assert.match(t, /@pyclass\("myapp\.service", "Slotted", \{ state: "slots" \}\)/);
  assert.match(t, /@pyclass\("myapp\.service", "Account", \{ state: "pydantic" \}\)/);
  assert.match(t, /@pyclass\("myapp\.service", "Everything"\)/);
  if (HAS_ATTRS)
    assert.match(
      t,
      /\/\/ an attrs class in Python\n@pyclass\("myapp\.service", "Shipment"\)\nexport class Shipment \{\n {2}@field\(\) code!: string;\n {2}@field\(\) weight: float = 0\.5;\n {2}@field\(\) labels: string\[\] = \[\];/,
    );
  else console.log("  (attrs not installed in python3: the attrs case is not checked)");
});

test("a __getstate__/__setstate__ pair: what could not be inferred is a TODO comment and a warning", () => {
  assert.match(
    result.text,
    /\/\/ TODO: Connection defines __getstate__, __setstate__: what it pickles cannot be read from the class[^\n]*\n@pyclass\("myapp\.service", "Connection"\)/,
  );
  assert.equal(result.warnings.filter((w) => /Connection defines __getstate__, __setstate__/.test(w)).length, 1);
});

test("anything else is Any with a TODO saying what it was", () => {
  assert.match(result.text, /\/\/ TODO: annotated <class 'object'>; Any for now\n {2}@field\(\) blob: Any = null;/);
  assert.match(result.text, /\/\/ TODO: annotated no annotation; Any for now\n {2}@field\(\) left!: Any;/, "an unannotated namedtuple");
  assert.match(
    result.text,
    /\/\/ TODO: no annotations, __slots__ or fields found: add the attributes its pickles hold\n@pyclass\("myapp\.service", "Opaque"\)\nexport class Opaque \{\}/,
  );
});

test("the schema generates, type-checks, and round-trips CPython's pickles at protocols 0–5 (byte-identical at 2–5 without a set)", async () => {
  const { schema, module } = await generateDraft(`${dir}/draft`, "service", result.text);
  assert.equal(typeErrors([schema, module]), []);
  const codecs = await import(pathToFileURL(module).href);
  const samples = runPythonJsonLines<Sample>(["-c", SAMPLES]);
  assert.is(samples.length, 4 + 6 * (HAS_ATTRS ? 5 : 4));
  const cases = samples.map((s) => {
    const back = Buffer.from(codecs[`dumps${s.root}`](codecs[`loads${s.root}`](fromHex(s.hex)), { protocol: s.protocol })).toString("hex");
    if (s.protocol >= 2 && !s.hasSet) assert.is(back, s.hex, `${s.root} at protocol ${s.protocol}: CPython's bytes`);
    return { original: s.hex, back };
  });
  const same = runPythonJsonLines<boolean>(["-c", COMPARE], cases.map((c) => JSON.stringify(c)).join("\n"));
  assert.equal(
    same,
    samples.map(() => true),
  );
});

test("the command: --help says the module's code runs; --out and --path; an unimportable module is exit 2", () => {
  const help = cli(["import-python", "--help"]);
  assert.is(help.status, 0);
  assert.match(help.stdout, /IMPORTS the modules: their code\s+runs/);
  const out = join(dir, "cli/service.ts");
  const run = cli(["import-python", "myapp.service:Node,Point", "--path", "python", "--out", out]);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /2 classes, 0 enums/);
  assert.match(readFileSync(join(REPO, out), "utf8"), /export class Node \{/);
  const missing = cli(["import-python", "myapp.no_such_module", "--path", "python"]);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /No module named 'myapp\.no_such_module'/);
});

test.run();
