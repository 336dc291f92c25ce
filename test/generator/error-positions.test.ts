// Typed conversion errors say where: the path (attribute names after dots, indices and dict keys in
// brackets, never an empty step) and the offset and opcode of the pickled object the error is about
// — the offending value when it is an object, else the object holding it. On every entry point.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyGlobal, PyObject, T, UnpicklingError, dumps, loadTyped, loadsTyped, type PyValue } from "typed-pickle";
import { CategoryCodec, EverythingCodec, MoneyCodec, TemperatureCodec } from "../../generated/catalog.ts";
import { loadsDatabaseConnection } from "../../generated/connection.ts";
import { UserCodec, loadUser, loadsUser } from "../../generated/user.ts";
import { fromHex, runPython } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";

/** Pickles made by python3 from the python/myapp classes (and the schema_samples instances), changed. */
const made: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import copy, decimal, json, pickle
from schema_samples import samples
from myapp.catalog import Money, Temperature
from myapp.db import DatabaseConnection
from myapp.models import User
table = samples()
out = {"empty_list": pickle.dumps([], 4).hex(), "a_str": pickle.dumps("x", 4).hex()}
class OneArgument:
    def __reduce__(self):
        return (Money, (decimal.Decimal("1"),))
out["money_one_argument"] = pickle.dumps(OneArgument(), 4).hex()
conn = DatabaseConnection.__new__(DatabaseConnection)
conn.__getstate__ = lambda: [1]
out["list_state"] = pickle.dumps(conn, 4).hex()
t = Temperature(1.5, "x")
t.__getstate__ = lambda: (1.5,)
out["short_tuple_state"] = pickle.dumps(t, 4).hex()
def everything(**changes):
    e = copy.copy(table["everything"][1])
    for k, v in changes.items():
        setattr(e, k, v)
    return pickle.dumps(e, 4).hex()
