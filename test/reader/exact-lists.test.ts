// A list CPython writes as EMPTY_LIST, its memo, MARK, items, APPENDS is made at its exact size at
// APPENDS, replacing the empty array on the stack and in the memo (unpickler.ts, "exact-size
// lists"). The path must run for CPython's lists, and every identity must come out as before: a
// list fetched after its APPENDS, one holding itself, one whose MARK was popped.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type PyTuple, type PyValue, UnpicklingError, loads, loadsPlain } from "../../runtime/index.ts";
import { exactLists } from "../../runtime/reader/unpickler.ts";
import { cpythonPickles, runPython } from "../support/python.ts";

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

const CASES: Record<string, string> = {
  // strs (the items from the stack), ints and floats (the number run)
  three: "v = [['a', 'b'], [1, 2, 3], [1.5, 2.5]]",
  // a list of each kind fetched after its APPENDS
  shared: "s = ['a', 'b']; n = [1, 2]; v = [s, n, s, n]",
  // past 256 memo entries protocols 1–3 put with LONG_BINPUT
  longPut: "pad = [str(i) for i in range(300)]; s = ['p', 'q']; v = [pad, s, s]",
  // a list holding itself: fetched inside its own items
  recursive: "l = [1, 2]; l.append(l); v = l",
};
const PROTOCOLS = [1, 2, 3, 4, 5];

const pickles = cpythonPickles(CASES, PROTOCOLS);

/** Runs `f` and says how many lists it made at their exact size. */
function counting<T>(f: () => T): [T, number] {
  const before = exactLists;
  const value = f();
  return [value, exactLists - before];
}

const test = suite("exact-lists");

test("CPython's lists of two or more items are made at APPENDS, from the stack and from a number run", () => {
  for (const p of PROTOCOLS) {
    const [v, made] = counting(() => loads(pickles.three![p]!));
    assert.equal(
      v,
      [
        ["a", "b"],
        [1n, 2n, 3n],
        [1.5, 2.5],
      ],
      `protocol ${p}`,
    );
    assert.is(made, 3, `protocol ${p}`);
    const [plain, madePlain] = counting(() => loadsPlain(pickles.three![p]!));
    assert.equal(plain, [
      ["a", "b"],
      [1, 2, 3],
      [1.5, 2.5],
    ]);
    assert.is(madePlain, 3, `protocol ${p}: plain mode`);
  }
  // protocol 1 has no EMPTY_LIST … APPENDS batches for the root's items? It does: ] ( … e
  const [v1] = counting(() => loads(pickles.three![1]!));
  assert.equal(v1, [
    ["a", "b"],
    [1n, 2n, 3n],
    [1.5, 2.5],
  ]);
});

test("a list fetched after its APPENDS is the one in its container (MEMOIZE, BINPUT, LONG_BINPUT)", () => {
  for (const p of PROTOCOLS) {
    const v = loads(pickles.shared![p]!) as PyValue[];
    assert.equal(v[0], ["a", "b"]);
    assert.equal(v[1], [1n, 2n]);
    assert.is(v[2], v[0], `protocol ${p}: strs`);
    assert.is(v[3], v[1], `protocol ${p}: ints`);
    const plain = loadsPlain(pickles.shared![p]!) as unknown[];
    assert.is(plain[2], plain[0], `protocol ${p}: plain mode`);
    assert.is(plain[3], plain[1], `protocol ${p}: plain mode`);
    const late = loads(pickles.longPut![p]!) as PyValue[];
    assert.equal(late[1], ["p", "q"]);
    assert.is(late[2], late[1], `protocol ${p}: past 256 entries`);
  }
  assert.ok(Buffer.from(pickles.longPut![2]!).includes(Buffer.from("]r")), "protocol 2 puts the late list with LONG_BINPUT");
});

test("a list fetched inside its own items stays the list that was made", () => {
  for (const p of PROTOCOLS) {
    const [l, made] = counting(() => loads(pickles.recursive![p]!) as PyValue[]);
    assert.is(l.length, 3);
    assert.is(l[2], l, `protocol ${p}`);
    assert.equal(l.slice(0, 2), [1n, 2n]);
    assert.is(made, 0, `protocol ${p}: the fetch made a second holder`);
  }
});

