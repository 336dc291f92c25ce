// The generated fast paths (write straight to the pickler, read the exact layout CPython writes) must
// be invisible: the same bytes as toPy + the general writer, the same values as the general reader +
// fromPy, and a silent fallback to the general path for anything they do not handle.
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isDeepStrictEqual } from "node:util";
import {
  T,
  ExactReader,
  EXTRA_FIELDS,
  PyDateTime,
  PyGlobal,
  PyObject,
  PyTimezone,
  PyTimeDelta,
  UnpicklingError,
  dumps,
  dumpsTyped,
  loadsTyped,
  type Codec,
  type PyValue,
} from "typed-pickle";
import { CategoryCodec, SeriesCodec } from "../../generated/catalog.ts";
import { UserCodec } from "../../generated/user.ts";
import { Category, Series } from "../../schemas/catalog.ts";
import { Address, User } from "../../schemas/user.ts";
import { pyString } from "../support/value-specs.ts";

const toHexIncludes = (bytes: Uint8Array, hex: string) => Buffer.from(bytes).toString("hex").includes(hex);

/** The same codec without its fast paths: the general reader and writer. */
function general<T>(codec: Codec<T>): Codec<T> {
  const { write: _write, read: _read, ...general } = codec;
  return general;
}

/** Whether the exact reader takes the whole pickle (no fallback). */
function readsExactly<T>(codec: Codec<T>, data: Uint8Array): boolean {
  try {
    const r = new ExactReader(data);
    r.begin();
    codec.read!(r);
    r.finish();
    return true;
  } catch {
    return false;
  }
}

const users = T.list(UserCodec);
const generalUsers = general(users);

const address = fc.record({ street: pyString, zip: pyString }).map((a) => Object.assign(new Address(), a));
const datetimes = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    microsecond: fc.integer({ min: 0, max: 999999 }),
    fold: fc.constantFrom<0 | 1>(0, 0, 0, 1),
    aware: fc.boolean(),
  })
  .map((d) => new PyDateTime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, d.aware ? PyTimezone.utc : null, d.fold));
const ints = fc.oneof(
  fc.integer({ min: -300, max: 70000 }),
  fc.constantFrom(255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 40, -(2 ** 40)),
  fc.maxSafeInteger(),
);
const user = fc
  .record({
    name: fc.oneof(pyString, fc.string({ minLength: 80, maxLength: 400 })),
    age: ints,
    score: fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity)),
    hobbies: fc.oneof(
      fc.array(pyString, { maxLength: 3 }),
      fc.constantFrom(1000, 1001, 2001).map((n) => Array.from({ length: n }, (_, i) => `h${i % 7}`)),
    ),
    isActive: fc.boolean(),
    address: fc.option(address, { nil: null }),
    created: datetimes,
  })
  .map((u) => Object.assign(new User(), u));

/** Users, with some addresses, hobby lists and datetimes shared between them (memo back-references). */
const userLists = fc.tuple(fc.array(user, { maxLength: 12 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 })).map(([list, picks]) => {
  if (list.length >= 2) {
    const [a, b] = [list[picks[0]! % list.length]!, list[picks[1]! % list.length]!];
    if (picks[2]! % 2 === 0) b.address = a.address;
    if (picks[3]! % 3 === 0) b.hobbies = a.hobbies;
    if (picks[4]! % 3 === 0) b.created = a.created;
    if (picks[5]! % 4 === 0) list.push(a); // the same user twice
  }
  return list;
});

const test = suite("generated fast paths");

