// The memo under hostile indices: a far BINPUT costs one entry, never an array of its size, on every
// entry point; ordinary indices keep CPython's meaning (MEMOIZE = the number of entries put).
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UnpicklingError, loadStream, loads, loadsAll, type PyValue } from "../../runtime/index.ts";
import { toTagged } from "../../runtime/format/tagged-json.ts";
import { Category } from "../../schemas/catalog.ts";
import { dumpsCategory, loadsCategory } from "../../generated/catalog.ts";
import { runPython } from "../support/python.ts";

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p as Uint8Array)))));
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

function heapNow(): number {
  global.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A hang guard only (an affected build takes seconds to minutes, or aborts the process). */
const HANG_GUARD_MS = 20_000;

/** The 12-byte pickle: NONE, LONG_BINPUT index, LONG_BINPUT index + 1, STOP. */
const farPuts = (index: number) => bytes("N", "r", u32(index), "r", u32(index + 1), ".");

async function streamAll(data: Uint8Array): Promise<PyValue[]> {
  const out: PyValue[] = [];
  for await (const v of loadStream(Readable.from([data], { objectMode: true }))) out.push(v);
  return out;
}

const test = suite("memo");

test("two puts at a far index and the next one: read at once, with no memory to speak of, on every entry point", async () => {
  for (const index of [2 ** 24, 2 ** 26, 2 ** 32 - 2]) {
    const data = farPuts(index);
    const before = heapNow();
    const start = performance.now();
    assert.is(loads(data), null);
    assert.is(loads(data, { mode: "opaque" }), null);
    assert.equal([...loadsAll(bytes(data, data))], [null, null]);
    assert.equal(await streamAll(bytes(data, data)), [null, null]);
    const ms = performance.now() - start;
    const grew = heapNow() - before;
    assert.ok(ms < HANG_GUARD_MS, `index ${index}: ${ms} ms`);
    assert.ok(grew < 16 << 20, `index ${index}: memory grew by ${grew} bytes`);
  }
});

test("a chain of puts, each a little beyond the last, stays small (the array never grows with the index)", () => {
  // index 1000, 3000, 7000, …: each within 'twice the array + 1024' of the one before.
  const parts: (string | number[])[] = ["N"];
  for (let i = 0, index = 1000; i < 30 && index < 2 ** 32; i++, index = index * 2 + 1000) parts.push("r", u32(index));
  parts.push(".");
  const before = heapNow();
  assert.is(loads(bytes(...parts)), null);
  assert.ok(heapNow() - before < 16 << 20);
});

test("far and near entries are found again, and MEMOIZE counts entries as CPython's len(memo) does", () => {
  // A far put of 'far'; 4999 MEMOIZEs of 'near' (indices 1…4999: the array grows past the far
  // index, which moves into it); gets of both; a put at an empty index and one over an existing
  // entry, each followed by a MEMOIZE (the count decides its index); a put far beyond everything.
  const data = bytes(
    "(",
    "X",
    u32(3),
    "far",
    "r",
    u32(5000),
    "0",
    "X",
    u32(4),
    "near",
    "\x94".repeat(4999),
    "0",
    "j",
    u32(5000),
    "j",
    u32(4999),
    "j",
    u32(1),
    "K\x07",
    "r",
    u32(6000),
    "\x94",
    "0",
    "j",
    u32(5001),
    "K\x08",
    "r",
    u32(1),
    "\x94",
    "0",
    "j",
    u32(5002),
    "j",
    u32(1),
    "K\x09",
    "r",
    u32(2 ** 31),
    "\x94",
    "0",
    "j",
    u32(2 ** 31),
    "j",
    u32(5004),
    "l.",
  );
  // The pure-Python unpickler: its memo is a dict (the C one allocates an array up to the index).
  const python = JSON.parse(runPython(["-c", "import pickle, sys, json; print(json.dumps(pickle._loads(sys.stdin.buffer.read())))"], data));
  assert.equal(python, ["far", "near", "near", 7, 8, 8, 9, 9]);
  assert.equal(loads(data), ["far", "near", "near", 7n, 8n, 8n, 9n, 9n]);
});

test("a missing index, near or far, is refused with its offset", () => {
  for (const index of [7, 5000, 2 ** 31]) {
    const data = bytes("N", "r", u32(2 ** 30), "j", u32(index), ".");
    assert.throws(
      () => loads(data),
      (e: unknown) => e instanceof UnpicklingError && e.message === `Memo value not found at index ${index} (offset 6, LONG_BINGET)`,
    );
  }
});

test("many pickles in one input each start with an empty memo", () => {
  const data = bytes("X", u32(1), "aq\x00.", "X", u32(1), "b", "r", u32(2 ** 30), "h\x00.");
  const it = loadsAll(data);
  assert.is(it.next().value, "a");
  assert.throws(
    () => it.next(),
    (e: unknown) => e instanceof UnpicklingError && /Memo value not found at index 0/.test(e.message),
  );
});

test("the typed exact reader: a chain of far puts in a generated loader's input costs no more than the general reader", () => {
  const root = Object.assign(new Category(), { name: "root", parent: null, children: [] as Category[] });
  for (let i = 0; i < 40; i++) root.children.push(Object.assign(new Category(), { name: `n${i}`, parent: null, children: [] }));
  const plain = dumpsCategory(root);
  // The same pickle, unframed, its MEMOIZEs from the 7th on turned into LONG_BINPUTs at 1000,
  // 3000, 7000, … (capped at 2^32-1) and its gets renumbered to match: CPython's layout but for the indices.
  const renumbered = runPython(
    [
      "-c",
      `
import pickletools, struct, sys
d = sys.stdin.buffer.read()
ops = list(pickletools.genops(d))
out, new, k, index = bytearray(), {}, 0, 1000
for i, (op, arg, pos) in enumerate(ops):
    raw = d[pos:ops[i + 1][2] if i + 1 < len(ops) else len(d)]
    if op.name == 'FRAME':
        continue
    if op.name == 'MEMOIZE':
        new[k] = k if k < 6 else min(index, 2**32 - 1)
        if k >= 6:
            index = index * 2 + 1000
        out += raw if k < 6 else b'r' + struct.pack('<I', new[k])
        k += 1
    elif op.name in ('BINGET', 'LONG_BINGET'):
        out += b'j' + struct.pack('<I', new[arg])
    else:
        out += raw
sys.stdout.write(out.hex())
`,
    ],
    plain,
  );
  const data = new Uint8Array(Buffer.from(renumbered, "hex"));
  const before = heapNow();
  const start = performance.now();
  const value = loadsCategory(data);
  assert.ok(performance.now() - start < HANG_GUARD_MS);
  assert.ok(heapNow() - before < 16 << 20, "no sparse memo array");
  assert.equal(JSON.stringify(toTagged(value.children.map((c) => c.name))), JSON.stringify(toTagged(root.children.map((c) => c.name))));
});

test.run();
