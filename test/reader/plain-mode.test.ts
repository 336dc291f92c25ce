// loadsPlain: plain JavaScript from pickles CPython wrote — dict objects with no reachable
// prototype, ints as numbers while exact, tuples as arrays, other dicts as Maps — with the memo's
// sharing kept, and hostile input still refused with PickleErrors.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, PyDateTime, PyTuple, isPlainDict, loads, loadsAllPlain, loadsPlain, type PlainValue } from "../../runtime/index.ts";
import { fromHex, runPython } from "../support/python.ts";

/** Each case's pickle from one python3 run: name → (protocol → bytes). */
const CASES: Record<string, string> = {
  protoKeys: "{'__proto__': {'polluted': 1}, 'constructor': 2, 'toString': 3, 'hasOwnProperty': 4}",
  plainKeys: "{'a': 1, 'b': 'x'}",
  ints: "[0, 255, 256, 65535, 65536, -1, 2**31, -2**31 - 1, 2**53 - 1, 2**53, -(2**53 - 1), -(2**53), 2**64, -2**70, 1.0, -0.0, True]",
  intRun: "list(range(-3, 3)) + [2**40, 2**53 - 1, 2**53, 2**63]",
  tuples: "((1, 2), (3, (4,)), (), [5])",
  mixedKeys: "{'a': 1, 2: 'b', 'c': 3, (1, 'x'): 4, None: 5}",
  sharedList: "(lambda l, t: [l, l, (l, t), t])([1, 2], (3, 4))",
  recursiveList: "(lambda l: (l.append(l), l)[1])([])",
  recursiveDict: "(lambda d: (d.__setitem__('self', d), d)[1])({})",
  lateIntKey: "(lambda d: (d.update({('k%d' % i): i for i in range(1500)}), d.__setitem__('self', [d]), d.__setitem__(7, 'seven'), d)[3])({})",
  sets: "[{(1, 2), 3}, frozenset(['a'])]",
  datetime: "[__import__('datetime').datetime(2024, 5, 6, 7, 8, 9, 10), __import__('datetime').timedelta(1, 2, 3), __import__('decimal').Decimal('1.5')]",
  nested: "{'a': [{'b': (1, {'c': None})}]}",
};
const PROTOCOLS = [0, 2, 4];

const script = `
import pickle, json, sys
cases = {${Object.entries(CASES)
  .map(([name, expr]) => `${JSON.stringify(name)}: lambda: ${expr}`)
  .join(", ")}}
print(json.dumps({name: {p: pickle.dumps(make(), protocol=p).hex() for p in ${JSON.stringify(PROTOCOLS)}} for name, make in cases.items()}))
`;
const pickles = JSON.parse(runPython(["-c", script])) as Record<string, Record<string, string>>;
const each = (name: string, check: (value: PlainValue, protocol: number) => void) => {
  for (const p of PROTOCOLS) check(loadsPlain(fromHex(pickles[name]![p]!)), p);
};
const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

const test = suite("plain reading mode (loadsPlain)");

test("str-keyed dicts are objects with no reachable prototype: __proto__, constructor, toString are own keys", () => {
  each("protoKeys", (v) => {
    assert.ok(isPlainDict(v));
    const d = v as Record<string, PlainValue>;
    assert.equal(Object.keys(d), ["__proto__", "constructor", "toString", "hasOwnProperty"]);
    const proto = "__proto__"; // a key as user code meets it: d[key]
    assert.ok(Object.hasOwn(d, proto));
    assert.ok(isPlainDict(d[proto]));
    assert.is((d[proto] as Record<string, PlainValue>).polluted, 1);
    assert.is(d.constructor, 2);
    assert.is(d.toString, 3);
    assert.is(({} as Record<string, unknown>).polluted, undefined, "Object.prototype untouched");
    assert.is(JSON.stringify(d), '{"__proto__":{"polluted":1},"constructor":2,"toString":3,"hasOwnProperty":4}');
  });
  each("plainKeys", (v) => {
    const d = v as Record<string, PlainValue>;
    // Nothing is inherited: `in` sees the pickle's keys only.
    assert.ok("a" in d);
    assert.not.ok("toString" in d);
    assert.not.ok("constructor" in d);
    assert.not.ok("__proto__" in d);
    assert.is(Object.getPrototypeOf(Object.getPrototypeOf(d)), null);
    assert.ok(Object.isFrozen(Object.getPrototypeOf(d)));
    assert.equal({ ...d }, { a: 1, b: "x" });
    assert.is(JSON.stringify(d), '{"a":1,"b":"x"}');
  });
});

