// numpy's values as numpy reduces them (ndarray.__reduce_ex__, dtype.__reduce__, a scalar's
// __reduce__), for the save loop to write with save_reduce: the same calls, arguments and memo
// identities as numpy 1.x or 2.x, so the bytes are numpy's own at protocols 2–5.
import { PickleBuffer, PyGlobal } from "../model/objects.ts";
import { FreshBytes, FreshStr, FreshTuple, type MemoKey, type Reduction } from "../writer/reduction.ts";
import { bytesOfData, inversePermutation, transposed } from "./element-bytes.ts";
import { NUMPY_MODULES } from "./modules.ts";
import { scalarBytes } from "./scalar-value.ts";
import { NdArray, NumpyDtype, type NumpyGeneration, NumpyScalar } from "./ndarray.ts";

const G_DTYPE = new PyGlobal("numpy", "dtype");
const G_NDARRAY = new PyGlobal("numpy", "ndarray");
const globals = (g: NumpyGeneration) => ({
  reconstruct: new PyGlobal(NUMPY_MODULES[g].multiarray, "_reconstruct"),
  frombuffer: new PyGlobal(NUMPY_MODULES[g].numeric, "_frombuffer"),
  scalar: new PyGlobal(NUMPY_MODULES[g].multiarray, "scalar"),
});
const GLOBALS = { 1: globals(1), 2: globals(2) };

/** The b'b' of `_reconstruct(ndarray, (0,), b'b')`: a one-byte bytes, a singleton in CPython. */
const TYPECODE_B = Uint8Array.of(0x62);

/**
 * __reduce_ex__ of an NdArray, NumpyDtype or NumpyScalar, memoized as `memo`; undefined for any
 * other value. `generation` (the write option) overrides the value's own; numpy 2 is the default.
 */
export function numpyReduction(v: object, memo: MemoKey, protocol: number, generation: NumpyGeneration | undefined): Reduction | undefined {
  if (v instanceof NdArray) return arrayReduction(v, memo, protocol, generation ?? v.generation ?? 2);
  if (v instanceof NumpyDtype) return dtypeReduction(v, memo);
  if (v instanceof NumpyScalar) return scalarReduction(v, memo, generation ?? v.generation ?? 2);
  return undefined;
}

/** `numpy.dtype(code, False, True)` + BUILD of the version 3 state (descriptor.c, arraydescr_reduce). */
function dtypeReduction(d: NumpyDtype, memo: MemoKey): Reduction {
  // Flexible types carry their size and alignment (and str the NPY_NEEDS_INIT-style flag numpy sets).
  const [elsize, alignment, flags] = d.type === "bytes" ? [d.itemSize, 1, 0] : d.type === "str" ? [d.itemSize, 4, 8] : [-1, -1, 0];
  const state = new FreshTuple([3n, new FreshStr(d.byteOrder), null, null, null, BigInt(elsize), BigInt(alignment), BigInt(flags)]);
  return { kind: "reduce", callable: G_DTYPE, args: [new FreshStr(d.code), false, true], state, memo };
}

/** Whether a layout with these dimensions is C- and F-contiguous at once (numpy ignores unit dims; empty arrays are both). */
function bothContiguous(shape: readonly number[]): boolean {
  return shape.includes(0) || shape.filter((d) => d !== 1).length <= 1;
}

/** The shape as numpy's tuple of ints (made anew for every array). */
const shapeTuple = (shape: readonly number[]) => new FreshTuple(shape.map((d) => BigInt(d)));

function arrayReduction(a: NdArray, memo: MemoKey, protocol: number, generation: NumpyGeneration): Reduction {
  const g = GLOBALS[generation];
  const perItem = a.dtype.valuesPerItem;
  // numpy ≥ 2.3 writes an array contiguous only under an axis permutation as 'K'; numpy 1 falls back
  // to the protocol-2 form for it. (A permutation of unit dimensions only leaves the array C-ordered.)
  const k = a.axisOrder !== null && !isIdentityOnNonUnit(a.axisOrder, a.shape) ? a.axisOrder : null;
  const fortran = a.order === "F" && !bothContiguous(a.shape);
  if (protocol >= 5 && a.dtype.itemSize > 0 && !a.strided && (k === null || generation === 2)) {
    if (k !== null) {
      // The buffer is the array's memory: the C-order data of the shape that `k` transposes into it.
      const inverse = inversePermutation(k);
      const memory = transposed(a.data, a.shape, inverse, perItem);
      const memoryShape = shapeTuple(inverse.map((i) => a.shape[i]!));
      const args = [pickleBuffer(a, memory), a.dtype, memoryShape, new FreshStr("K"), new FreshTuple(k.map((i) => BigInt(i)))];
      return { kind: "reduce", callable: g.frombuffer, args, memo };
    }
    const args = [pickleBuffer(a, a.data), a.dtype, shapeTuple(a.shape), new FreshStr(fortran ? "F" : "C")];
    return { kind: "reduce", callable: g.frombuffer, args, memo };
  }
  // tobytes in the array's order: Fortran for a Fortran-only array, else C (the model's C data).
  const raw = bytesOfData(a.dtype, a.data);
  const state = new FreshTuple([1n, shapeTuple(a.shape), a.dtype, fortran, new FreshBytes(raw)]);
  return { kind: "reduce", callable: g.reconstruct, args: [G_NDARRAY, new FreshTuple([0n]), new FreshBytes(TYPECODE_B)], state, memo };
}

/** True when `axes` keeps every dimension longer than 1 in place relative to the others. */
function isIdentityOnNonUnit(axes: readonly number[], shape: readonly number[]): boolean {
  if (shape.includes(0)) return true;
  let last = -1;
  for (let i = 0; i < axes.length; i++) {
    if (shape[i] === 1) continue;
    if (axes[i]! < last) return false;
    last = axes[i]!;
  }
  return true;
}

/** PickleBuffer(array): the array's bytes in its dtype's order; read-only when the array is. */
function pickleBuffer(a: NdArray, data: NdArray["data"]): PickleBuffer {
  return new PickleBuffer(bytesOfData(a.dtype, data), a.readonly);
}

/** `scalar(dtype, raw)`: the item's bytes in the dtype's order. */
function scalarReduction(s: NumpyScalar, memo: MemoKey, generation: NumpyGeneration): Reduction {
  return { kind: "reduce", callable: GLOBALS[generation].scalar, args: [s.dtype, new FreshBytes(scalarBytes(s))], memo };
}