out["count_not_int"] = everything(counts={"apples": "x"})
out["weight_empty_key"] = everything(weights={"": "bad"})
out["pair_second"] = everything(pair=("pi", "x"))
out["tuple_key"] = everything(keyed_by_tuple={(1, "two"): "x"})
ann = table["user"][1]
out["user_then_int"] = pickle.dumps([ann, 5], 4).hex()
old = copy.copy(ann)
del old.age
out["missing_age"] = pickle.dumps(old, 4).hex()
more = copy.copy(ann)
more.nickname = "annie"
out["extra"] = pickle.dumps(more, 4).hex()
print(json.dumps(out))
`,
  ]),
);
const bytes = (name: string) => fromHex(made[name]!);

async function asyncRefusal(p: Promise<unknown>): Promise<UnpicklingError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, UnpicklingError);
    return e as UnpicklingError;
  }
  throw new Error("accepted");
}

/** The offset of the first `opcode` byte at or after `from`. */
const first = (data: Uint8Array, opcode: number, from = 0) => data.indexOf(opcode, from);

const test = suite("typed error positions");

test("the root: a list, a str where a class is wanted", () => {
  assert.is(refusal(() => loadsUser(bytes("empty_list"))).message, "User: expected myapp.models.User, got list (offset 2, EMPTY_LIST)");
  // 80 04 95 <8-byte frame length> 8c 01 78 …: the str at 11.
  assert.is(refusal(() => loadsUser(bytes("a_str"))).message, "User: expected myapp.models.User, got str 'x' (offset 11, SHORT_BINUNICODE)");
});

test("state errors are the object's, with no empty path step", () => {
  const money = bytes("money_one_argument");
  assert.is(refusal(() => loadsTyped(MoneyCodec, money)).message, `Money: expected 2 constructor arguments, got 1 (offset ${money.length - 3}, REDUCE)`);
  const listState = bytes("list_state");
  assert.is(
    refusal(() => loadsDatabaseConnection(listState)).message,
    `DatabaseConnection: expected a dict of attributes as state, got list (offset ${first(listState, 0x5d)}, EMPTY_LIST)`,
  );
  const short = bytes("short_tuple_state");
  const e = refusal(() => loadsTyped(TemperatureCodec, short));
  assert.is(e.message, `Temperature: expected a tuple of 2 as state, got tuple (offset ${e.offset}, TUPLE1)`);
  assert.is(short[e.offset], 0x85);
});

test("fields, dict keys (as repr, in brackets), tuple and list indices", () => {
  const counts = bytes("count_not_int");
  let e = refusal(() => loadsTyped(EverythingCodec, counts));
  assert.is(e.message, `Everything.counts['apples']: expected int, got str 'x' (offset ${e.offset}, EMPTY_DICT)`);
  assert.ok(Buffer.from(counts.subarray(e.offset - 12, e.offset)).includes("counts"), "the counts dict");

  e = refusal(() => loadsTyped(EverythingCodec, bytes("weight_empty_key")));
  assert.is(e.message, `Everything.weights['']: expected float, got str 'bad' (offset ${e.offset}, EMPTY_DICT)`);

  e = refusal(() => loadsTyped(EverythingCodec, bytes("pair_second")));
  assert.is(e.message, `Everything.pair[1]: expected float, got str 'x' (offset ${e.offset}, TUPLE2)`);

  // A dict key that fails its own codec: the path shows the key.
  e = refusal(() => loadsTyped(EverythingCodec, bytes("tuple_key")));
  assert.is(e.message, `Everything.keyed_by_tuple[(1, 'two')][1]: expected int, got str 'two' (offset ${e.offset}, TUPLE2)`);

  const list = bytes("user_then_int");
  e = refusal(() => loadsTyped(T.list(UserCodec), list));
  assert.is(e.message, `$[1]: expected myapp.models.User, got int 5 (offset ${first(list, 0x5d)}, EMPTY_LIST)`);
});

test("a missing field and an unknown one (strict): the instance's NEWOBJ", () => {
  const missing = bytes("missing_age");
  let e = refusal(() => loadsUser(missing));
  assert.is(e.message, `User.age: missing (the pickle has no such attribute and the field has no default) (offset ${e.offset}, NEWOBJ)`);
  assert.is(e.offset, first(missing, 0x81));
  const extra = bytes("extra");
  e = refusal(() => loadsUser(extra, { strict: true }));
  assert.is(e.message, `User: unknown attribute 'nickname' (strict) (offset ${first(extra, 0x81)}, NEWOBJ)`);
});

test("loadUser from a file (whole or streamed) and from a stream: the same message", async () => {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-positions-"));
  const path = join(dir, "list.pkl");
  writeFileSync(path, bytes("empty_list"));
  const expected = "User: expected myapp.models.User, got list (offset 2, EMPTY_LIST)";
  assert.is((await asyncRefusal(loadUser(path))).message, expected);
  // Options other than strict take the streaming reader.
  assert.is((await asyncRefusal(loadUser(path, { limits: {} }))).message, expected);
  assert.is((await asyncRefusal(loadUser(Readable.from([bytes("empty_list").subarray(0, 3), bytes("empty_list").subarray(3)])))).message, expected);
  const money = bytes("money_one_argument");
  const chunks = async function* () {
    for (let i = 0; i < money.length; i += 5) yield money.slice(i, i + 5);
  };
  assert.is((await asyncRefusal(loadTyped(MoneyCodec, chunks()))).message, `Money: expected 2 constructor arguments, got 1 (offset ${money.length - 3}, REDUCE)`);
});

test("a value too deep for the conversion: its two ends of the path, and the offset", () => {
  const category = new PyGlobal("myapp.catalog", "Category");
  let node: PyValue = null;
  for (let i = 0; i < 20_000; i++) {
    const o = new PyObject(category, []);
    o.state = new Map<PyValue, PyValue>([
      ["name", "c"],
      ["parent", node],
      ["children", []],
    ]);
    node = o;
  }
  const deep = dumps(node);
  const e = refusal(() => loadsTyped(CategoryCodec, deep));
  const parents = (n: number) => ".parent".repeat(n);
  assert.match(e.message, new RegExp(`^Category${parents(49)}…\\(\\d+ steps\\)…${parents(50)}: the value is nested too deeply for a typed codec \\(offset \\d+, NEWOBJ\\)$`));
  assert.is(deep[e.offset], 0x81);
  // Wherever the stack runs out (here: called from 0–900 frames down), the re-read that finds the
  // offset runs out a few steps sooner or later than the first conversion; the offset is found anyway.
  const from = (frames: number): UnpicklingError => (frames === 0 ? refusal(() => loadsTyped(CategoryCodec, deep)) : from(frames - 1));
  for (let frames = 0; frames <= 900; frames += 60) {
    const error = from(frames);
    assert.match(error.message, /: the value is nested too deeply for a typed codec \(offset \d+, NEWOBJ\)$/, `${frames} frames down`);
  }
});

test.run();
