// Writer features against CPython: the string memo policy both ways, persistent ids, extension
// codes, protocol-5 buffers, numbers, plain objects, nested classes, deep values.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleBuffer, PyDecimal, PyGlobal, PyObject, PyOrderedDict, PyTuple, dumps, loads, type PyValue } from "../../runtime/index.ts";
import { runPython, toHex } from "../support/python.ts";

// Each case: a Python expression (with helpers) and how typed-pickle writes the same value.
const expected: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import copyreg, io, json, pickle, sys, types
out = {}
def dump(name, value, protocol=4, **kw):
    out[name] = pickle.dumps(value, protocol=protocol, **kw).hex()

# Strings: equal strings made separately are two objects to CPython (written twice) …
a = ''.join(['ab', 'cd']); b = ''.join(['a', 'bcd'])
dump('separate_strings', [a, b])
# … and interned ones one (fetched from the memo), which is what typed-pickle always does.
dump('interned_strings', [sys.intern(a), sys.intern(b)])

class P(pickle.Pickler):
    def persistent_id(self, obj):
        return ('row', obj[4:]) if isinstance(obj, str) and obj.startswith('row:') else None
for p in (0, 1, 2, 4):
    f = io.BytesIO(); P(f, protocol=p).dump(['row:1', 'plain', ['row:2']]) if p else None
    if p:
        out[f'persid{p}'] = f.getvalue().hex()
class P0(pickle.Pickler):
    def persistent_id(self, obj):
        return 'row' + obj[4:] if isinstance(obj, str) and obj.startswith('row:') else None
f = io.BytesIO(); P0(f, protocol=0).dump(['row:1', 'plain']); out['persid0'] = f.getvalue().hex()

import collections
copyreg.add_extension('collections', 'OrderedDict', 240)
copyreg.add_extension('decimal', 'Decimal', 70000)
import decimal
dump('ext2', [collections.OrderedDict(), decimal.Decimal('1')], protocol=2)
dump('ext4', [collections.OrderedDict(), decimal.Decimal('1')], protocol=4)
copyreg.remove_extension('collections', 'OrderedDict', 240)
copyreg.remove_extension('decimal', 'Decimal', 70000)

bufs = []
dump('oob', [pickle.PickleBuffer(b'read-only'), pickle.PickleBuffer(bytearray(b'writable'))], protocol=5, buffer_callback=lambda b: False)
dump('inband', [pickle.PickleBuffer(b'read-only'), pickle.PickleBuffer(bytearray(b'writable'))], protocol=5)

dump('numbers', {'count': 3, 'ratio': 0.5, 'big': 2**60, 'neg': -7, 'whole_float': 2.0}, protocol=4)

mod = types.ModuleType('shapes'); sys.modules['shapes'] = mod
class Outer:
    class Inner:
        pass
Outer.__module__ = 'shapes'; Outer.Inner.__module__ = 'shapes'; mod.Outer = Outer
for p in range(6):
    dump(f'nested{p}', [Outer.Inner, Outer.Inner, Outer], protocol=p)
class Point:
    def __init__(self, x, y): self.x, self.y = x, y
Point.__module__ = 'shapes'; mod.Point = Point
for p in range(6):
    dump(f'point{p}', [Point(1, 2), Point(3, 4)], protocol=p)
