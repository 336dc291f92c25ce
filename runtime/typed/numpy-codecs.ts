// Typed field codecs for numpy: arrays of one dtype ↔ `ndarray<A>` values ({ data, shape, order }),
// and numpy scalars ↔ plain numbers, bigints and booleans. They convert to and from the numpy model
// (runtime/numpy/ndarray.ts), which the reader builds by interpreting numpy's globals and the writer
// writes as numpy does; each codec brings those globals to a typed load's allowlist. The dtype is
// checked on load: a float32 array where the schema says float64 is refused, never converted.
//
// No fast paths: an array is read and written by the general reader and writer, whose cost is one
// copy of the data either way; the straight-line paths would add nothing for large arrays.
// (This file imports only types from codec.ts: codec.ts re-exports it, and a value imported back
// would be read before codec.ts had defined it.)
import { NdArray, type NdArrayData, NumpyDtype, NumpyScalar, type NumpyTypeName, elementCount } from "../numpy/ndarray.ts";
import type { PyValue } from "../model/value.ts";
import { typeName } from "../reader/dict-keys.ts";
import { withArticle } from "../format/indefinite-article.ts";
import { NUMPY_GLOBALS } from "../numpy/read-globals.ts";
import type { Codec, FromPy, ToPy } from "./codec.ts";
import type { DTypeOf, NumericArray, ndarray, ndarrayBytes as BytesArray, ndarrayStr as StrArray } from "./numpy-types.ts";

/** What a JS value is, for a refusal: "a Float32Array", "number 3", "null". */
function got(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "object") return withArticle((v as object).constructor?.name ?? "object");
  return `${typeof v} ${String(v)}`;
}

/** What a pickled value is, for a refusal: "a float32 array", "numpy.float32", "float". */
function pickled(v: PyValue): string {
  const x = v as unknown;
  if (x instanceof NdArray) return `a ${x.dtype.name} array (dtype '${x.dtype.str}')`;
  if (x instanceof NumpyScalar) return `numpy.${x.dtype.name === "bool" ? "bool_" : x.dtype.name}`;
  return typeName(v);
}

/** The shape as Python writes it: (2, 3), (4,), (). */
const shapeText = (shape: readonly number[]) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;

/** The parts every array codec shares: shape and order checked, sharing kept, the model made. */
interface ArrayKind<V extends { shape: number[]; order: "C" | "F" }> {
  type: NumpyTypeName;
  describe: string;
  /** The value's items as the model's data (refusing what numpy cannot hold), and the dtype. */
  toData(value: V, ctx: ToPy): { data: NdArrayData; dtype: NumpyDtype };
  /** The typed value of a model array of this kind. */
  fromArray(array: NdArray, ctx: FromPy): V;
}

function arrayCodec<V extends { shape: number[]; order: "C" | "F" }>(kind: ArrayKind<V>): Codec<V> {
  const { type, describe } = kind;
  const codec: Codec<V> = {
    describe,
    globals: NUMPY_GLOBALS,
    toPy(value, ctx) {
      if (typeof value !== "object" || value === null) ctx.fail(`expected { data, shape, order } for ${describe}, got ${got(value)}`);
      const known = ctx.seen.get(codec, value);
      if (known !== undefined) return known;
      const { shape, order } = value;
      if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
        ctx.fail(`the shape of ${describe} must be an array of non-negative integers, got ${got(shape)}`);
      }
      if (order !== "C" && order !== "F") ctx.fail(`the order of ${describe} must be "C" or "F", got ${got(order)}`);
      const { data, dtype } = kind.toData(value, ctx);
      const needed = elementCount(shape) * dtype.valuesPerItem;
      if (data.length !== needed) ctx.fail(`shape ${shapeText(shape)} of ${describe} needs ${needed} values, data has ${data.length}`);
      const array = new NdArray(dtype, [...shape], data, { order }) as unknown as PyValue;
      ctx.seen.set(codec, value, array);
      return array;
    },
    fromPy(v, ctx) {
      const x = v as unknown;
      if (!(x instanceof NdArray)) return ctx.fail(`expected ${describe}, got ${pickled(v)}`, v);
      if (x.dtype.type !== type) ctx.fail(`expected ${describe}, got ${pickled(v)}`, v);
      const known = ctx.seen.get(codec, x);
      if (known !== undefined) return known as V;
      const out = kind.fromArray(x, ctx);
      ctx.seen.set(codec, x, out);
      return out;
    },
    parts: () => [],
  };
  return codec;
}