test("direct writing gives the general writer's bytes, and the exact reader the general reader's values", () => {
  let exact = 0;
  fc.assert(
    fc.property(userLists, fc.integer({ min: 2, max: 5 }), (list, protocol) => {
      if (protocol < 4 && list.some((u) => u.created.fold === 1)) {
        // Protocols 2–3 have no place for fold: both paths refuse it.
        assert.throws(() => dumpsTyped(users, list, { protocol }), /fold=1/);
        assert.throws(() => dumpsTyped(generalUsers, list, { protocol }), /fold=1/);
        return;
      }
      const fast = dumpsTyped(users, list, { protocol });
      const slow = dumpsTyped(generalUsers, list, { protocol });
      assert.ok(Buffer.from(fast).equals(Buffer.from(slow)), `protocol ${protocol}: bytes differ`);
      const viaFast = loadsTyped(users, slow);
      const viaGeneral = loadsTyped(generalUsers, slow);
      assert.ok(isDeepStrictEqual(viaFast, viaGeneral), "values differ");
      // Sharing survives the exact reader as it does the general one.
      for (let i = 0; i < list.length; i++) {
        for (let j = 0; j < list.length; j++) {
          assert.is(viaFast[i]!.address === viaFast[j]!.address && viaFast[i]!.address !== null, list[i]!.address === list[j]!.address && list[i]!.address !== null);
          assert.is(viaFast[i] === viaFast[j], list[i] === list[j]);
        }
      }
      if (readsExactly(users, slow)) exact++;
    }),
    { numRuns: 300, seed: 5, endOnFailure: true },
  );
  // Aware datetimes and protocol 2 (datetime bytes as _codecs.encode) take the general reader; the
  // rest must be read exactly, or the fast path is not being exercised at all.
  assert.ok(exact > 40, `${exact} of 300 read exactly`);
});

test("frames: a list of users over 64 KiB is written and read exactly, bytes as the general writer's", () => {
  const list = Array.from({ length: 3000 }, (_, i) =>
    Object.assign(new User(), {
      name: `user ${i} ✓`,
      age: i * 7919,
      score: i / 3,
      hobbies: ["a", `h${i}`],
      isActive: i % 2 === 0,
      address: null,
      created: new PyDateTime(2020, 1, 1 + (i % 28)),
    }),
  );
  for (const protocol of [4, 5]) {
    const fast = dumpsTyped(users, list, { protocol });
    assert.ok(fast.length > 3 * 65536);
    assert.ok(Buffer.from(fast).equals(Buffer.from(dumpsTyped(generalUsers, list, { protocol }))));
    assert.ok(readsExactly(users, fast));
    assert.ok(isDeepStrictEqual(loadsTyped(users, fast), list));
  }
});

test("ints of every LONG1 width read exactly (7-byte negatives once rounded)", () => {
  for (const age of [-7224365864768507n, -(2n ** 53n - 1n), 2n ** 53n - 1n, -(2n ** 48n), 2n ** 48n - 1n, -(2n ** 31n) - 1n, 2n ** 31n, -129n, 0n]) {
    const bytes = dumps(pyUser(fields().map(([k, v]) => [k, k === "age" ? age : v])));
    assert.ok(readsExactly(UserCodec, bytes), String(age));
    assert.is(loadsTyped(UserCodec, bytes).age, Number(age));
  }
});

test("Float64Array ↔ list[float]: batches, frames, one item, none; ints in the list take the general path", () => {
  const SERIES = new PyGlobal("myapp.catalog", "Series");
  const pySeries = (values: PyValue[]) => {
    const o = new PyObject(SERIES, [], null, "newobj");
    o.state = new Map<PyValue, PyValue>([
      ["name", "s"],
      ["values", values],
    ]);
    return o;
  };
  for (const n of [0, 1, 2, 999, 1000, 1001, 20000]) {
    const values = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -i / 7 : i * 1e300));
    for (const protocol of [2, 3, 4, 5]) {
      const bytes = dumps(pySeries(values), { protocol });
      assert.ok(readsExactly(SeriesCodec, bytes), `${n} floats, protocol ${protocol}`);
      const back = loadsTyped(SeriesCodec, bytes);
      assert.ok(back.values instanceof Float64Array && back.values.length === n);
      assert.ok(values.every((x, i) => Object.is(x, back.values[i])));
      const again = Object.assign(new Series(), { name: "s", values: Float64Array.from(values) });
      assert.ok(Buffer.from(dumpsTyped(SeriesCodec, again, { protocol })).equals(Buffer.from(bytes)), `${n} floats written, protocol ${protocol}`);
    }
  }
  const withInts = dumps(pySeries([1.5, 2n, 3.5]));
  assert.not.ok(readsExactly(SeriesCodec, withInts));
  assert.equal([...loadsTyped(SeriesCodec, withInts).values], [1.5, 2, 3.5]);
});