print(json.dumps(out))
`,
  ]),
);

const test = suite("writer features");

test("strings are memoized by value: CPython's bytes when equal strings are one (interned) object", () => {
  const value = ["abcd", "abcd"];
  assert.is(toHex(dumps(value)), expected.interned_strings);
  // Equal strings CPython holds as two objects it writes twice; we write one and fetch it.
  assert.is.not(toHex(dumps(value)), expected.separate_strings);
  // Both load to the same value.
  assert.equal(loads(new Uint8Array(Buffer.from(expected.separate_strings!, "hex"))), value);
});

test("persistentId writes PERSID / BINPERSID exactly as CPython", () => {
  for (const p of [1, 2, 4]) {
    const bytes = dumps(["row:1", "plain", ["row:2"]], {
      protocol: p,
      persistentId: (v) => (typeof v === "string" && v.startsWith("row:") ? new PyTuple(["row", v.slice(4)]) : null),
    });
    assert.is(toHex(bytes), expected[`persid${p}`], `protocol ${p}`);
  }
  const p0 = dumps(["row:1", "plain"], { protocol: 0, persistentId: (v) => (typeof v === "string" && v.startsWith("row:") ? "row" + v.slice(4) : null) });
  assert.is(toHex(p0), expected.persid0);
});

test("extension codes are written as EXT2 / EXT4", () => {
  const value = [new PyOrderedDict(), new PyDecimal("1")];
  const extensions = new Map([
    ["collections.OrderedDict", 240],
    ["decimal.Decimal", 70000],
  ]);
  assert.is(toHex(dumps(value, { protocol: 2, extensions })), expected.ext2);
  assert.is(toHex(dumps(value, { protocol: 4, extensions })), expected.ext4);
});

test("protocol 5 buffers: out of band through bufferCallback, in band as bytes / bytearray", () => {
  const value = [new PickleBuffer(new TextEncoder().encode("read-only"), true), new PickleBuffer(new TextEncoder().encode("writable"), false)];
  const sent: PickleBuffer[] = [];
  assert.is(toHex(dumps(value, { protocol: 5, bufferCallback: (b) => (sent.push(b), false) })), expected.oob);
  assert.is(sent.length, 2);
  assert.is(toHex(dumps(value, { protocol: 5 })), expected.inband);
  assert.throws(() => dumps(value, { protocol: 4 }), /PickleBuffer can only be pickled with protocol >= 5/);
});

test('numbers: "auto" writes integral numbers as int; plain objects are dicts', () => {
  const value = { count: 3, ratio: 0.5, big: 2n ** 60n, neg: -7, whole_float: 2.0 };
  // 2.0 is integral in JavaScript, so "auto" makes it an int: only bigint/float-typed data is exact.
  const bytes = dumps(value as unknown as PyValue, { numbers: "auto" });
  const back = loads(bytes) as Map<string, PyValue>;
  assert.equal(
    [...back],
    [
      ["count", 3n],
      ["ratio", 0.5],
      ["big", 2n ** 60n],
      ["neg", -7n],
      ["whole_float", 2n],
    ],
  );
  const exact = dumps(
    new Map<PyValue, PyValue>([
      ["count", 3n],
      ["ratio", 0.5],
      ["big", 2n ** 60n],
      ["neg", -7n],
      ["whole_float", 2.0],
    ]),
  );
  assert.is(toHex(exact), expected.numbers);
});

test("nested classes: STACK_GLOBAL with a dotted name at 4+, getattr(Outer, 'Inner') below", () => {
  const inner = new PyGlobal("shapes", "Outer.Inner");
  const outer = new PyGlobal("shapes", "Outer");
  for (let p = 0; p < 6; p++) assert.is(toHex(dumps([inner, new PyGlobal("shapes", "Outer.Inner"), outer], { protocol: p })), expected[`nested${p}`], `protocol ${p}`);
});

test("instances of other classes from their {class, args, state} form, at every protocol", () => {
  const point = (x: bigint, y: bigint) => {
    const o = new PyObject(new PyGlobal("shapes", "Point"), []);
    o.state = new Map<PyValue, PyValue>([
      ["x", x],
      ["y", y],
    ]);
    return o;
  };
  for (let p = 0; p < 6; p++) assert.is(toHex(dumps([point(1n, 2n), point(3n, 4n)], { protocol: p })), expected[`point${p}`], `protocol ${p}`);
});

test("ints written near the end of the output buffer (regression: an 8-byte LONG1 scratch overran it)", () => {
  // NEWTRUE is one byte, so k of them move the int one byte at a time across the buffer's end.
  for (const protocol of [2, 4]) {
    for (let k = 980; k < 1040; k++) {
      const value: PyValue = [...Array.from({ length: k }, () => true), -(2n ** 52n) + 12345n];
      assert.equal(loads(dumps(value, { protocol })), value);
    }
  }
});

test("a value nested 100,000 levels deep is written without a deep stack, and read back", () => {
  let deep: PyValue = [];
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const bytes = dumps(deep);
  let back = loads(bytes, { limits: { maxDepth: Infinity } });
  let depth = 0;
  while (Array.isArray(back) && back.length === 1) ((back = back[0]!), depth++);
  assert.is(depth, 100_000);
  const pyDepth = runPython(["-c", "import pickle,sys\nv=pickle.loads(sys.stdin.buffer.read())\nd=0\nwhile v: v=v[0]; d+=1\nprint(d)"], bytes);
  assert.is(pyDepth.trim(), "100000");
});

test.run();
