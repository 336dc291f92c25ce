// Hostile input: each attack is refused (or read) in bounded time and memory, always with an
// UnpicklingError that says where.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyTuple, UnpicklingError, loads, type PyValue, type ReadOptions } from "../../runtime/index.ts";
import { toTagged } from "../../runtime/format/tagged-json.ts";
import { corpus } from "../support/corpus.ts";
import { fromHex } from "../support/python.ts";

const bytes = (...parts: (string | Uint8Array | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p as Uint8Array))));

/** Runs `fn`, returning its error (which must be an UnpicklingError) and the time it took. */
function refused(data: Uint8Array, options?: ReadOptions): { error: UnpicklingError; ms: number } {
  const start = performance.now();
  try {
    loads(data, options);
  } catch (e) {
    const ms = performance.now() - start;
    if (!(e instanceof UnpicklingError)) throw new Error(`expected UnpicklingError, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
    return { error: e, ms };
  }
  throw new Error("the pickle was accepted");
}

function memoryNow(): number {
  global.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * A hang guard, not a performance assertion: an attack that is quadratic or exponential runs for
 * minutes or forever at these sizes, a linear one for well under a second. Speed is measured in bench/.
 */
const HANG_GUARD_MS = 20_000;

const test = suite("hostile input");

const DEEP = 1_000_000;

test("1,000,000 nested tuples: refused by the depth limit, read without stack overflow when allowed", () => {
  const data = bytes("(".repeat(DEEP), "t".repeat(DEEP), ".");
  const { error } = refused(data);
  assert.match(error.message, /nesting depth exceeds the limit of 10000/);
  let v = loads(data, { limits: { maxDepth: Infinity } });
  let depth = 0;
  while (v instanceof PyTuple && v.items.length === 1) ((v = v.items[0]!), depth++);
  assert.is(depth, DEEP - 1);
  assert.ok(v instanceof PyTuple && v.items.length === 0);
});

test("1,000,000 nested lists: the same, and the tagged form is built without recursion", () => {
  const data = bytes("]".repeat(DEEP), "a".repeat(DEEP - 1), ".");
  assert.match(refused(data).error.message, /nesting depth/);
  const v = loads(data, { limits: { maxDepth: Infinity } });
  const tagged = toTagged(v);
  let node = tagged as { list: unknown[] };
  let depth = 1;
  while (node.list.length === 1) ((node = node.list[0] as { list: unknown[] }), depth++);
  assert.is(depth, DEEP);
});

test("nesting through the memo (no stack growth) is measured too", () => {
  // ] p0 ] g0 a p1 ] g1 a … : each new list holds the previous one, the stack stays small.
  const parts = ["]p0\n"];
  for (let i = 1; i < 20_000; i++) parts.push(`]g${i - 1}\nap${i}\n0`);
  parts.push(`g19999\n.`);
  assert.match(refused(bytes(...parts)).error.message, /nesting depth/);
});

test("a 10-byte pickle that claims 4 GiB allocates nothing large", () => {
  for (const [name, data] of [
    ["BINUNICODE", bytes("X", [0xff, 0xff, 0xff, 0xff], "abcd.")],
    ["BINBYTES8", bytes([0x8e], [0, 0, 0, 0, 1, 0, 0, 0], "x.")],
    ["BYTEARRAY8", bytes([0x96], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], ".")],
    ["BINUNICODE8", bytes([0x8d], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], ".")],
    ["FRAME", bytes([0x80, 4, 0x95], [0, 0, 0, 0, 1, 0, 0, 0], "N.")],
    ["LONG4", bytes([0x8b], [0xff, 0xff, 0xff, 0x7f], ".")],
  ] as const) {
    const before = memoryNow();
    const { error, ms } = refused(data);
    const grew = memoryNow() - before;
    assert.ok(ms < HANG_GUARD_MS, `${name} took ${ms} ms`);
    assert.ok(grew < 16 << 20, `${name} grew memory by ${grew} bytes`);
    assert.ok(error.offset >= 0 && error.opcode !== "", `${name}: ${error.message}`);
  }
});

test("BYTEARRAY8 checks its bytes are there before it allocates", () => {
  // 4 GiB, just over, and 512 GiB, claimed by 14-byte pickles (in and out of a frame).
  for (const size of [2 ** 32, 2 ** 32 + 5, 2 ** 39]) {
    const length = [size % 256, (size >>> 8) % 256, (size >>> 16) % 256, (size >>> 24) % 256, Math.floor(size / 2 ** 32) % 256, 0, 0, 0];
    for (const data of [bytes("\x80\x05\x96", length, "abc."), bytes("\x80\x05\x95", [13, 0, 0, 0, 0, 0, 0, 0], "\x96", length, "abc.")]) {
      const before = memoryNow();
      const { error, ms } = refused(data);
      assert.ok(memoryNow() - before < 16 << 20, `${size}: memory grew`);
      assert.ok(ms < HANG_GUARD_MS);
      assert.match(error.message, /pickle data was truncated \(offset \d+, BYTEARRAY8\)/);
      assert.not.match(error.message, /RangeError|Array buffer|Invalid/);
    }
  }
});

test("a UNICODE line of 400,000 escapes (2.4 MB) reads in linear time", () => {
  // Protocol 0 writes bytes(n) so: _codecs.encode of a latin-1 str whose NULs are backslash-u0000 escapes.
  const start = performance.now();
  assert.is((loads(bytes("V", "\\u0000".repeat(400_000), "\n.")) as string).length, 400_000);
  assert.ok(performance.now() - start < HANG_GUARD_MS);
});

test("memo size limit", () => {
  const data = bytes("N", "\x94".repeat(2000), ".");
  assert.match(refused(bytes([0x80, 4]), { limits: { maxMemo: 1000 } }).error.message, /truncated|Ran out/);
  assert.match(refused(data, { limits: { maxMemo: 1000 } }).error.message, /memo holds more than 1000 entries/);
  assert.is(loads(data), null);
});

test("a huge memo index does not allocate an array of that size", () => {
  const before = memoryNow();
  assert.is(loads(bytes("N", "r", [0xff, 0xff, 0xff, 0xff], "0j", [0xff, 0xff, 0xff, 0xff], ".")), null);
  assert.ok(memoryNow() - before < 16 << 20);
});

test("items per container limit", () => {
  const list = bytes("](", "K\x01".repeat(2000), "e.");
  assert.match(refused(list, { limits: { maxContainerItems: 1000 } }).error.message, /more than 1000 items/);
  const dict = bytes("}(", "K\x01K\x02K\x03K\x04", "u.");
  assert.match(refused(dict, { limits: { maxContainerItems: 1 } }).error.message, /more than 1 items/);
  assert.equal((loads(dict, { limits: { maxContainerItems: 2 } }) as Map<unknown, unknown>).size, 2);
  const mark = bytes("(", "N".repeat(2000), "t.");
  assert.match(refused(mark, { limits: { maxContainerItems: 1000 } }).error.message, /more than 1000 items/);
});

test("big int digit limits: text INT/LONG refused before conversion, LONG1/LONG4 by size", () => {
  const digits = "7".repeat(200_000);
  for (const data of [bytes("L", digits, "L\n."), bytes("I", digits, "\n.")]) {
    const { error, ms } = refused(data);
    assert.match(error.message, /limit \(4300 digits\)/);
    assert.ok(ms < HANG_GUARD_MS, `took ${ms} ms`);
  }
  const long4 = bytes([0x8b], [0x40, 0x0d, 0x03, 0x00], new Uint8Array(200_000), ".");
  assert.match(refused(long4).error.message, /more than 4300 digits/);
  // Within the limit, or with it raised, they read exactly.
  assert.is(loads(bytes("L", "7".repeat(4300), "L\n.")), BigInt("7".repeat(4300)));
  assert.is(loads(bytes("L", digits, "L\n."), { limits: { maxIntDigits: 300_000 } }), BigInt(digits));
});

test("a reduction that copies a memoised value many times is stopped by the allocation limit", () => {
  // A 1 MB str, memoised, then bytes(_codecs.encode(str)) 5000 times: 5 GB of copies from 1 MB.
  const str = "x".repeat(1 << 20);
  const parts: (string | number[])[] = ["\x80\x02]q\x00(c_codecs\nencode\nq\x01X", [0, 0, 0x10, 0], str, "q\x02X\x06\x00\x00\x00latin1q\x03\x86q\x04R"];
  for (let i = 0; i < 5000; i++) parts.push("h\x01h\x02h\x03\x86R");
  parts.push("e.");
  const before = memoryNow();
  const { error, ms } = refused(bytes(...parts));
  assert.match(error.message, /allocation exceeds 64× the input size/);
  assert.ok(memoryNow() - before < 512 << 20, "stopped long before gigabytes");
  assert.ok(ms < HANG_GUARD_MS, `took ${ms} ms`);
});

test("MARK-heavy input is linear", () => {
  const n = 1_000_000;
  for (const data of [
    bytes("(".repeat(n), "1".repeat(n), "N."),
    bytes("(N".repeat(n), "0".repeat(n * 2), "N."),
    bytes("(".repeat(n), "N."),
    bytes("N(".repeat(n), "l".repeat(n), "."),
  ]) {
    const start = performance.now();
    try {
      loads(data, { limits: { maxDepth: Infinity } });
    } catch (e) {
      assert.ok(e instanceof UnpicklingError, String(e));
    }
    assert.ok(performance.now() - start < HANG_GUARD_MS, `took ${performance.now() - start} ms`);
  }
});

test("a 40-level tuple DAG used as a dict key, a set member and shown as JSON does not hang", () => {
  // t0 = (1,); t(k+1) = (tk, tk): 2^40 paths, 41 objects.
  const dag = bytes("K\x01\x85", "2\x86".repeat(40));
  const start = performance.now();
  const dict = loads(bytes("}", dag, "N", "s.")) as Map<PyValue, PyValue>;
  assert.is(dict.size, 1);
  const set = loads(bytes("\x80\x04\x8f(", dag, "2", "\x90.")) as Set<unknown>;
  assert.is(set.size, 1, "the same tuple twice is one member");
  const tagged = JSON.stringify(toTagged(dict));
  assert.ok(tagged.length < 5000);
  const twoEqual = loads(bytes("}", dag, "N", "s", dag, "K\x02", "s.")) as Map<unknown, unknown>;
  assert.is(twoEqual.size, 1, "two equal DAG keys are one key, as in Python");
  assert.is([...twoEqual.values()][0], 2n);
  assert.ok(performance.now() - start < HANG_GUARD_MS);
});

test("the first fault in stream order is the one reported", () => {
  // A bad GET (offset 1) before a truncated BINUNICODE (offset 6).
  const { error } = refused(bytes("Ng9\nX", [9, 0, 0, 0], "ab"));
  assert.is(error.offset, 1);
  assert.is(error.opcode, "GET");
  assert.match(error.message, /Memo value not found at index 9 \(offset 1, GET\)/);
});

test("refusals name the global, the offset and the opcode", () => {
  const { error } = refused(bytes("cos\nsystem\n(S'echo hi'\ntR."));
  assert.is(error.message, "global 'os.system' is not allowed (offset 0, GLOBAL)");
  const stack = refused(bytes("\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x93\x94.")).error;
  assert.is(stack.message, "global 'os.system' is not allowed (offset 16, STACK_GLOBAL)");
  const getattr = refused(bytes("\x80\x02c__builtin__\ngetattr\ncos\nsystem\n")).error;
  assert.match(getattr.message, /os\.system/);
});

test("random corruption of valid pickles only ever raises UnpicklingError", () => {
  const samples = corpus().filter((c) => c.ok && c.hex.length < 2000);
  let seed = 12345;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  let errors = 0;
  for (let i = 0; i < 30_000; i++) {
    const data = fromHex(samples[rand(samples.length)]!.hex);
    for (let k = 0, flips = 1 + rand(3); k < flips; k++) data[rand(data.length)] = rand(256);
    try {
      loads(data, { mode: i % 2 ? "opaque" : "strict" });
    } catch (e) {
      errors++;
      if (!(e instanceof UnpicklingError)) throw new Error(`${Buffer.from(data).toString("hex")}: ${(e as Error).constructor.name}: ${(e as Error).message}`);
    }
  }
  assert.ok(errors > 10_000, `only ${errors} of the corrupted pickles were refused`);
});

test.run();
