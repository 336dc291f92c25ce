// What a schema author writes for numpy values: `ndarray<Float64Array>` for an array field and
// `np.float64`-style aliases for numpy scalars. Like the aliases of decorators.ts, they are read by
// the generator from the written type; at run time the codecs of numpy-codecs.ts do the work.

/** How an array's items lie in `data`: row-major ('C', numpy's default) or column-major ('F'). */
export type Order = "C" | "F";

/**
 * The numpy dtypes a typed field can hold, by the typed array their items go in. An array type
 * maps to its usual dtype; the others are named by the second argument of `ndarray`.
 */
export interface DTypes {
  Float64Array: "float64" | "complex128";
  Float32Array: "float32" | "complex64";
  Int8Array: "int8";
  Int16Array: "int16";
  Int32Array: "int32";
  BigInt64Array: "int64";
  Uint8Array: "uint8" | "bool";
  Uint16Array: "uint16" | "float16";
  Uint32Array: "uint32";
  BigUint64Array: "uint64";
}

/** The typed arrays an `ndarray` field holds its items in. */
export type NumericArray = Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

/** The dtypes an array type can hold: `"float64" | "complex128"` for Float64Array. */
export type DTypeOf<A extends NumericArray> = A extends Float64Array
  ? DTypes["Float64Array"]
  : A extends Float32Array
    ? DTypes["Float32Array"]
    : A extends BigInt64Array
      ? DTypes["BigInt64Array"]
      : A extends BigUint64Array
        ? DTypes["BigUint64Array"]
        : A extends Int8Array
          ? DTypes["Int8Array"]
          : A extends Int16Array
            ? DTypes["Int16Array"]
            : A extends Int32Array
              ? DTypes["Int32Array"]
              : A extends Uint16Array
                ? DTypes["Uint16Array"]
                : A extends Uint32Array
                  ? DTypes["Uint32Array"]
                  : DTypes["Uint8Array"];

/**
 * A numpy array of a fixed dtype (a numeric one, or bool, float16 and complex): its items in one
 * typed array, in `order`, with numpy's shape. `ndarray<Float64Array>` is a float64 array;
 * `ndarray<Uint8Array, "bool">` holds bools as 0/1 bytes, `ndarray<Uint16Array, "float16">` half
 * floats as their raw IEEE bits (halfToNumber, numberToHalf convert one), `ndarray<Float64Array, "complex128">`
 * and `ndarray<Float32Array, "complex64">` complex numbers as (real, imaginary) pairs, so `data`
 * has twice as many numbers as the array has items. A 0-d array has shape [] and one item.
 */
export interface ndarray<A extends NumericArray = Float64Array, D extends DTypeOf<A> = DTypeOf<A>> {
  data: A;
  shape: number[];
  order: Order;
  /** The dtype (set on load; the schema's when absent). */
  dtype?: D;
}

/** A numpy array of fixed-width str (dtype '<U n'): the items, trailing NULs stripped as numpy does. */
export interface ndarrayStr {
  data: string[];
  shape: number[];
  order: Order;
  /** Characters per item: the widest item's length when absent (numpy's own choice for a list). */
  itemsize?: number;
}

/** A numpy array of fixed-width bytes (dtype 'S n'): the items, trailing NULs stripped as numpy does. */
export interface ndarrayBytes {
  data: Uint8Array[];
  shape: number[];
  order: Order;
  /** Bytes per item: the longest item's length when absent. */
  itemsize?: number;
}

// ---- numpy scalars (`numpy.float64(1.5)`): plain numbers, bigints and booleans that read and write
// numpy's scalar pickles, so that Python gets back the numpy type it wrote.

/** numpy.float64. */
export type float64 = number;
/** numpy.float32 (a float32 value held in a number: exact). */
export type float32 = number;
/** numpy.float16 (a float16 value held in a number: exact). */
export type float16 = number;
export type int8 = number;
export type int16 = number;
export type int32 = number;
/** numpy.int64: a bigint, as its range needs. */
export type int64 = bigint;
export type uint8 = number;
export type uint16 = number;
export type uint32 = number;
/** numpy.uint64: a bigint. */
export type uint64 = bigint;
/** numpy.bool_ (numpy.bool in numpy 2). */
export type bool_ = boolean;
