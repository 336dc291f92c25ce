// The direct-write contract (DirectWrite in runtime/writer/direct-writer.ts), run as code: every call
// goes through CheckedDirectWrite, which refuses a call the contract does not allow where it comes.
// Misuses are caught, each with what was expected; the sequences the contract allows write exactly
// CPython's bytes for the same value (and the general writer's), at every protocol with direct writing.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { OP, Pickler, PyDateTime, PyGlobal, PyTimezone, StrSlot, T, dumps, dumpsTyped, type PyValue } from "typed-pickle";
import { CheckedDirectWrite, DirectWriteMisuse } from "../../runtime/writer/direct-write-checker.ts";
import type { DirectWrite } from "../../runtime/writer/direct-writer.ts";
import { UserCodec } from "../../generated/user.ts";
import { Address, User } from "../../schemas/user.ts";
import { runPython, toHex } from "../support/python.ts";

const test = suite("direct-write contract");

/** One pickle written directly at `protocol`, every call checked. */
function direct(write: (w: DirectWrite) => void, protocol = 4): Uint8Array {
  const pickler = new Pickler({ protocol });
  const w = new CheckedDirectWrite(pickler);
  w.begin();
  write(w);
  w.end();
  return pickler.out.result();
}

function misuse(write: (w: DirectWrite) => void, message: RegExp): void {
  try {
    direct(write);
  } catch (e) {
    if (!(e instanceof DirectWriteMisuse)) throw e;
    assert.match(e.message, message);
    return;
  }
  assert.unreachable(`not caught (expected ${message})`);
}

// myapp.models.Address (python/myapp/models.py): a plain class, its state the dict of its attributes.
const ADDRESS = new PyGlobal("myapp.models", "Address");
const STREET = new StrSlot("street");
const ZIP = new StrSlot("zip_code");

function writeAddress(a: { street: string; zip: string }, w: DirectWrite): void {
  if (!w.beginDictInstance(a, ADDRESS, 2)) return;
  w.writeKey(STREET);
  w.writeStr(a.street);
  w.writeKey(ZIP);
  w.writeStr(a.zip);
  w.endDictInstance(2);
}

