// The value bytes of Django's Redis cache without Redis: which stored bytes RedisSerializer.loads takes
// as an int (Python's int() on bytes, checked against python3), and which values Node stores as an
// int's decimal text instead of a pickle (Django's `type(obj) is int`: not bools, not ints in a tuple).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, PyTuple, T, dumps, loads } from "../../runtime/index.ts";
import { cacheValueBytes, pythonIntOf, readCacheValue, readTypedCacheValue, typedCacheValueBytes } from "../../runtime/integrations/django/index.ts";
import { runPython, toHex } from "../support/python.ts";

const test = suite("integrations/django-values");

const ascii = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test("pythonIntOf agrees with Python's int() on bytes", () => {
  const samples = [
    "42",
    "-7",
    "+5",
    "007",
    "-0",
    " 5\n",
    "\t\v\f\r12 ",
    "1_000",
    "1__0",
    "_1",
    "1_",
    "+_5",
    "",
    " ",
    "-",
    "5 5",
    "1e3",
    "1.0",
    "0x10",
    "\u00a05",
    "\x1c5",
    "\x005",
    "12\x00",
    "５",
    "١٢",
    "9".repeat(4300),
    "9".repeat(4301),
    `${"1_".repeat(2500)}1`,
  ].map((sample): Uint8Array => ascii(sample));
  samples.push(dumps("a string", { protocol: 5 }), dumps(12n, { protocol: 0 }), new Uint8Array([0x80, 0x05, 0x4b, 0x2a, 0x2e]));
  const python = JSON.parse(runPython(["django_int_text.py"], JSON.stringify(samples.map(toHex)))) as (string | null)[];
  for (const [i, sample] of samples.entries()) assert.is(pythonIntOf(sample)?.toString() ?? null, python[i], JSON.stringify(text(sample)));
});

test("an int's text reads as an int; anything else as a pickle", () => {
  assert.is(readCacheValue(ascii(" 12 ")), 12n);
  assert.is(readTypedCacheValue(T.int, ascii("-3")), -3);
  assert.is(readTypedCacheValue(T.bigint, ascii("123456789012345678901234567890")), 123456789012345678901234567890n);
  assert.is(readCacheValue(dumps("12", { protocol: 5 })), "12");
  assert.throws(
    () => readTypedCacheValue(T.str, ascii("12")),
    (e: unknown) => e instanceof PickleError,
  );
  assert.throws(
    () => readCacheValue(ascii("12abc")),
    (e: unknown) => e instanceof PickleError,
    "neither an int nor a pickle",
  );
});

test("ints are stored as decimal text, bools and everything else as pickles", () => {
  assert.is(text(cacheValueBytes(42n)), "42");
  assert.is(text(cacheValueBytes(-(2n ** 3000n))), (-(2n ** 3000n)).toString(), "LONG4");
  assert.is(text(cacheValueBytes(-(10n ** 4299n))), (-(10n ** 4299n)).toString(), "4300 digits: int() takes them");
  const tooLong = 10n ** 4300n;
  assert.equal(cacheValueBytes(tooLong), dumps(tooLong, { protocol: 5 }), "4301 digits: int() refuses them, so a pickle");
  assert.is(readCacheValue(cacheValueBytes(tooLong), { limits: { maxIntDigits: 5000 } }), tooLong);
  assert.is(text(typedCacheValueBytes(T.int, 300)), "300");
  assert.is(text(typedCacheValueBytes(T.int, 70000)), "70000");
  assert.is(text(cacheValueBytes(5n, { protocol: 0 })), "5");
  assert.is(text(cacheValueBytes(7, { numbers: "auto" })), "7");
  for (const value of [true, false, 2.5, 7, "42", new PyTuple([1n, 2n]), [1n], null]) {
    const stored = cacheValueBytes(value);
    assert.equal(stored, dumps(value, { protocol: 5 }), String(value));
    assert.equal(loads(stored), value);
  }
  assert.equal(cacheValueBytes(true, { protocol: 0 }), ascii("I01\n."), "a protocol-0 bool starts like an int");
  assert.equal(typedCacheValueBytes(T.tuple(T.int, T.str), [1, "a"]), dumps(new PyTuple([1n, "a"]), { protocol: 5 }));
});

test.run();
