// Classes a pickle builds itself (cloudpickle's dynamic classes: a REDUCE makes the class, NEWOBJ
// makes its instances): opaque mode records them as data, strict mode refuses them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyGlobal, PyObject, UnpicklingError, loads } from "../../runtime/index.ts";
import { toTagged } from "../../runtime/format/tagged-json.ts";
import { cli } from "../support/cli.ts";
import { runPython } from "../support/python.ts";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

// Two instances of a class defined inside a function, pickled by cloudpickle (protocols 2 and 4).
const pickles = [2, 4].map((protocol) =>
  Buffer.from(
    runPython([
      "-c",
      `
import cloudpickle, sys
def make():
    class Point:
        def __init__(self, x):
            self.x = x
    return Point
Point = make()
sys.stdout.write(cloudpickle.dumps([Point(1), Point(2)], protocol=${protocol}).hex())
`,
    ]),
    "hex",
  ),
);

const test = suite("classes built by the pickle");

test("opaque mode: each instance is a PyObject whose class is the (shared) object the REDUCE made", () => {
  for (const data of pickles) {
    const [a, b] = loads(data, { mode: "opaque" }) as PyObject[];
    assert.instance(a, PyObject);
    assert.instance(a!.callable, PyObject);
    assert.is(a!.callable, b!.callable, "one class object, as in Python");
    const cls = a!.callable as PyObject;
    assert.instance(cls.callable, PyGlobal);
    assert.match((cls.callable as PyGlobal).qualifiedName, /^cloudpickle\./);
    assert.ok(cls.args.includes("Point"));
    assert.equal(a!.state, new Map([["x", 1n]]));
    assert.equal(b!.state, new Map([["x", 2n]]));
  }
});

test("tagged JSON gives the class as a tagged value, the second time as a reference; show prints it", () => {
  const tagged = toTagged(loads(pickles[1]!, { mode: "opaque" })) as { list: { object: { class: unknown } }[] };
  const [first, second] = tagged.list;
  assert.match(JSON.stringify(first!.object.class), /^\{"object":\{"class":"cloudpickle\.[^"]+","args":\[.*"str":"Point".*"id":\d+\}$/);
  assert.match(JSON.stringify(second!.object.class), /^\{"ref":\d+\}$/);
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-cloud-"));
  const path = join(dir, "points.pkl");
  writeFileSync(path, pickles[1]!);
  const shown = cli(["show", path]);
  assert.is(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /'Point'.*\(x=1\).*\(x=2\)/s);
  const json = cli(["show", "--json", path]);
  assert.is(json.status, 0, json.stderr);
  assert.ok(JSON.stringify(JSON.parse(json.stdout)).includes('"str":"Point"'));
});

test("strict mode refuses them; no mode takes a class that is not an object or a global", () => {
  // A class made by a REDUCE of an unknown global, then NEWOBJ on it.
  const madeClass = bytes("\x80\x02cmod\nfactory\n)R)\x81.");
  assert.throws(
    () => loads(madeClass),
    (e: unknown) => e instanceof UnpicklingError && /global 'mod.factory' is not allowed/.test(e.message),
  );
  const made = loads(madeClass, { mode: "opaque" }) as PyObject;
  assert.instance(made.callable, PyObject);
  assert.is(made.construction, "newobj");
  // A tuple, an int, a str as the class: refused in both modes, as CPython refuses them.
  for (const cls of [")", "K\x01", "X\x01\x00\x00\x00a"]) {
    for (const mode of ["strict", "opaque"] as const) {
      assert.throws(
        () => loads(bytes(`\x80\x02${cls})\x81.`), { mode }),
        (e: unknown) => e instanceof UnpicklingError && /NEWOBJ class argument isn't a type object \(offset \d+, NEWOBJ\)/.test(e.message),
      );
    }
  }
});

test.run();
