// A big pickle's memo keeps only the values some fetch names (memo-fetches.ts): every value and every
// identity must come out as before. Pickles from CPython, every protocol (text GETs keep every
// value), hand-made fetches the walk must see, and the walk itself.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type PyTuple, type PyValue, loads, loadsAll, loadsPlain } from "../../runtime/index.ts";
import { mayBeFetched, memoFetches } from "../../runtime/reader/memo-fetches.ts";
import { memoFetchWalks } from "../../runtime/reader/unpickler.ts";
import { cpythonPickles } from "../support/python.ts";

const bytes = (...parts: (string | number[])[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p)))));
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

/** 6,000 distinct strs first, so the memo passes the size at which the reader walks for fetches. */
const PAD = "pad = [f's{i}' for i in range(6000)]";
const CASES: Record<string, string> = {
  // a dict and a list inside it, put early and fetched after the pad
  lateFetch: `${PAD}; shared = {'k': [1, 2]}; v = [shared, pad, shared, shared['k']]`,
  // a list of 3 fetched after its APPENDS: its exact-size copy must be what the memo gives back
  sharedList: `${PAD}; a = [1, 'x', 2.5]; v = [pad, a, a]`,
  // a list holding itself: fetched inside its own items, so it must stay the list that was made
  recursive: `${PAD}; l = [1, 2]; l.append(l); v = [pad, l]`,
};
const PROTOCOLS = [0, 1, 2, 3, 4, 5];

const pickles = cpythonPickles(CASES, PROTOCOLS);

const test = suite("memo-kept");

test("values put early and fetched late keep their identity, every protocol (text GETs keep every value)", () => {
  for (const p of PROTOCOLS) {
    const walksBefore = memoFetchWalks;
    const v = loads(pickles.lateFetch![p]!) as PyValue[];
    const shared = v[0] as Map<string, PyValue>;
    assert.equal([...shared.keys()], ["k"], `protocol ${p}`);
    assert.is(v[2], shared, `protocol ${p}`);
    assert.is(v[3], shared.get("k"), `protocol ${p}`);
    assert.equal(v[3], [1n, 2n], `protocol ${p}`);
    assert.is((v[1] as string[])[5999], "s5999");
    // protocol 0 fetches with text GETs, which the walk does not read: it keeps every value there
    assert.is(memoFetchWalks - walksBefore, p === 0 ? 0 : 1, `protocol ${p}: walks`);
  }
});

test("a list fetched after 6,000 other entries is the list that was read, every protocol", () => {
  for (const p of PROTOCOLS) {
    const walksBefore = memoFetchWalks;
    const v = loads(pickles.sharedList![p]!) as PyValue[];
    assert.equal(v[1], [1n, "x", 2.5], `protocol ${p}`);
    assert.is(v[2], v[1], `protocol ${p}`);
    assert.is(memoFetchWalks - walksBefore, p === 0 ? 0 : 1, `protocol ${p}: walks`);
    const plain = loadsPlain(pickles.sharedList![p]!) as unknown[];
    assert.is(plain[2], plain[1], `protocol ${p}: plain mode`);
  }
});

test("a list holding itself, fetched inside its own items after the walk", () => {
  for (const p of PROTOCOLS) {
    const v = loads(pickles.recursive![p]!) as PyValue[];
    const l = v[1] as PyValue[];
    assert.is(l.length, 3);
    assert.is(l[2], l, `protocol ${p}`);
    assert.equal(l.slice(0, 2), [1n, 2n]);
  }
});

test("hand-made fetches after 5,000 entries: a LONG_BINGET, a BINGET of an entry put twice, an index put far away", () => {
  const pad = "N\x940".repeat(5000); // MEMOIZE each None, then drop it: entries 0–4999
  // EMPTY_LIST MEMOIZE (5000) MARK LONG_BINGET 5000 K1 APPENDS: l = [l, 1]
  const late = loads(bytes("\x80\x04", pad, "]\x94(j", u32(5000), "K\x01e.")) as PyValue[];
  assert.is(late[0], late);
  assert.is(late[1], 1n);
  // a str put at 7000 and, after the pad, a list put at 7000 too: the fetch gives the list
  const twice = loads(bytes("\x80\x04\x8c\x01ar", u32(7000), "0", pad, "]r", u32(7000), "j", u32(7000), "\x86.")) as PyTuple;
  assert.is(twice.items[0], twice.items[1]);
  assert.ok(Array.isArray(twice.items[0]));
  // a far LONG_BINPUT (beyond half the input: the walk gives up and every value is kept)
  const far = loads(bytes("\x80\x04", pad, "\x8c\x01zr", u32(1_000_000), "0j", u32(1_000_000), ".")) as string;
  assert.is(far, "z");
});

test("many pickles in one input: each keeps what its own fetches name", () => {
  const one = pickles.lateFetch![4]!;
  const two = pickles.sharedList![4]!;
  const values = [...loadsAll(bytes(Buffer.from(one).toString("latin1"), Buffer.from(two).toString("latin1"), Buffer.from(one).toString("latin1")))] as PyValue[][];
  assert.is(values.length, 3);
  for (const v of [values[0]!, values[2]!]) assert.is(v[2], v[0]);
  assert.is(values[1]![2], values[1]![1]);
});

test("memoFetches: the indices fetched, none for text GETs or an index no CPython pickle has", () => {
  // BINPUT 3, LONG_BINPUT 70, BINGET 3, LONG_BINGET 70 among strs and bytes the walk must skip over
  const data = bytes("\x80\x04\x8c\x03abcq\x03C\x02hhr", u32(70), "h\x03j", u32(70), "X", u32(2), "jh", "h\x05.", "N".repeat(300));
  const bits = memoFetches(data)!;
  const fetched = Array.from({ length: 100 }, (_, i) => i).filter((i) => mayBeFetched(bits, i));
  assert.equal(fetched, [3, 5, 70], "the 'jh' inside the BINUNICODE is skipped, not read as a fetch");
  assert.is(memoFetches(bytes("(N", "p0\n", "g0\n", "t.")), null, "text GET");
  assert.is(memoFetches(bytes("Nr", u32(1000), "j", u32(1000), ".")), null, "an index beyond half the input");
  // the walk stops where the reader would fail: a negative BINSTRING length, then what looks like a fetch
  const stopped = memoFetches(bytes("T", u32(-1 >>> 0), "h\x07", "N".repeat(40)))!;
  assert.not.ok(mayBeFetched(stopped, 7));
});

test.run();
