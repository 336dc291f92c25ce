// Malformed numpy pickles: every one is refused with an UnpicklingError at the offending opcode, in
// strict and opaque mode alike, before anything is sized from a claimed shape.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { NumpyUnsupportedError, PickleBuffer, PyGlobal, PyObject, PyTuple, UnpicklingError, dumps, loads, type PyValue } from "../../runtime/index.ts";

const G = (module: string, name: string) => new PyGlobal(module, name);

/** A recorded call `callable(*args)` with BUILD `state`: the writer writes exactly that. */
function call(callable: PyGlobal, args: PyValue[], state?: PyValue): PyObject {
  const o = new PyObject(callable, args, null, "reduce");
  if (state !== undefined) o.state = state;
  return o;
}

const t = (...items: PyValue[]) => new PyTuple(items);
const F8_STATE = t(3n, "<", null, null, null, -1n, -1n, 0n);
const dtype = (code: string, state: PyValue = F8_STATE) => call(G("numpy", "dtype"), [code, false, true], state);
const reconstructed = (state: PyValue, args: PyValue[] = [G("numpy", "ndarray"), t(0n), Uint8Array.of(0x62)]) => call(G("numpy._core.multiarray", "_reconstruct"), args, state);
const frombuffer = (...args: PyValue[]) => call(G("numpy._core.numeric", "_frombuffer"), args);
const bytes = (n: number) => new Uint8Array(n);