test("a cycle (a category's children point back to it) both ways", () => {
  const root = Object.assign(new Category(), { name: "root", parent: null, children: [] as Category[] });
  for (const n of ["a", "b", "c"]) root.children.push(Object.assign(new Category(), { name: n, parent: root, children: [] }));
  root.children[0]!.children.push(Object.assign(new Category(), { name: "a1", parent: root.children[0]!, children: [] }));
  for (let p = 2; p <= 5; p++) {
    const bytes = dumpsTyped(CategoryCodec, root, { protocol: p });
    assert.ok(Buffer.from(bytes).equals(Buffer.from(dumpsTyped(general(CategoryCodec), root, { protocol: p }))), `protocol ${p}`);
    assert.ok(readsExactly(CategoryCodec, bytes), `protocol ${p} read exactly`);
    const back = loadsTyped(CategoryCodec, bytes);
    assert.is(back.children[1]!.parent, back);
    assert.is(back.children[0]!.children[0]!.parent, back.children[0]);
  }
});

// Layouts CPython writes for other Python objects: made with the general writer from opaque objects.
const USER = new PyGlobal("myapp.models", "User");
const ADDRESS = new PyGlobal("myapp.models", "Address");
function pyUser(state: [string, PyValue][]): PyObject {
  const o = new PyObject(USER, [], null, "newobj");
  o.state = new Map(state);
  return o;
}
const when = new PyDateTime(2024, 5, 6, 7, 8, 9, 123456);
const home = (() => {
  const o = new PyObject(ADDRESS, [], null, "newobj");
  o.state = new Map<PyValue, PyValue>([
    ["street", "1 Main St"],
    ["zip_code", "12345"],
  ]);
  return o;
})();
const fields = (): [string, PyValue][] => [
  ["name", "Ann"],
  ["age", 37n],
  ["score", 4.5],
  ["hobbies", ["chess"]],
  ["is_active", true],
  ["address", home],
  ["created", when],
];

test("attribute order is the Python object's: any order reads exactly, to the same instance", () => {
  const inOrder = loadsTyped(UserCodec, dumps(pyUser(fields())));
  const reversed = dumps(pyUser(fields().reverse()));
  assert.ok(readsExactly(UserCodec, reversed));
  const back = loadsTyped(UserCodec, reversed);
  assert.ok(isDeepStrictEqual(back, inOrder));
  assert.equal(Object.keys(back), Object.keys(inOrder), "properties in the schema's order either way");
});

test("a one-item list (APPEND) followed by more attributes; an empty list; an older pickle without defaults", () => {
  const one = dumps(pyUser(fields()));
  assert.ok(readsExactly(UserCodec, one));
  assert.equal(loadsTyped(UserCodec, one).hobbies, ["chess"]);
  const empty = dumps(pyUser(fields().map(([k, v]) => [k, k === "hobbies" ? [] : v])));
  assert.ok(readsExactly(UserCodec, empty));
  assert.equal(loadsTyped(UserCodec, empty).hobbies, []);
  const old = dumps(pyUser(fields().filter(([k]) => k !== "score" && k !== "hobbies")), { protocol: 3 });
  assert.ok(readsExactly(UserCodec, old));
  const back = loadsTyped(UserCodec, old);
  assert.is(back.score, 0);
  assert.equal(back.hobbies, []);
});