test("ints are numbers while exact (|n| ≤ 2^53 − 1), bigints beyond; floats are numbers (1.0 reads as 1)", () => {
  each("ints", (v) => {
    assert.equal(v, [0, 255, 256, 65535, 65536, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, 2n ** 53n, -(2 ** 53 - 1), -(2n ** 53n), 2n ** 64n, -(2n ** 70n), 1, -0, true]);
    assert.ok(Object.is((v as PlainValue[])[15], -0));
  });
  // A list of numbers after a MARK takes the reader's number run (protocols 2 and 4).
  each("intRun", (v) => assert.equal(v, [-3, -2, -1, 0, 1, 2, 2 ** 40, 2 ** 53 - 1, 2n ** 53n, 2n ** 63n]));
});

test("tuples and lists are arrays; the empty tuple is one frozen array, as CPython's () is one object", () => {
  each("tuples", (v) => assert.equal(v, [[1, 2], [3, [4]], [], [5]]));
  const two = loadsPlain(hex("80 04 5d 94 28 29 29 65 2e")) as PlainValue[][]; // [(), ()]
  assert.equal(two, [[], []]);
  assert.is(two[0], two[1]);
  assert.ok(Object.isFrozen(two[0]));
});

test("a dict with any non-str key is a Map, in order; tuple keys and set members stay PyTuples", () => {
  each("mixedKeys", (v) => {
    assert.ok(v instanceof Map);
    const keys = [...(v as Map<PlainValue, PlainValue>).keys()];
    assert.equal(keys.slice(0, 3), ["a", 2, "c"]);
    assert.ok(keys[3] instanceof PyTuple);
    assert.equal((keys[3] as PyTuple).items, [1n, "x"]);
    assert.is(keys[4], null);
    assert.equal([...(v as Map<PlainValue, PlainValue>).values()], [1, "b", 3, 4, 5]);
  });
  each("sets", (v) => {
    const [set, frozen] = v as [Set<PlainValue>, Set<PlainValue>];
    assert.ok([...set].some((item) => item instanceof PyTuple));
    assert.ok(set.has(3));
    assert.equal([...frozen], ["a"]);
  });
});

test("objects the memo shares stay one object; recursive structures are kept", () => {
  each("sharedList", (v) => {
    const [a, b, t, u] = v as PlainValue[][];
    assert.is(a, b);
    assert.is(t![0], a);
    if (v !== null) assert.is(t![1], u); // the tuple (3, 4) is memoised too: one array
  });
  each("recursiveList", (v) => assert.is((v as PlainValue[])[0], v));
  each("recursiveDict", (v) => assert.is((v as Record<string, PlainValue>).self, v));
});

test("a str-keyed dict that gets a non-str key later becomes a Map everywhere, without losing order or items", () => {
  each("lateIntKey", (v, p) => {
    assert.ok(v instanceof Map, `protocol ${p}`);
    const map = v as Map<PlainValue, PlainValue>;
    assert.is(map.size, 1502);
    const keys = [...map.keys()];
    assert.equal(keys.slice(0, 2), ["k0", "k1"]);
    assert.equal(keys.slice(-3), ["k1499", "self", 7]);
    assert.is(map.get("k1234"), 1234);
    assert.is(map.get(7), "seven");
    // The list inside it was made before the Map: it now holds the Map, not the old object.
    assert.is((map.get("self") as PlainValue[])[0], map);
  });
  // Hand-made: the dict is DUP'd onto the stack, the copy gets an int key, then the original a str key.
  // PROTO 4, EMPTY_DICT, MEMOIZE, 'a' 1 SETITEM, DUP, 2 3 SETITEM, POP, 'b' 4 SETITEM, GET 0 in a tuple.
  const value = loadsPlain(hex("80 04 7d 94 8c 01 61 4b 01 73 32 4b 02 4b 03 73 30 8c 01 62 4b 04 73 68 00 86 2e")) as PlainValue[];
  assert.ok(value[0] instanceof Map);
  assert.is(value[0], value[1]);
  assert.equal(
    [...(value[0] as Map<PlainValue, PlainValue>)],
    [
      ["a", 1],
      [2, 3],
      ["b", 4],
    ],
  );
});

