// The reader's fast paths over MARK batches (see unpickler.ts): SETITEMS sets str keys straight on
// the Map, and a batch's items leave the stack by pop. Each must give what the general path gives.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type PyTuple, type PyValue, loads, loadsPlain } from "../../runtime/index.ts";
import { fromHex, runPython } from "../support/python.ts";

const EXPRESSIONS = [
  // str keys mixed with keys Python merges (1, True, 1.0) in one SETITEMS batch
  "{'a': 1, 1: 'int', 'b': 2, True: 'bool', 'a': 3, 1.0: 'float', 'c': ('t',)}",
  // items below a MARK survive a big batch above it: a list of 2,500 in a tuple after other items
  "('before', [str(i) for i in range(2500)], {str(i): i for i in range(2500)}, 'after')",
];
const pickles = (
  JSON.parse(runPython(["-c", `import pickle, json; print(json.dumps([pickle.dumps(eval(e), protocol=4).hex() for e in ${JSON.stringify(EXPRESSIONS)}]))`])) as string[]
).map(fromHex);

const test = suite("reader fast paths over MARK batches");

test("SETITEMS with str and merging keys in one batch: Python's dict, first key kept, last value wins", () => {
  const dict = loads(pickles[0]!) as Map<PyValue, PyValue>;
  assert.equal([...dict.keys()], ["a", 1n, "b", "c"]);
  assert.equal([...dict.values()].slice(0, 3), [3n, "float", 2n]);
  const plain = loadsPlain(pickles[0]!) as Map<unknown, unknown>;
  assert.equal([...plain.keys()], ["a", 1, "b", "c"]);
  assert.equal(plain.get(1), "float");
});

test("a batch of 2,500 items leaves what lies below its MARK intact", () => {
  const [before, list, dict, after] = (loads(pickles[1]!) as PyTuple).items as [string, string[], Map<string, bigint>, string];
  assert.is(before, "before");
  assert.is(after, "after");
  assert.is(list.length, 2500);
  assert.is(list[2499], "2499");
  assert.is(dict.size, 2500);
  assert.is(dict.get("1234"), 1234n);
  const plain = loadsPlain(pickles[1]!) as [string, string[], Record<string, number>, string];
  assert.is(plain[3], "after");
  assert.is(Object.keys(plain[2]).length, 2500);
});

test.run();