/** An array of a numeric dtype (bool, float16 and complex included) ↔ its items in one typed array. */
function numericArray<A extends NumericArray, D extends DTypeOf<A> & NumpyTypeName>(type: D): Codec<ndarray<A, D>> {
  const dtype = NumpyDtype.of(type);
  const cls = dtype.dataClass;
  const describe = `numpy.ndarray[${type}]`;
  return arrayCodec<ndarray<A, D>>({
    type,
    describe,
    toData(value, ctx) {
      const data = value.data as unknown;
      if (!(data instanceof cls)) ctx.fail(`expected the data of ${describe} in ${withArticle(cls.name)}, got ${got(data)}`);
      if (value.dtype !== undefined && value.dtype !== type) ctx.fail(`a value of dtype '${String(value.dtype)}' in a field of ${describe}`);
      if (type === "bool") {
        const bytes = data as Uint8Array;
        for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 1) ctx.fail(`a bool array holds 0 or 1, got ${bytes[i]} at data[${i}]`);
      }
      return { data: data as NdArrayData, dtype };
    },
    fromArray: (array) => ({ data: array.data as A, shape: [...array.shape], order: array.order, dtype: type }),
  });
}

export const ndarrayBool = numericArray<Uint8Array, "bool">("bool");
export const ndarrayInt8 = numericArray<Int8Array, "int8">("int8");
export const ndarrayInt16 = numericArray<Int16Array, "int16">("int16");
export const ndarrayInt32 = numericArray<Int32Array, "int32">("int32");
export const ndarrayInt64 = numericArray<BigInt64Array, "int64">("int64");
export const ndarrayUint8 = numericArray<Uint8Array, "uint8">("uint8");
export const ndarrayUint16 = numericArray<Uint16Array, "uint16">("uint16");
export const ndarrayUint32 = numericArray<Uint32Array, "uint32">("uint32");
export const ndarrayUint64 = numericArray<BigUint64Array, "uint64">("uint64");
export const ndarrayFloat16 = numericArray<Uint16Array, "float16">("float16");
export const ndarrayFloat32 = numericArray<Float32Array, "float32">("float32");
export const ndarrayFloat64 = numericArray<Float64Array, "float64">("float64");
export const ndarrayComplex64 = numericArray<Float32Array, "complex64">("complex64");
export const ndarrayComplex128 = numericArray<Float64Array, "complex128">("complex128");

/** The widest item, in the unit `size` counts (at least 1: numpy's narrowest flexible dtype). */
function widest<T>(items: readonly T[], size: (item: T) => number): number {
  let n = 1;
  for (const item of items) n = Math.max(n, size(item));
  return n;
}

/** How many of the first `n` values of `data` from `start` remain once trailing NULs are dropped. */
function withoutTrailingNuls(data: ArrayLike<number>, start: number, n: number): number {
  let end = n;
  while (end > 0 && data[start + end - 1] === 0) end--;
  return end;
}

/** Fixed-width str (dtype 'U n') ↔ string[]: numpy stores UCS-4 code points, NUL-padded. */
export const ndarrayStr: Codec<StrArray> = arrayCodec<StrArray>({
  type: "str",
  describe: "numpy.ndarray[str]",
  toData(value, ctx) {
    const items = value.data as unknown;
    if (!Array.isArray(items) || !items.every((s) => typeof s === "string")) ctx.fail(`expected the data of numpy.ndarray[str] as an array of strings, got ${got(items)}`);
    const points = (items as string[]).map((s) => Array.from(s, (c) => c.codePointAt(0)!));
    const length = value.itemsize ?? widest(points, (p) => p.length);
    if (!Number.isSafeInteger(length) || length < 1) ctx.fail(`the itemsize of numpy.ndarray[str] must be a positive integer, got ${got(length)}`);
    const data = new Uint32Array(points.length * length);
    points.forEach((p, i) => {
      if (p.length > length) ctx.fail(`item ${i} has ${p.length} characters, more than the itemsize ${length}`);
      data.set(p, i * length);
    });
    return { data, dtype: NumpyDtype.of("str", { length }) };
  },
  fromArray(array, ctx) {
    const n = array.dtype.length;
    const points = array.data as Uint32Array;
    const items: string[] = [];
    for (let start = 0; start < points.length; start += n) {
      let s = "";
      for (let i = 0, end = withoutTrailingNuls(points, start, n); i < end; i++) {
        const c = points[start + i]!;
        if (c > 0x10ffff) ctx.fail(`item ${items.length} holds ${c}, beyond the last code point U+10FFFF`, array as unknown as PyValue);
        s += String.fromCodePoint(c);
      }
      items.push(s);
    }
    return { data: items, shape: [...array.shape], order: array.order, itemsize: n };
  },
});