test("reductions get the lossless model's arguments: datetime, timedelta and Decimal read as loads reads them", () => {
  each("datetime", (v, p) => {
    const lossless = loads(fromHex(pickles.datetime![p]!)) as PlainValue[];
    assert.ok((v as PlainValue[])[0] instanceof PyDateTime);
    assert.equal(v, lossless);
  });
  each("nested", (v) => assert.equal(JSON.stringify(v), '{"a":[{"b":[1,{"c":null}]}]}'));
});

test("loadsAllPlain reads pickles back to back", () => {
  const a = fromHex(pickles.plainKeys![4]!);
  const b = fromHex(pickles.tuples![2]!);
  const both = new Uint8Array([...a, ...b]);
  assert.equal(
    [...loadsAllPlain(both)].map((v) => JSON.stringify(v)),
    ['{"a":1,"b":"x"}', "[[1,2],[3,[4]],[],[5]]"],
  );
});

test("hostile and invalid input stays a PickleError with its offset and opcode", () => {
  const refused = (bytes: Uint8Array, pattern: RegExp, options?: Parameters<typeof loadsPlain>[1]) => {
    try {
      loadsPlain(bytes, options);
    } catch (e) {
      assert.instance(e, PickleError);
      assert.match((e as Error).message, pattern);
      return;
    }
    assert.unreachable(`not refused: ${pattern}`);
  };
  refused(hex("80 04 8c 02 6f 73 94 8c 06 73 79 73 74 65 6d 94 93 94 2e"), /global 'os.system' is not allowed/);
  refused(hex("80 04 29 4b 01 61 2e"), /cannot append to tuple/); // APPEND on ()
  refused(hex("80 04 8c 08 62 75 69 6c 74 69 6e 73 94 8c 03 73 65 74 94 93 5d 52 2e"), /REDUCE argument must be a tuple, not list/);
  refused(hex("80 04 7d 7d 4b 01 73 2e"), /unhashable type: 'dict'/); // {{}: 1}
  refused(hex("80 04 7d 28 8c 01 61 4b 01 8c 01 62 4b 02 75 2e"), /more than 1 items/, { limits: { maxContainerItems: 1 } });
  // Nested dict objects count against maxDepth: {'a': {'a': {'a': {}}}}
  refused(hex("80 04 7d 8c 01 61 7d 8c 01 61 7d 8c 01 61 7d 73 73 73 2e"), /nesting depth exceeds the limit of 3/, { limits: { maxDepth: 3 } });
  refused(hex("80 04 7d 8c 01 61"), /truncated/);
});

test("a refusal names the Python type loads names, except that an integral number may be an int or a float", () => {
  const messages = (h: string) =>
    [loads, loadsPlain].map((load) => {
      try {
        load(hex(h));
      } catch (e) {
        assert.instance(e, PickleError);
        return (e as Error).message;
      }
      return assert.unreachable(`not refused: ${h}`);
    });
  // Same messages: a tuple stays a tuple (())() calls a tuple); a list stays a list (APPEND on [] after SETITEM).
  const [tupleCalled, plainTupleCalled] = messages("80 04 29 29 52 2e");
  assert.is(plainTupleCalled, tupleCalled);
  assert.match(tupleCalled!, /'tuple' object is not callable \(offset 4, REDUCE\)/);
  const [listSet, plainListSet] = messages("80 04 5d 4b 01 4b 02 73 2e");
  assert.is(plainListSet, listSet);
  assert.match(listSet!, /cannot set items on list/);
  // 2 and 2.0 are both the number 2 in plain mode.
  for (const [h, python] of [
    ["80 04 4b 02 28 4b 02 65 2e", "int"], // APPENDS onto 2
    ["80 04 47 40 00 00 00 00 00 00 00 28 4b 02 65 2e", "float"], // APPENDS onto 2.0
  ] as const) {
    const [lossless, plain] = messages(h);
    assert.match(lossless!, new RegExp(`cannot append to ${python} \\(offset`));
    assert.match(plain!, /cannot append to int or float \(offset/);
  }
  const [, halfPlain] = messages("80 04 47 3f e0 00 00 00 00 00 00 28 4b 02 65 2e"); // APPENDS onto 0.5
  assert.match(halfPlain!, /cannot append to float \(offset/);
});

test.run();
