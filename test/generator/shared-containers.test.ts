// One pickled object reached through two fields: converted once per codec. The same codec meeting it
// again gives the same value (sharing and cycles survive); another codec converts — and checks — it
// again, so a list shared by an `int[]` and a `string[]` field cannot hand out numbers as strings.
// Both directions, and both the general and the fast paths.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ExactReader, FastPathMiss, PickleError, Pickler, PicklingError, T, UnpicklingError, dumps, dumpsTyped, loadsTyped, type Codec, type PyValue } from "typed-pickle";
import { EverythingCodec } from "../../generated/catalog.ts";
import type { Everything } from "../../schemas/catalog.ts";
import { UserCodec } from "../../generated/user.ts";
import { fromHex, runPython } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";

/** Pickles of the python/schema_samples.py instances, changed as each test says. */
function pythonPickle(change: string, protocol = 4): Uint8Array {
  const code = `
import pickle
from schema_samples import samples
table = samples()
${change}
print(pickle.dumps(value, ${protocol}).hex())
`;
  return fromHex(runPython(["-c", code]).trim());
}

/** The same codec without its fast paths: the general reader and writer. */
function general<T>(codec: Codec<T>): Codec<T> {
  const { write: _write, read: _read, ...general } = codec;
  return general;
}

const test = suite("shared containers");

test("a list pickled once for an int[] and a string[] field is refused as the string[]", () => {
  for (const protocol of [2, 4]) {
    const bytes = pythonPickle("value = table['everything'][1]\nvalue.numbers = value.labels = [1, 2]", protocol);
    const e = refusal(() => loadsTyped(EverythingCodec, bytes)) as UnpicklingError;
    assert.instance(e, UnpicklingError);
    // The object it is about is the list: its EMPTY_LIST, right after the 'numbers' key.
    assert.is(e.message, `Everything.labels[0]: expected str, got int 1 (offset ${e.offset}, EMPTY_LIST)`);
    assert.is(bytes[e.offset], 0x5d);
    assert.ok(Buffer.from(bytes.subarray(0, e.offset)).includes("numbers"));
    assert.not.ok(Buffer.from(bytes.subarray(0, e.offset)).includes("labels"), "the list was made for the first field");
  }
});

test("a list shared by two fields of one codec stays one array (both paths)", () => {
  const bytes = pythonPickle("value = table['users_sharing_an_address'][1]\nvalue[1].hobbies = value[0].hobbies");
  for (const codec of [T.list(UserCodec), general(T.list(UserCodec))]) {
    const users = loadsTyped(codec, bytes);
    assert.equal(users[0]!.hobbies, ["chess", "go"]);
    assert.is(users[1]!.hobbies, users[0]!.hobbies);
  }
});

test("two fields of one type share their codec, so a list or dict they share stays one object", () => {
  assert.is(T.list(T.int), T.list(T.int));
  assert.is(T.dict(T.str, T.list(T.int)), T.dict(T.str, T.list(T.int)));
  const code = "import pickle\nl = [1, 2]\nd = {'a': l}\nprint(pickle.dumps((l, l, d, d), 4).hex())";
  const bytes = fromHex(runPython(["-c", code]).trim());
  const [a, b, c, d] = loadsTyped(T.tuple(T.list(T.int), T.list(T.int), T.dict(T.str, T.list(T.int)), T.dict(T.str, T.list(T.int))), bytes);
  assert.equal(a, [1, 2]);
  assert.is(a, b);
  assert.is(c, d);
  assert.is(c.get("a"), a);
});

test("the exact reader takes a back-reference only for the codec that made the entry", () => {
  // [[1, 2], <the same list>] read as [int[], string[]]: the second read misses; as [int[], int[]]
  // it is the same array.
  const ints = T.list(T.int);
  const strs = T.list(T.str);
  const shared: PyValue[] = [1n, 2n];
  const bytes = dumps([shared, shared]);
  const read = (second: Codec<unknown>) => {
    const r = new ExactReader(bytes);
    r.begin();
    let n = 0;
    const value = r.list("outer", (rr) => (n++ === 0 ? ints.read!(rr) : second.read!(rr)));
    r.finish();
    return value;
  };
  assert.throws(
    () => read(strs as Codec<unknown>),
    (e: unknown) => e instanceof FastPathMiss,
  );
  const [a, b] = read(ints as Codec<unknown>) as number[][];
  assert.equal(a, [1, 2]);
  assert.is(a, b);
});