const CASES: [string, PyValue, RegExp][] = [
  ["a state of 3 items", reconstructed(t(1n, t(2n), dtype("f8"))), /expected 5 items/],
  ["an unknown state version", reconstructed(t(2n, t(2n), dtype("f8"), false, bytes(16))), /unsupported version 2/],
  ["a state that is not a tuple", reconstructed([1n]), /must be a tuple/],
  ["raw data one byte short", reconstructed(t(1n, t(2n), dtype("f8"), false, bytes(15))), /needs more data than the 15 bytes/],
  ["raw data one byte long", reconstructed(t(1n, t(2n), dtype("f8"), false, bytes(17))), /needs 16 data bytes, got 17/],
  ["a huge shape with little data", reconstructed(t(1n, t(2n ** 40n, 2n ** 40n), dtype("f8"), false, bytes(16))), /needs more data than the 16 bytes/],
  ["a product that overflows", reconstructed(t(1n, t(2n ** 30n, 2n ** 30n, 2n ** 30n, 2n ** 30n), dtype("f8"), false, bytes(16))), /needs more data/],
  ["a dimension past 2^53", reconstructed(t(1n, t(2n ** 64n), dtype("f8"), false, bytes(16))), /too big/],
  ["a negative dimension", reconstructed(t(1n, t(-2n), dtype("f8"), false, bytes(16))), /negative dimensions/],
  ["65 dimensions", reconstructed(t(1n, t(...new Array<bigint>(65).fill(1n)), dtype("f8"), false, bytes(8))), /maximum supported dimension/],
  ["a str shape", reconstructed(t(1n, "ab", dtype("f8"), false, bytes(16))), /shape must be a tuple/],
  ["data in a non-empty array with a zero dimension", reconstructed(t(1n, t(0n, 2n ** 40n), dtype("f8"), false, bytes(8))), /no elements/],
  ["an int where the dtype goes", reconstructed(t(1n, t(2n), 5n, false, bytes(16))), /expected a numpy.dtype/],
  ["a list where the raw data goes", reconstructed(t(1n, t(2n), dtype("f8"), false, [1n])), /expected bytes/],
  [
    "_reconstruct of another shape",
    reconstructed(t(1n, t(2n), dtype("f8"), false, bytes(16)), [G("numpy", "ndarray"), t(10n ** 9n), Uint8Array.of(0x62)]),
    /expected the shape \(0,\)/,
  ],
  ["_reconstruct of another type code", reconstructed(t(1n, t(2n), dtype("f8"), false, bytes(16)), [G("numpy", "ndarray"), t(0n), Uint8Array.of(0x64)]), /type code/],
  ["_reconstruct with 2 arguments", reconstructed(t(), [G("numpy", "ndarray"), t(0n)]), /takes 3 arguments/],
  ["a dtype state of version 5", reconstructed(t(1n, t(2n), dtype("f8", t(5n, "<", null, null, null, -1n, -1n, 0n)), false, bytes(16))), /version 3/],
  ["a dtype state with a bad byte order", reconstructed(t(1n, t(2n), dtype("f8", t(3n, "x", null, null, null, -1n, -1n, 0n)), false, bytes(16))), /invalid byte order/],
  ["a dtype state with fields on a number type", reconstructed(t(1n, t(2n), dtype("f8", t(3n, "<", null, t("a"), new Map(), -1n, -1n, 0n)), false, bytes(16))), /fields/],
  ["a str dtype of 5 bytes", reconstructed(t(1n, t(1n), dtype("U1", t(3n, "<", null, null, null, 5n, 4n, 8n)), false, bytes(5))), /invalid item size/],
  ["an unknown dtype code", reconstructed(t(1n, t(2n), dtype("q9"), false, bytes(16))), /not understood/],
  // Codes that name an Object.prototype property: the code table must not find them.
  ["a dtype code '__proto__'", reconstructed(t(1n, t(2n), dtype("__proto__"), false, bytes(16))), /not understood/],
  ["a dtype code 'toString'", reconstructed(t(1n, t(2n), dtype("toString"), false, bytes(16))), /not understood/],
  ["a dtype code that is not a str", reconstructed(t(1n, t(2n), call(G("numpy", "dtype"), [5n, false, true], F8_STATE), false, bytes(16))), /type code str/],
  ["_frombuffer with data one byte short", frombuffer(new PickleBuffer(bytes(15)), dtype("f8"), t(2n), "C"), /needs more data than the 15 bytes/],
  ["_frombuffer with a huge shape", frombuffer(new PickleBuffer(bytes(16)), dtype("f8"), t(2n ** 50n), "C"), /needs more data/],
  ["_frombuffer with order 'X'", frombuffer(new PickleBuffer(bytes(16)), dtype("f8"), t(2n), "X"), /order must be/],
  ["_frombuffer with order 'K' and no axes", frombuffer(new PickleBuffer(bytes(16)), dtype("f8"), t(2n), "K"), /not permitted/],
  ["_frombuffer with repeated axes", frombuffer(new PickleBuffer(bytes(32)), dtype("f8"), t(2n, 2n), "K", t(0n, 0n)), /axes don't match/],
  ["_frombuffer with too few axes", frombuffer(new PickleBuffer(bytes(32)), dtype("f8"), t(2n, 2n), "K", t(0n)), /axes don't match/],
  ["_frombuffer with an axis out of range", frombuffer(new PickleBuffer(bytes(32)), dtype("f8"), t(2n, 2n), "K", t(0n, 2n)), /axes don't match/],
  ["_frombuffer of a str", frombuffer("abcdefgh", dtype("f8"), t(1n), "C"), /bytes-like object is required/],
  ["_frombuffer of a zero-size dtype", frombuffer(new PickleBuffer(bytes(0)), dtype("S0", t(3n, "|", null, null, null, 0n, 1n, 0n)), t(0n), "C"), /itemsize cannot be zero/],
  ["a scalar with too few bytes", call(G("numpy._core.multiarray", "scalar"), [dtype("f8"), bytes(7)]), /needs 8 bytes, got 7/],
  [
    "a str scalar with a code point past U+10FFFF",
    call(G("numpy._core.multiarray", "scalar"), [dtype("U1", t(3n, "<", null, null, null, 4n, 4n, 8n)), Uint8Array.of(0, 0, 0x11, 0)]),
    /invalid code point/,
  ],
];

const test = suite("numpy: hostile pickles");

for (const protocol of [2, 5]) {
  test(`protocol ${protocol}: each malformed form is an UnpicklingError at its opcode, in both modes`, () => {
    const failures: string[] = [];
    for (const [name, value, reason] of CASES) {
      if (protocol < 5 && name.startsWith("_frombuffer")) continue; // PickleBuffer needs protocol 5
      const data = dumps(value, { protocol });
      for (const mode of ["strict", "opaque"] as const) {
        try {
          loads(data, { mode });
          failures.push(`${name} (${mode}): accepted`);
        } catch (e) {
          if (!(e instanceof UnpicklingError) || !(e.offset > 0) || !reason.test(e.message)) failures.push(`${name} (${mode}): ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
    assert.equal(failures, []);
  });
}

test("an object dtype is refused by name in strict mode and recorded in opaque mode", () => {
  const data = dumps(reconstructed(t(1n, t(1n), dtype("O8", t(3n, "|", null, null, null, -1n, -1n, 63n)), false, [null])), { protocol: 4 });
  assert.throws(
    () => loads(data),
    (e: unknown) => e instanceof NumpyUnsupportedError && /'O8' \(object\)/.test(e.message) && e.offset > 0,
  );
  const opaque = loads(data, { mode: "opaque" });
  assert.ok(opaque instanceof PyObject && opaque.className === "numpy._core.multiarray._reconstruct");
  assert.ok(opaque.state instanceof PyTuple && (opaque.state.items[2] as PyObject).className === "numpy.dtype");
});

test("dtype metadata is refused in strict mode and kept as the recorded dtype in opaque mode", () => {
  const state = t(4n, "<", null, null, null, -1n, -1n, 0n, new Map([["unit", "m"]]));
  const data = dumps(reconstructed(t(1n, t(2n), dtype("f8", state), false, bytes(16))), { protocol: 4 });
  assert.throws(
    () => loads(data),
    (e: unknown) => e instanceof NumpyUnsupportedError && /metadata/.test(e.message),
  );
  const opaque = loads(data, { mode: "opaque" }) as PyObject;
  assert.ok(opaque instanceof PyObject && (opaque.state as PyTuple).items[2] instanceof PyObject);
  assert.is(dumps(opaque, { protocol: 4 }).join(), data.join(), "the opaque record writes the same bytes");
});

test("numpy's globals can be left out: the standard allowlist refuses them", async () => {
  const { STANDARD_GLOBALS } = await import("../../runtime/index.ts");
  const data = dumps(reconstructed(t(1n, t(2n), dtype("f8"), false, bytes(16))), { protocol: 4 });
  assert.throws(
    () => loads(data, { globals: STANDARD_GLOBALS }),
    (e: unknown) => e instanceof UnpicklingError && /numpy\._core\.multiarray\._reconstruct' is not allowed/.test(e.message),
  );
});

test.run();