test("hand-made: a fetch of the list inside the MARK, a popped MARK, an opcode between EMPTY_LIST and MARK", () => {
  // EMPTY_LIST MEMOIZE MARK BINGET 0 K1 APPENDS: l = [l, 1]
  const [self, madeSelf] = counting(() => loads(bytes("\x80\x04]\x94(h\x00K\x01e.")) as PyValue[]);
  assert.is(self[0], self);
  assert.is(madeSelf, 0);
  // EMPTY_LIST MEMOIZE MARK POP (the MARK) MARK K1 APPENDS, then the memo's list beside it
  const [popped, madePopped] = counting(() => loads(bytes("\x80\x04]\x94(0(K\x01eh\x00\x86.")) as PyTuple);
  assert.equal(popped.items[0], [1n]);
  assert.is(popped.items[1], popped.items[0]);
  assert.is(madePopped, 0, "its MARK was popped: the list is no longer fenced");
  // EMPTY_LIST MEMOIZE NONE POP MARK K1 K2 APPENDS: not CPython's sequence, the list is grown
  const [between, madeBetween] = counting(() => loads(bytes("\x80\x04]\x94N0(K\x01K\x02eh\x00\x86.")) as PyTuple);
  assert.equal(between.items[0], [1n, 2n]);
  assert.is(between.items[1], between.items[0]);
  assert.is(madeBetween, 0);
  // the same without the NONE POP: made exact, and the fetch after it gives the exact list
  const [direct, madeDirect] = counting(() => loads(bytes("\x80\x04]\x94(K\x01K\x02eh\x00\x86.")) as PyTuple);
  assert.is(direct.items[1], direct.items[0]);
  assert.is(madeDirect, 1);
});

test("limits.maxContainerItems holds on the exact path", () => {
  for (const data of [pickles.three![4]!, bytes("\x80\x04](\x8c\x01a\x8c\x01b\x8c\x01c\x8c\x01de.")]) {
    assert.throws(
      () => loads(data, { limits: { maxContainerItems: 2 } }),
      (e: unknown) => e instanceof UnpicklingError && e.message.includes("limits.maxContainerItems"),
    );
  }
});

test("random graphs of shared and self-holding lists and dicts keep CPython's sharing, every protocol", () => {
  // CPython builds each graph, pickles it and walks it depth first, naming each container at its
  // first visit and by that number after; the same walk over our value must say the same.
  const code = `
import json, pickle, random, sys
rng = random.Random(7)
def graph():
    made = []
    def leaf():
        return rng.choice([rng.randint(-300, 70000), 'k%d' % rng.randint(0, 5), rng.random()])
    def container(depth):
        if made and rng.random() < 0.3:
            return rng.choice(made)
        c = [] if rng.random() < 0.6 else {}
        made.append(c)
        for _ in range(rng.randint(0, 4)):
            item = container(depth + 1) if depth < 4 and rng.random() < 0.5 else leaf()
            if isinstance(c, list): c.append(item)
            else: c['k%d' % rng.randint(0, 9)] = item
        if rng.random() < 0.1 and isinstance(c, list): c.append(c)
        return c
    return container(0)
def walk(v, seen, out):
    if isinstance(v, (list, dict)):
        if id(v) in seen:
            out.append('ref%d' % seen[id(v)]); return
        seen[id(v)] = len(seen)
        out.append('list' if isinstance(v, list) else 'dict')
        for x in (v if isinstance(v, list) else [y for kv in v.items() for y in kv]): walk(x, seen, out)
        out.append('end')
    else:
        out.append(repr(v))
cases = []
for _ in range(120):
    g = graph()
    sig = []
    walk(g, {}, sig)
    cases.append({'sig': sig, 'pickles': [pickle.dumps(g, p).hex() for p in range(1, 6)]})
json.dump(cases, sys.stdout)
`;
  const cases = JSON.parse(runPython(["-c", code])) as { sig: string[]; pickles: string[] }[];
  const repr = (v: unknown) => (typeof v === "bigint" ? String(v) : typeof v === "string" ? `'${v}'` : Number.isInteger(v) ? `${v}.0` : String(v));
  const walk = (v: unknown, seen: Map<object, number>, out: string[]): void => {
    if (Array.isArray(v) || v instanceof Map) {
      const at = seen.get(v);
      if (at !== undefined) {
        out.push(`ref${at}`);
        return;
      }
      seen.set(v, seen.size);
      out.push(Array.isArray(v) ? "list" : "dict");
      for (const x of Array.isArray(v) ? v : [...v].flat()) walk(x, seen, out);
      out.push("end");
    } else out.push(repr(v));
  };
  let made = 0;
  for (const [n, c] of cases.entries()) {
    for (const [k, hex] of c.pickles.entries()) {
      const [value, exact] = counting(() => loads(new Uint8Array(Buffer.from(hex, "hex"))));
      made += exact;
      const sig: string[] = [];
      walk(value, new Map(), sig);
      assert.equal(sig, c.sig, `graph ${n}, protocol ${k + 1}`);
    }
  }
  assert.ok(made > 100, `the exact path ran (${made} lists)`);
});

test.run();