test("the exact reader's lists of strs (made at their exact size at the end) are one array wherever shared", () => {
  // A str list is gathered apart and its memo entry filled when it ends: a back-reference to it must
  // then give that array, in a lone-APPEND list, a batched one and one of 2,500 (three batches).
  const strs = T.list(T.str);
  const one: PyValue[] = ["solo"];
  const two: PyValue[] = ["a", "b"];
  const many: PyValue[] = Array.from({ length: 2500 }, (_, i) => `s${i % 7}`);
  const bytes = dumps([one, two, many, many, two, one, []]);
  const r = new ExactReader(bytes);
  r.begin();
  const value = r.list("outer", (rr) => strs.read!(rr) as string[]);
  r.finish(); // no miss: the fast path read it all
  assert.equal(value, [["solo"], ["a", "b"], many, many, ["a", "b"], ["solo"], []]);
  assert.is(value[3], value[2]);
  assert.is(value[4], value[1]);
  assert.is(value[5], value[0]);
  assert.is.not(value[6], value[0]);
  assert.is((r as unknown as { strItems: string[] }).strItems.length, 0, "the scratch array keeps no strs");
});

test("writing: an array shared by an int[] and a string[] field is refused as the string[]", () => {
  const e = loadsTyped(EverythingCodec, pythonPickle("value = table['everything'][1]")) as Everything;
  (e as { labels: unknown }).labels = e.numbers;
  const error = refusal(() => dumpsTyped(EverythingCodec, e), PickleError);
  assert.instance(error, PicklingError);
  assert.is(error.message, "Everything.labels[0]: expected a string for str, got number 1");
  // Shared within one codec, it is written once (a memo fetch for the second field).
  const numbers = [1, 2];
  Object.assign(e, { labels: ["a"], numbers });
  const again = loadsTyped(EverythingCodec, dumpsTyped(EverythingCodec, e)) as Everything;
  assert.equal(again.numbers, [1, 2]);
});

test("the direct writer: an array written by one list codec is not a back-reference for another", () => {
  // Two list codecs in one value (a pair, as a tuple). The direct writer writes the items, then TUPLE2.
  const ints = T.list(T.int);
  const strs = T.list(T.str);
  const pair: Codec<[number[], string[]]> = {
    ...T.tuple(ints, strs),
    write(v, w) {
      ints.write!(v[0], w);
      strs.write!(v[1], w);
      w.writeOp(0x86);
    },
  };
  const shared = [1, 2];
  const error = refusal(() => dumpsTyped(pair, [shared, shared as unknown as string[]]), PickleError);
  assert.is(error.message, "$[1][0]: expected a string for str, got number 1");
  // The same array twice under one codec is a memo fetch, as the general writer writes it.
  const twice: Codec<[number[], number[]]> = {
    ...T.tuple(ints, ints),
    write(v, w) {
      ints.write!(v[0], w);
      ints.write!(v[1], w);
      w.writeOp(0x86);
    },
  };
  const bytes = dumpsTyped(twice, [shared, shared]);
  const back = loadsTyped(T.tuple(ints, ints), bytes);
  assert.is(back[0], back[1]);
});

test("the direct writer: among many lists, each met again is a back-reference for its own codec only", () => {
  // 200 lists per codec, so the writer's record of which codec began each list is searched, not scanned.
  const intList = T.list(T.int);
  const strList = T.list(T.str);
  const ints = T.list(intList);
  const strs = T.list(strList);
  const pair: Codec<[number[][], string[][]]> = {
    ...T.tuple(ints, strs),
    write(v, w) {
      ints.write!(v[0], w);
      strs.write!(v[1], w);
      w.writeOp(0x86);
    },
  };
  const numbers = Array.from({ length: 200 }, (_, i) => [i]);
  const words = Array.from({ length: 200 }, (_, i) => [`w${i}`]);
  // What the direct writer answers for each list met again (a wrong answer would hide in the general writer's retry).
  const tags: unknown[] = [];
  const listTag = Pickler.prototype.listTag;
  Pickler.prototype.listTag = function (this: Pickler, list: object) {
    const tag = listTag.call(this, list);
    tags.push(tag);
    return tag;
  };
  try {
    for (const at of [0, 1, 99, 150, 199]) {
      tags.length = 0;
      const back = loadsTyped(
        T.tuple(ints, strs),
        dumpsTyped(pair, [
          [...numbers, numbers[at]!],
          [...words, words[at]!],
        ]),
      );
      assert.ok(tags.length === 2 && tags[0] === intList && tags[1] === strList, `the codec that began list ${at}, found`);
      assert.is(back[0][200], back[0][at], `int list ${at} fetched again`);
      assert.is(back[1][200], back[1][at], `str list ${at} fetched again`);
      const error = refusal(() => dumpsTyped(pair, [numbers, [...words, numbers[at] as unknown as string[]]]), PickleError);
      assert.is(error.message, `$[1][200][0]: expected a string for str, got number ${at}`);
    }
  } finally {
    Pickler.prototype.listTag = listTag;
  }
});

test.run();