/** Fixed-width bytes (dtype 'S n') ↔ Uint8Array[], NUL-padded in numpy. */
export const ndarrayBytes: Codec<BytesArray> = arrayCodec<BytesArray>({
  type: "bytes",
  describe: "numpy.ndarray[bytes]",
  toData(value, ctx) {
    const items = value.data as unknown;
    if (!Array.isArray(items) || !items.every((b) => b instanceof Uint8Array)) ctx.fail(`expected the data of numpy.ndarray[bytes] as an array of Uint8Arrays, got ${got(items)}`);
    const length = value.itemsize ?? widest(items as Uint8Array[], (b) => b.length);
    if (!Number.isSafeInteger(length) || length < 1) ctx.fail(`the itemsize of numpy.ndarray[bytes] must be a positive integer, got ${got(length)}`);
    const data = new Uint8Array((items as Uint8Array[]).length * length);
    (items as Uint8Array[]).forEach((b, i) => {
      if (b.length > length) ctx.fail(`item ${i} has ${b.length} bytes, more than the itemsize ${length}`);
      data.set(b, i * length);
    });
    return { data, dtype: NumpyDtype.of("bytes", { length }) };
  },
  fromArray(array) {
    const n = array.dtype.length;
    const bytes = array.data as Uint8Array;
    const items: Uint8Array[] = [];
    for (let start = 0; start < bytes.length; start += n) items.push(bytes.slice(start, start + withoutTrailingNuls(bytes, start, n)));
    return { data: items, shape: [...array.shape], order: array.order, itemsize: n };
  },
});

// ---- scalars ----

type ScalarValue = NumpyScalar["value"];

/**
 * A numpy scalar of one dtype ↔ a plain JS value. `toModel` gives the model's value, or undefined
 * for a value the dtype cannot hold (refused, naming the field).
 */
function scalarCodec<T>(type: NumpyTypeName, expect: string, fromModel: (v: ScalarValue) => T, toModel: (v: T) => ScalarValue | undefined): Codec<T> {
  const dtype = NumpyDtype.of(type);
  const describe = `numpy.${type === "bool" ? "bool_" : type}`;
  return {
    describe,
    globals: NUMPY_GLOBALS,
    toPy(v, ctx) {
      const value = toModel(v);
      if (value === undefined) return ctx.fail(`expected ${expect} for ${describe}, got ${got(v)}`);
      return new NumpyScalar(dtype, value) as unknown as PyValue;
    },
    fromPy(v, ctx) {
      const x = v as unknown;
      if (!(x instanceof NumpyScalar) || x.dtype.type !== type) return ctx.fail(`expected ${describe}, got ${pickled(v)}`, v);
      return fromModel(x.value);
    },
    parts: () => [],
  };
}

/** An int dtype of at most 32 bits ↔ number, range-checked on write. */
function smallInt(type: NumpyTypeName, min: number, max: number): Codec<number> {
  return scalarCodec<number>(
    type,
    `an integer in ${min}…${max}`,
    (v) => Number(v as bigint),
    (v) => (Number.isInteger(v) && v >= min && v <= max ? BigInt(v) : undefined),
  );
}

/** A 64-bit int dtype ↔ bigint, range-checked on write. */
function bigInt(type: NumpyTypeName, min: bigint, max: bigint): Codec<bigint> {
  return scalarCodec<bigint>(
    type,
    `a bigint in ${min}…${max}`,
    (v) => v as bigint,
    (v) => (typeof v === "bigint" && v >= min && v <= max ? v : undefined),
  );
}

/** A float dtype ↔ number (float16 and float32 round to the dtype when written, as numpy's constructors do). */
function floating(type: NumpyTypeName): Codec<number> {
  return scalarCodec<number>(
    type,
    "a number",
    (v) => v as number,
    (v) => (typeof v === "number" ? v : undefined),
  );
}

export const npBool = scalarCodec<boolean>(
  "bool",
  "a boolean",
  (v) => v as boolean,
  (v) => (typeof v === "boolean" ? v : undefined),
);
export const npInt8 = smallInt("int8", -128, 127);
export const npInt16 = smallInt("int16", -32768, 32767);
export const npInt32 = smallInt("int32", -2147483648, 2147483647);
export const npInt64 = bigInt("int64", -(2n ** 63n), 2n ** 63n - 1n);
export const npUint8 = smallInt("uint8", 0, 255);
export const npUint16 = smallInt("uint16", 0, 65535);
export const npUint32 = smallInt("uint32", 0, 4294967295);
export const npUint64 = bigInt("uint64", 0n, 2n ** 64n - 1n);
export const npFloat16 = floating("float16");
export const npFloat32 = floating("float32");
export const npFloat64 = floating("float64");
