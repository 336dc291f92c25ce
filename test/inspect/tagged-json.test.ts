// `show --json`'s tagged form of sets: members ordered by the same keys as python/tagged.py, keys
// short (a digest past 256 units) and computed once per value, so shared tuples cost linear time.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stringifyTagged, toTagged } from "../../runtime/format/tagged-json.ts";
import { loads } from "../../runtime/index.ts";
import { fromHex, runPython } from "../support/python.ts";

// Each value pickled by CPython, and its tagged form from python/tagged.py.
const cases: { name: string; hex: string; tagged: unknown }[] = JSON.parse(
  runPython([
    "-c",
    `
import json, pickle
from tagged import to_tagged
def dag(levels, leaf):
    t = (leaf,)
    for _ in range(levels):
        t = (t, t)
    return t
values = {
    "long strings": {"x" * 300, "y" * 255, "z" * 257, "a", "\\u00e9" * 400},
    "tuples of long strings": {("k", "v" * 300), ("k", "w" * 10), ("j", "u" * 600), (1, "x" * 256)},
    "frozensets with long members": {frozenset({"p" * 500, 1}), frozenset({"q" * 20}), frozenset({("r" * 300, 2)})},
    "shared tuple DAG in a set": {dag(30, "leaf"), dag(3, "other"), ("plain",)},
    "shared tuples in a frozenset": frozenset({dag(12, 1), dag(12, 2), dag(1, 1)}),
    "short keys keep their order": {(1, 2), (1, "2"), ("a", None), 3.5, -1, b"x", None, True},
}
print(json.dumps([{"name": k, "hex": pickle.dumps(v, 4).hex(), "tagged": to_tagged(v)} for k, v in values.items()]))
`,
  ]),
);

const test = suite("tagged JSON of sets");

for (const c of cases) {
  test(`${c.name}: members in python/tagged.py's order`, () => {
    const tagged = toTagged(loads(fromHex(c.hex), { mode: "opaque" }));
    assert.equal(JSON.parse(stringifyTagged(tagged)), c.tagged);
  });
}

test("a 30-level shared tuple prints each level once: the text stays small", () => {
  const c = cases.find((x) => x.name === "shared tuple DAG in a set")!;
  const text = stringifyTagged(toTagged(loads(fromHex(c.hex), { mode: "opaque" })));
  assert.ok(text.length < 5_000, `${text.length} characters`);
  assert.match(text, /\{"ref":\d+\}/);
});

test("strings are written ASCII-only, as Python's json.dumps writes them", () => {
  const text = stringifyTagged(toTagged("é\u001b[31m\u009b\u202e😀"));
  assert.is(text, '{"str":"\\u00e9\\u001b[31m\\u009b\\u202e\\ud83d\\ude00"}');
  assert.equal(JSON.parse(text), { str: "é\u001b[31m\u009b\u202e😀" });
});

test.run();