test("a key twice in the state dict (a hand-made pickle): the last value, as the general reader's dict keeps it", () => {
  // "nam2" is patched to "name" in the bytes: SETITEMS then sets name twice, as no dict can hold it.
  const bytes = dumps(pyUser([["name", "first"], ...fields().filter(([k]) => k !== "name"), ["nam2", "last"]]));
  const at = Buffer.from(bytes).indexOf("nam2");
  bytes[at + 3] = "e".charCodeAt(0);
  assert.ok(readsExactly(UserCodec, bytes));
  const fast = loadsTyped(UserCodec, bytes);
  assert.is(fast.name, "last");
  assert.ok(isDeepStrictEqual(fast, loadsTyped(general(UserCodec), bytes)));
  // A required field absent is still a miss, and the general reader's error.
  const noAge = dumps(pyUser(fields().filter(([k]) => k !== "age")));
  assert.not.ok(readsExactly(UserCodec, noAge));
  assert.throws(() => loadsTyped(UserCodec, noAge), /User\.age: missing/);
});

test("protocol 2: a datetime's bytes as _codecs.encode(text, 'latin1') read exactly", () => {
  const bytes = dumps(pyUser(fields()), { protocol: 2 });
  assert.ok(readsExactly(UserCodec, bytes));
  assert.ok(isDeepStrictEqual(loadsTyped(UserCodec, bytes), loadsTyped(general(UserCodec), bytes)));
  assert.is(loadsTyped(UserCodec, bytes).created.microsecond, 123456);
});

test("what the exact reader does not take, the general reader does: same values, same errors", () => {
  const cases: [string, Uint8Array][] = [
    ["an unknown attribute (kept)", dumps(pyUser([...fields(), ["nickname", "annie"]]))],
    ["an int in the float field", dumps(pyUser(fields().map(([k, v]) => [k, k === "score" ? 4n : v])))],
    ["an aware datetime", dumps(pyUser(fields().map(([k, v]) => [k, k === "created" ? new PyDateTime(2024, 1, 1, 0, 0, 0, 0, new PyTimezone(new PyTimeDelta(0, 3600, 0))) : v])))],
    ["protocol 0", dumps(pyUser(fields()), { protocol: 0 })],
    ["protocol 1", dumps(pyUser(fields()), { protocol: 1 })],
  ];
  for (const [what, bytes] of cases) {
    const viaFast = loadsTyped(UserCodec, bytes);
    const viaGeneral = loadsTyped(general(UserCodec), bytes);
    assert.ok(isDeepStrictEqual(viaFast, viaGeneral), what);
  }
  assert.ok(readsExactly(UserCodec, cases[1]![1]), "an int where a float is wanted is still exact");
  assert.not.ok(readsExactly(UserCodec, cases[0]![1]), "an unknown attribute is not");
  const extras = loadsTyped(UserCodec, cases[0]![1]) as unknown as Record<symbol, { values: Map<string, PyValue> }>;
  assert.is(extras[EXTRA_FIELDS]!.values.get("nickname"), "annie");

  // A str field whose value is a back-reference to the class itself (its memo entry): not a str.
  const classAsName = dumps(pyUser(fields().map(([k, v]) => [k, k === "name" ? USER : v])));
  assert.ok(toHexIncludes(classAsName, "68"), "the class is fetched from the memo");
  assert.throws(
    () => loadsTyped(UserCodec, classAsName),
    (e: unknown) => e instanceof UnpicklingError && /User\.name: expected str/.test((e as Error).message),
  );

  const errors: [string, Uint8Array, RegExp][] = [
    ["a str where an int is wanted", dumps(pyUser(fields().map(([k, v]) => [k, k === "age" ? "37" : v]))), /User\.age: expected int, got str '37'/],
    ["a missing field", dumps(pyUser(fields().filter(([k]) => k !== "name"))), /User\.name: missing/],
    ["an int beyond 2^53", dumps(pyUser(fields().map(([k, v]) => [k, k === "age" ? 2n ** 60n : v]))), /beyond 2\^53/],
    ["a truncated pickle", dumps(pyUser(fields())).subarray(0, 60), /truncated/],
  ];
  for (const [what, bytes, message] of errors) {
    assert.throws(
      () => loadsTyped(UserCodec, bytes),
      (e: unknown) => e instanceof UnpicklingError && message.test((e as Error).message),
      what,
    );
  }
});