const writeInts = (items: number[], w: DirectWrite) => {
  if (w.beginList(items)) w.writeListItems(items, (x, w) => w.writeInt(x));
};
const writeFloatArray = (values: Float64Array, w: DirectWrite) => {
  if (w.beginList(values)) w.writeFloatItems(values);
};
type Nested = number | Nested[];
function writeNested(v: Nested, w: DirectWrite): void {
  if (typeof v === "number") w.writeInt(v);
  else if (w.beginList(v)) w.writeListItems(v, writeNested);
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const floats = (n: number) => Float64Array.from(range(n), (i) => i + 0.5);

// ---- misuse is caught ----

const a1 = { street: "1 Main St", zip: "12345" };

test("nothing is written outside a begun pickle, and a pickle holds one value", () => {
  assert.throws(() => new CheckedDirectWrite(new Pickler()).writeNone(), /writeNone: the pickle is not begun/);
  misuse((w) => (w.writeNone(), w.writeNone()), /writeNone: the pickle holds one value, and it is written/);
  misuse(() => {}, /end: the pickle is not complete: the pickle expects a value/);
  const w = new CheckedDirectWrite(new Pickler());
  w.begin();
  w.writeNone();
  w.end();
  assert.throws(() => w.writeNone(), /writeNone: the pickle has ended/);
});

test("an instance: n keys, each followed by its value, then endDictInstance(n)", () => {
  const begin = (w: DirectWrite, n: number) => w.beginDictInstance({}, ADDRESS, n);
  misuse((w) => (begin(w, 2), w.writeStr("x")), /writeStr: writeKey \(pair 1 of 2\) comes next/);
  misuse((w) => (begin(w, 2), w.writeKey(STREET), w.writeKey(ZIP)), /writeKey: the previous key has no value yet/);
  misuse((w) => (begin(w, 2), w.writeKey(STREET), w.writeStr("x"), w.endDictInstance(2)), /endDictInstance: writeKey \(pair 2 of 2\) comes next/);
  misuse((w) => (begin(w, 1), w.writeKey(STREET), w.writeStr("x"), w.endDictInstance(2)), /endDictInstance: the instance was begun with 1 pairs, not 2/);
  misuse((w) => (begin(w, 1), w.writeKey(STREET), w.writeStr("x"), w.writeKey(ZIP)), /writeKey: all 1 pairs of the instance are written/);
  misuse((w) => (begin(w, 1), w.writeKey(STREET), w.writeStr("x")), /end: the pickle is not complete: endDictInstance\(1\) comes next/);
  misuse((w) => w.writeKey(STREET), /writeKey: it writes an instance's field name, and no instance is open/);
  misuse((w) => w.endDictInstance(1), /endDictInstance: no instance is open/);
  // CPython writes an instance with an empty __dict__ with no state at all, and 1000 pairs in two batches.
  misuse((w) => begin(w, 0), /beginDictInstance: an instance's pairs number from 1 to 999, not 0/);
  misuse((w) => begin(w, 1000), /not 1000/);
});

test("a list's items by hand: one item and APPEND, or batches of up to 1000 in MARK … APPENDS", () => {
  misuse((w) => (w.beginList([1, 2]), w.writeInt(1)), /writeInt: MARK comes next \(2 of the list's 2 items are left\)/);
  misuse((w) => (w.beginList([1]), w.writeOp(OP.MARK)), /writeOp\(MARK\): a list of one item is written as the item and APPEND, without MARK/);
  misuse((w) => (w.beginList([1]), w.writeInt(1)), /end: the pickle is not complete: APPEND comes next/);
  misuse((w) => (w.beginList([1, 2]), w.writeOp(OP.MARK), w.writeInt(1), w.writeOp(OP.APPENDS)), /writeOp\(APPENDS\): 1 more items of the batch come next/);
  misuse((w) => (w.beginList([1, 2]), w.writeOp(OP.MARK), w.writeInt(1), w.writeInt(2), w.writeOp(OP.APPEND)), /writeOp\(APPEND\): APPENDS comes next/);
  misuse((w) => {
    const items = range(1001);
    w.beginList(items);
    w.writeOp(OP.MARK);
    for (const x of items) w.writeInt(x);
  }, /writeInt: APPENDS comes next \(the batch is complete\)/);
  misuse((w) => (w.beginList([1, 2]), w.writeOp(OP.STOP)), /writeOp: it writes only MARK, APPEND or APPENDS between a list's items, not 46/);
  misuse((w) => w.writeOp(OP.MARK), /writeOp: no list is open/);
});

test("writeListItems and writeFloatItems: right after beginList, each item one whole value", () => {
  misuse((w) => (w.beginList([1]), w.writeListItems([1], (x, w) => w.writeInt(x))), /writeListItems: it writes the items of the list beginList\(items\) has just begun/);
  misuse((w) => {
    const items = [1, 2];
    w.beginList(items);
    w.writeOp(OP.MARK);
    w.writeListItems(items, (x, w) => w.writeInt(x));
  }, /writeListItems: it writes the items of the list/);
  misuse((w) => {
    const items = [1, 2];
    if (w.beginList(items)) w.writeListItems(items, (x, w) => (w.writeInt(x), w.writeInt(x)));
  }, /writeInt: writeListItems' item holds one value, and it is written/);
  misuse((w) => {
    const items = [1, 2];
    if (w.beginList(items)) w.writeListItems(items, () => {});
  }, /writeListItems: writeItem must write one whole value \(writeListItems' item expects a value\)/);
  misuse((w) => {
    const items = [1];
    if (w.beginList(items)) w.writeListItems(items, (_, w) => w.beginDictInstance({}, ADDRESS, 1));
  }, /writeListItems: writeItem must write one whole value \(writeKey \(pair 1 of 1\) comes next\)/);
  misuse((w) => (w.beginList(floats(3)), w.writeFloatItems(floats(3))), /writeFloatItems: it writes the items of the list/);
});

test("writeFloats: the next items of the open batch, in order", () => {
  const values = floats(1001);
  misuse((w) => (w.beginList(values), w.writeOp(OP.MARK), w.writeFloats(values, 0, 1001)), /writeFloats: 1001 items, but the open batch takes 1000/);
  misuse((w) => (w.beginList(values), w.writeOp(OP.MARK), w.writeFloats(values, 1, 3)), /writeFloats: the next items are from index 0, not \[1, 3\)/);
  misuse((w) => (w.beginList(values), w.writeOp(OP.MARK), w.writeFloats(floats(3), 0, 3)), /writeFloats: its values must be the list begun last/);
});

test("writeInt takes a safe integer only", () => {
  misuse((w) => w.writeInt(2 ** 53), /writeInt: 9007199254740992 is not a safe integer/);
  misuse((w) => w.writeInt(1.5), /writeInt: 1.5 is not a safe integer/);
});

// ---- allowed sequences write CPython's bytes ----

interface Case {
  /** A Python expression (python/ on the path; `Address`, `datetime`, `timezone` imported). */
  python: string;
  write: (w: DirectWrite) => void;
  /** The same value for the general writer, where the value model says it directly. */
  value?: PyValue;
  protocols?: number[];
}

const listCases: Case[] = [0, 1, 2, 999, 1000, 1001, 2001].flatMap((n): Case[] => [
  { python: `list(range(${n}))`, write: (w) => writeInts(range(n), w), value: range(n).map(BigInt) },
  { python: `[i + 0.5 for i in range(${n})]`, write: (w) => writeFloatArray(floats(n), w), value: Array.from(floats(n)) },
]);

const shared = [1, 2];
const sharedDate = new PyDateTime(2024, 1, 2);
const a2 = { street: "2 Side St", zip: "12345" };
const one = { street: "x" };
const big = { street: 10n ** 30n, zip: new Map<PyValue, PyValue>([["a", [1n, 2n]]]) };

const cases: Case[] = [
  ...listCases,
  {
    python: "[i + 0.5 for i in range(3)]",
    // The floats by hand: MARK, writeFloats, APPENDS.
    write: (w) => {
      const values = floats(3);
      if (!w.beginList(values)) return;
      w.writeOp(OP.MARK);
      w.writeFloats(values, 0, 3);
      w.writeOp(OP.APPENDS);
    },
  },
  {
    python: "(lambda l: [l, l, [l]])([1, 2])",
    write: (w) => writeNested([shared, shared, [shared]], w),
    value: ((l: PyValue[]) => [l, l, [l]])([1n, 2n]),
  },
  {
    python: "(lambda a, b: [a, b, a])(Address('1 Main St', '12345'), Address('2 Side St', '12345'))",
    write: (w) => {
      const items = [a1, a2, a1];
      if (w.beginList(items)) w.writeListItems(items, writeAddress);
    },
  },
  {
    python: "(lambda a: (setattr(a, 'street', 'x'), a)[1])(Address.__new__(Address))",
    write: (w) => {
      if (!w.beginDictInstance(one, ADDRESS, 1)) return;
      w.writeKey(STREET);
      w.writeStr(one.street);
      w.endDictInstance(1);
    },
  },
  {
    python: "Address(10**30, {'a': [1, 2]})",
    // saveValue stands for any value where one is expected.
    write: (w) => {
      if (!w.beginDictInstance(big, ADDRESS, 2)) return;
      w.writeKey(STREET);
      w.saveValue(big.street);
      w.writeKey(ZIP);
      w.saveValue(big.zip);
      w.endDictInstance(2);
    },
  },
  { python: "Address", write: (w) => w.writeGlobal(ADDRESS), value: ADDRESS },
  { python: "'é'", write: (w) => w.writeStr("é"), value: "é" },
  { python: "None", write: (w) => w.writeNone(), value: null },
  { python: "False", write: (w) => w.writeBool(false), value: false },
  { python: "-(2**40)", write: (w) => w.writeInt(-(2 ** 40)), value: -(2n ** 40n) },
  { python: "float('-inf')", write: (w) => w.writeFloat(-Infinity), value: -Infinity },
  {
    python: "datetime(2024, 1, 2, 3, 4, 5, 678901)",
    write: (w) => w.writeDateTime(new PyDateTime(2024, 1, 2, 3, 4, 5, 678901)),
    value: new PyDateTime(2024, 1, 2, 3, 4, 5, 678901),
  },
  {
    python: "(lambda d: [d, d])(datetime(2024, 1, 2))",
    write: (w) => {
      const items = [sharedDate, sharedDate];
      if (w.beginList(items)) w.writeListItems(items, (d, w) => w.writeDateTime(d));
    },
    value: [sharedDate, sharedDate],
  },
  {
    python: "datetime(2024, 11, 3, 1, 30, fold=1)",
    write: (w) => w.writeDateTime(new PyDateTime(2024, 11, 3, 1, 30, 0, 0, null, 1)),
    value: new PyDateTime(2024, 11, 3, 1, 30, 0, 0, null, 1),
    protocols: [4, 5], // below 4 fold=1 is refused unless allowFoldLoss (the general writer's rule)
  },
  {
    python: "datetime(2024, 1, 2, tzinfo=timezone.utc)",
    write: (w) => w.writeDateTime(new PyDateTime(2024, 1, 2, 0, 0, 0, 0, PyTimezone.utc)),
    value: new PyDateTime(2024, 1, 2, 0, 0, 0, 0, PyTimezone.utc),
  },
];

test("the contract's sequences write CPython's bytes and the general writer's, protocols 2–5", () => {
  const runs = cases.flatMap((c) => (c.protocols ?? [2, 3, 4, 5]).map((protocol) => ({ c, protocol })));
  const code = `
import json, pickle, sys
from datetime import datetime, timezone
from myapp.models import Address
print(json.dumps([pickle.dumps(eval(e), p).hex() for e, p in json.load(sys.stdin)]))
`;
  const theirs: string[] = JSON.parse(runPython(["-c", code], JSON.stringify(runs.map(({ c, protocol }) => [c.python, protocol]))));
  runs.forEach(({ c, protocol }, i) => {
    const ours = toHex(direct(c.write, protocol));
    assert.is(ours, theirs[i], `${c.python} at protocol ${protocol}`);
    if (c.value !== undefined) assert.is(ours, toHex(dumps(c.value, { protocol })), `${c.python}: the general writer at protocol ${protocol}`);
  });
});

test("a generated fast path keeps the contract, and writes what dumpsTyped writes", () => {
  const address = Object.assign(new Address(), { street: "1 Main St", zip: "12345" });
  const hobbies = ["chess", "go"];
  const created = new PyDateTime(2024, 1, 2, 3, 4, 5, 6);
  const user = (name: string, addr: Address | null) => Object.assign(new User(), { name, age: 37, score: 4.5, hobbies, isActive: true, address: addr, created });
  const users = [user("Ann", address), user("Bob", null), user("Cy", address)];
  const codec = T.list(UserCodec);
  // A codec's write takes the writer it is given; the checker is one.
  const write = codec.write as (value: User[], w: DirectWrite) => void;
  for (const protocol of [2, 3, 4, 5]) {
    assert.is(toHex(direct((w) => write(users, w), protocol)), toHex(dumpsTyped(codec, users, { protocol })), `protocol ${protocol}`);
  }
});

test.run();
