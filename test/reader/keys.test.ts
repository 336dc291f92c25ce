// Dict and set keys: Python's equality (checked against CPython), and a cost per key that does
// not grow with how often a big key is reused through the memo.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type PyTuple, loads, type PyValue } from "../../runtime/index.ts";
import { runPythonJsonLines } from "../support/python.ts";

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p as Uint8Array)))));
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

/** A hang guard only: the quadratic builds took from 40 s to minutes on these inputs. */
const HANG_GUARD_MS = 20_000;

function timed<T>(fn: () => T): T {
  const start = performance.now();
  const value = fn();
  const ms = performance.now() - start;
  assert.ok(ms < HANG_GUARD_MS, `took ${ms} ms`);
  return value;
}

/** PROTO 4, an empty set, MARK, `key` memoised as entry 0, `reuses` BINGETs of it, ADDITEMS. */
const setOfOneKeyReused = (key: (string | number[] | Uint8Array)[], reuses: number) => bytes("\x80\x04\x8f(", ...key, "\x94", "h\x00".repeat(reuses), "\x90.");

const test = suite("dict and set keys");

test("a 100 KB bytes key reused 60,000 times through the memo is canonicalised once", () => {
  const key = new Uint8Array(100_000).fill(7);
  const set = timed(() => loads(setOfOneKeyReused(["B", u32(key.length), key], 60_000))) as Set<PyValue>;
  assert.is(set.size, 1);
  // The same through SETITEMS, and a FROZENSET.
  const dict = timed(() => loads(bytes("}(", "B", u32(key.length), key, "q\x00N", "h\x00N".repeat(60_000), "u."))) as Map<PyValue, PyValue>;
  assert.is(dict.size, 1);
  const frozen = timed(() => loads(bytes("(", "B", u32(key.length), key, "q\x00", "h\x00".repeat(60_000), "\x91."))) as Set<PyValue>;
  assert.is(frozen.size, 1);
});

test("a 1,780-byte int key (the largest within the digit limit) reused 100,000 times", () => {
  const key = new Uint8Array(1780).fill(0x5a);
  const set = timed(() => loads(setOfOneKeyReused(["\x8b", u32(key.length), key], 100_000))) as Set<PyValue>;
  assert.is(set.size, 1);
  assert.is(typeof [...set][0], "bigint");
});

test("big ints alike at both ends are still told apart, and equal ones found", () => {
  // 2,000 distinct 64-byte ints sharing their low and high bytes, each added twice.
  const parts: (string | number[] | Uint8Array)[] = ["\x80\x04\x8f("];
  for (let i = 0; i < 2000; i++) {
    const key = new Uint8Array(64).fill(0x11);
    key[30] = i & 0xff;
    key[31] = i >> 8;
    parts.push("\x8b", u32(64), key, "\x8b", u32(64), key);
  }
  parts.push("\x90.");
  assert.is((loads(bytes(...parts)) as Set<PyValue>).size, 2000);
});

test("big ints alike at both ends, reused through the memo: each reuse's hashing is charged to the budget", () => {
  // Five 1,780-byte ints equal but for one middle byte, memoised, then used alternately by 2-byte
  // BINGETs: past the sketch cache each use divides the whole int. CPython never memoizes ints.
  const parts: (string | number[] | Uint8Array)[] = ["\x80\x04\x8f\x94"];
  for (let k = 0; k < 5; k++) {
    const key = new Uint8Array(1780).fill(0x11);
    key[890] = 0x20 + k;
    parts.push("\x8b", u32(key.length), key, "\x940");
  }
  const gets = (count: number) => Array.from({ length: count }, (_, i) => `h${String.fromCharCode(1 + (i % 5))}`).join("");
  // A few reuses read as usual; 490,000 (a 1 MB pickle) are refused by the allocation budget.
  assert.is((loads(bytes(...parts, "(", gets(1000), "\x90.")) as Set<PyValue>).size, 5);
  let error: unknown;
  timed(() => {
    try {
      loads(bytes(...parts, "(", gets(490_000), "\x90."));
    } catch (e) {
      error = e;
    }
  });
  assert.match(String(error), /allocation exceeds 64× the input size/);
});

test("a 1 MB str inside 20,000 tuple keys is hashed once, not once per tuple", () => {
  const text = "y".repeat(1 << 20);
  const tuples: Uint8Array[] = [];
  for (let i = 0; i < 20_000; i++) tuples.push(bytes("h\x00M", [i & 0xff, i >> 8], "\x86"));
  const set = timed(() => loads(bytes("\x80\x04\x8f(", "X", u32(text.length), text, "\x94", "0", ...tuples, "\x90."))) as Set<PyValue>;
  assert.is(set.size, 20_000);
  const first = [...set][0] as PyTuple;
  assert.is(first.items[0], text);
});

test("key equality as CPython's: numbers, datetimes, timezones, NaN", () => {
  // Each case: keys that are distinct objects in Python, each pickled on its own (protocol 2 or 3:
  // explicit memo indices, so the pieces join), put into one dict with DICT; against Python's len().
  const cases = runPythonJsonLines<{ name: string; protocol: number; keys: string[]; size: number }>([
    "-c",
    `
import datetime as dt, json, pickle
utc, plus1 = dt.timezone.utc, dt.timezone(dt.timedelta(hours=1))
cases = {
    'int, float and bool': [1, 1.0, True, 2**70, float(2**70), -0.0, 0, 2**70 + 1],
    'naive datetimes differing in fold': [dt.datetime(2020, 1, 1, 1, 30), dt.datetime(2020, 1, 1, 1, 30, fold=1)],
    'aware datetimes at one instant': [dt.datetime(2020, 1, 1, 12, tzinfo=utc), dt.datetime(2020, 1, 1, 13, tzinfo=plus1),
                                       dt.datetime(2020, 1, 1, 13, tzinfo=dt.timezone(dt.timedelta(hours=1), 'CET'))],
    'naive and aware apart': [dt.datetime(2020, 1, 1, 12), dt.datetime(2020, 1, 1, 12, tzinfo=utc)],
    'times with offsets': [dt.time(12, tzinfo=utc), dt.time(13, tzinfo=plus1), dt.time(12), dt.time(12, fold=1)],
    'timezones by offset only': [utc, dt.timezone(dt.timedelta(0), 'Z'), plus1],
    'dates and datetimes apart': [dt.date(2020, 1, 1), dt.datetime(2020, 1, 1)],
    'datetimes far apart': [dt.datetime(1, 1, 1), dt.datetime(1, 1, 1, 0, 0, 0, 1), dt.datetime(9999, 12, 31), dt.datetime(1, 1, 1, fold=1)],
    'two NaN objects': [float('nan'), float('inf') - float('inf')],
    'tuples of equal parts': [(1, 'a', b'x'), (1.0, 'a', b'x'), (True, 'a', b'x', None)],
    'frozensets': [frozenset({1, 2}), frozenset({2.0, 1}), frozenset()],
}
for name, keys in cases.items():
    for protocol in (2, 3):
        pieces = [pickle.dumps(k, protocol)[2:-1].hex() for k in keys]
        print(json.dumps({'name': f'{name} (protocol {protocol})', 'protocol': protocol, 'keys': pieces, 'size': len({k: i for i, k in enumerate(keys)})}))
`,
  ]);
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const pieces = c.keys.map((hex, i) => bytes(Buffer.from(hex, "hex"), "J", u32(i)));
    const dict = loads(bytes([0x80, c.protocol], "(", ...pieces, "d.")) as Map<PyValue, PyValue>;
    assert.is(dict.size, c.size, c.name);
  }
});

test.run();