test("corrupted pickles: the exact reader never accepts what the general reader refuses or reads differently", () => {
  // Valid typed pickles, then 1–3 random bytes changed (or the pickle cut short): wherever the fast
  // path answers, the general path must give the same value; where one throws, so must the other.
  let seed = 20261127;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const root = Object.assign(new Category(), { name: "root", parent: null, children: [] as Category[] });
  root.children.push(Object.assign(new Category(), { name: "kid", parent: root, children: [] }));
  const cases: [Codec<unknown>, Uint8Array][] = [];
  for (const protocol of [2, 3, 4]) {
    cases.push([UserCodec as Codec<unknown>, dumps(pyUser(fields()), { protocol })]);
    cases.push([CategoryCodec as Codec<unknown>, dumpsTyped(CategoryCodec, root, { protocol })]);
    cases.push([
      users as Codec<unknown>,
      dumpsTyped(users, [Object.assign(new User(), { name: "a", age: 1, score: 2.5, hobbies: ["x", "y"], isActive: true, address: null, created: when })], { protocol }),
    ]);
  }
  let agreed = 0;
  for (let k = 0; k < 3000; k++) {
    const [codec, original] = cases[k % cases.length]!;
    const bytes = original.slice(0, rand(8) === 0 ? rand(original.length) : original.length);
    for (let m = 1 + rand(3); m > 0 && bytes.length > 0; m--) bytes[rand(bytes.length)] = rand(256);
    const attempt = (c: Codec<unknown>) => {
      try {
        return { value: loadsTyped(c, bytes) };
      } catch (e) {
        return { error: e };
      }
    };
    const fast = attempt(codec);
    const slow = attempt(general(codec));
    if ("value" in fast) {
      assert.ok("value" in slow, `case ${k}: the fast path accepted what the general reader refuses`);
      assert.ok(isDeepStrictEqual(fast.value, slow.value), `case ${k}: values differ`);
    } else {
      assert.ok("error" in slow, `case ${k}: only the fast path threw`);
    }
    agreed++;
  }
  assert.is(agreed, 3000);
});

test("values the direct writer does not take are written (or refused) by the general writer", () => {
  const ann = Object.assign(new User(), { name: "Ann", age: 37, score: 4.5, hobbies: ["chess"], isActive: true, address: null, created: when });
  // fold=1 at protocol 3 is refused (protocols 0–3 have no place for it), with its path.
  const folded = Object.assign(new User(), { ...ann, created: new PyDateTime(2024, 11, 3, 1, 30, 0, 0, null, 1) });
  assert.throws(() => dumpsTyped(UserCodec, folded, { protocol: 3 }), /fold=1/);
  assert.ok(
    Buffer.from(dumpsTyped(UserCodec, folded, { protocol: 3, allowFoldLoss: true })).equals(
      Buffer.from(dumpsTyped(general(UserCodec), folded, { protocol: 3, allowFoldLoss: true })),
    ),
  );
  // A wrong type: the general writer's error, with the path.
  const wrong = Object.assign(new User(), { ...ann, age: 1.5 });
  assert.throws(() => dumpsTyped(UserCodec, wrong), /age/);
  // An instance with kept unknown attributes is written with them, in their place.
  const kept = loadsTyped(UserCodec, dumps(pyUser([...fields(), ["nickname", "annie"]])));
  assert.ok(Buffer.from(dumpsTyped(UserCodec, kept)).equals(Buffer.from(dumps(pyUser([...fields(), ["nickname", "annie"]])))));
});

test.run();
