// What numpy typed fields refuse, with the field's path: an array of another dtype on load (never
// converted), a numpy scalar where the schema says a plain float (and the other way round), and on
// dump, data that does not fit the dtype, the shape or the order.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PicklingError, T, dumpsTyped, loadsTyped } from "typed-pickle";
import { Model, Stats } from "../../schemas/ml.ts";
import { dumpsModel, dumpsStats, loadsModel } from "../../generated/ml.ts";
import { fromHex, runPython } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";
import { numpyKind } from "../../generator/schema/numpy-kinds.ts";

const test = suite("numpy typed fields: refusals");

// One python3 call: numpy's pickles the tests refuse or read.
const [float32Model, float64Scalar, plainFloat, float32Scalar, badCodePoint] = runPython([
  "-c",
  `import pickle, numpy as np
from myapp.ml import Model
# the last: a str array holding 0x110000 (numpy makes one by a view; no character has that code)
bad = np.array([0x41, 0x110000], np.uint32).view("<U1")
for v in (Model(np.zeros((2, 2), np.float32), np.arange(2)), np.float64(1.5), 1.5, np.float32(2.5), bad):
    print(pickle.dumps(v, protocol=4).hex())`,
])
  .trim()
  .split("\n")
  .map(fromHex) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];

test("a float32 array where the schema says float64 is refused with the field's path, dtype and offset", () => {
  const e = refusal(() => loadsModel(float32Model));
  assert.match(e.message, "Model.weights: expected numpy.ndarray[float64], got a float32 array (dtype '<f4')");
  assert.ok(e.offset > 0, "the error names where the array was made");
});

test("a str array holding a code point beyond U+10FFFF is refused, not turned into a string", () => {
  assert.match(refusal(() => loadsTyped(T.ndarrayStr, badCodePoint)).message, "item 1 holds 1114112, beyond the last code point U+10FFFF");
});

test("numpy scalars have types of their own: np.float64 reads one, float refuses it (numpy's globals are not in float's allowlist)", () => {
  assert.is(loadsTyped(T.npFloat64, float64Scalar), 1.5);
  assert.match(refusal(() => loadsTyped(T.float, float64Scalar)).message, /numpy\._core\.multiarray\.scalar/);
  assert.match(refusal(() => loadsTyped(T.npFloat64, plainFloat)).message, "expected numpy.float64, got float");
  assert.match(refusal(() => loadsTyped(T.npFloat64, float32Scalar)).message, "expected numpy.float64, got numpy.float32");
  assert.is(loadsTyped(T.npFloat32, float32Scalar), 2.5);
});

const model = (weights: unknown, labels: unknown = { data: new BigInt64Array(2), shape: [2], order: "C" }) => Object.assign(new Model(), { weights, labels });

test("dumps refuse data of another typed array, a shape that does not match, an unknown order", () => {
  const cases: [unknown, string][] = [
    [{ data: new Float32Array(4), shape: [2, 2], order: "C" }, "Model.weights: expected the data of numpy.ndarray[float64] in a Float64Array, got a Float32Array"],
    [{ data: new Float64Array(5), shape: [2, 3], order: "C" }, "Model.weights: shape (2, 3) of numpy.ndarray[float64] needs 6 values, data has 5"],
    [{ data: new Float64Array(1), shape: [1.5], order: "C" }, "Model.weights: the shape of numpy.ndarray[float64] must be an array of non-negative integers"],
    [{ data: new Float64Array(1), shape: [1], order: "K" }, `Model.weights: the order of numpy.ndarray[float64] must be "C" or "F", got string K`],
    [new Float64Array(3), "Model.weights: the shape of numpy.ndarray[float64] must be an array"],
    [null, "Model.weights: expected { data, shape, order } for numpy.ndarray[float64], got null"],
  ];
  for (const [weights, message] of cases) assert.match(refusal(() => dumpsModel(model(weights)), PicklingError).message, message);
});

test("a bool array holds 0 and 1; complex data holds two numbers per item", () => {
  const flags = { data: Uint8Array.of(1, 2), shape: [2], order: "C" as const };
  assert.match(refusal(() => dumpsTyped(T.ndarrayBool, flags), PicklingError).message, "a bool array holds 0 or 1, got 2 at data[1]");
  const complex = { data: Float64Array.of(1, 2, 3), shape: [2], order: "C" as const };
  assert.match(refusal(() => dumpsTyped(T.ndarrayComplex128, complex), PicklingError).message, "shape (2,) of numpy.ndarray[complex128] needs 4 values, data has 3");
});

test("numpy scalars refuse values their dtype cannot hold", () => {
  const stats = Object.assign(new Stats(), { mean: 0, f4: 0, f2: 0, count: 0n, i4: 0, i2: 0, i1: 300, u8: 0n, u4: 0, u2: 0, u1: 0, ok: true, no: false });
  assert.match(refusal(() => dumpsStats(stats), PicklingError).message, "Stats.i1: expected an integer in -128…127 for numpy.int8, got number 300");
  assert.match(refusal(() => dumpsStats(Object.assign(stats, { i1: 0, count: 3 as unknown as bigint })), PicklingError).message, "expected a bigint in");
  assert.match(refusal(() => dumpsTyped(T.npUint64, -1n), PicklingError).message, "expected a bigint in 0…18446744073709551615 for numpy.uint64, got bigint -1");
  assert.match(refusal(() => dumpsTyped(T.npBool, 1 as unknown as boolean), PicklingError).message, "expected a boolean for numpy.bool_, got number 1");
});

test("the generator maps ndarray's type arguments to a dtype, and says which dtypes an array type holds", () => {
  assert.equal(numpyKind("ndarray", "Float64Array", undefined), { kind: "ndarrayFloat64" });
  assert.equal(numpyKind("ndarray", undefined, undefined), { kind: "ndarrayFloat64" });
  assert.equal(numpyKind("ndarray", "Uint8Array", "bool"), { kind: "ndarrayBool" });
  assert.equal(numpyKind("ndarray", "Float32Array", "complex64"), { kind: "ndarrayComplex64" });
  assert.equal(numpyKind("int64", undefined, undefined), { kind: "npInt64" });
  assert.equal(numpyKind("ndarray", "Float64Array", "int8"), { error: 'a Float64Array holds dtype "float64" or "complex128", not "int8"' });
  assert.match((numpyKind("ndarray", "Uint8ClampedArray", undefined) as { error: string }).error, "not 'Uint8ClampedArray'");
});

test.run();
