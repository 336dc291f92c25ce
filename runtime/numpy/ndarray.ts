// numpy's values in the lossless model: a dtype, an array and a scalar, as data. The reader builds
// them by interpreting numpy's reconstruction globals (nothing is called); the writer turns them
// back into the exact reductions numpy writes. Element data is kept in a typed array in the host's
// byte order; what byte identity needs besides (the dtype's byte order, the numpy generation the
// pickle came from, the memory order of a 'K' array, read-only-ness) is kept alongside.
import type { PyComplex } from "../model/scalars.ts";

/** The dtypes typed-pickle models, by numpy's `dtype.name` (bytes and str are `S<n>` and `U<n>`). */
export type NumpyTypeName =
  "bool" | "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "float16" | "float32" | "float64" | "complex64" | "complex128" | "bytes" | "str";

/** numpy's byte order characters: little, big, and "not applicable" (one-byte items, bytes). */
export type NumpyByteOrder = "<" | ">" | "|";

/** Which numpy wrote (or will read) a pickle: 1.x names `numpy.core.*`, 2.x `numpy._core.*`. */
export type NumpyGeneration = 1 | 2;

/**
 * An array's elements in the host's byte order, by dtype: bool → Uint8Array (0/1); intN/uintN →
 * the matching typed array (64-bit: BigInt64Array / BigUint64Array); float16 → Uint16Array of raw
 * IEEE half bits; float32/64 → Float32Array / Float64Array; complex64/128 → Float32Array /
 * Float64Array with real and imaginary parts interleaved; bytes `S<n>` → Uint8Array, n bytes per
 * element (NUL-padded, as numpy stores it); str `U<n>` → Uint32Array, n code points per element.
 */
export type NdArrayData = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/** A typed array class, as the table below names them. */
type DataClass = { new (length: number): NdArrayData; new (buffer: ArrayBuffer, byteOffset: number, length: number): NdArrayData; readonly BYTES_PER_ELEMENT: number };

/** One row of the dtype table: numpy's kind letter, item size in bytes (0: flexible), data class. */
interface TypeInfo {
  readonly char: string;
  readonly itemSize: number;
  readonly data: DataClass;
}

/** numpy's own facts per type: `dtype.char`-style kind letter (as in 'f8'), fixed size, storage. */
export const NUMPY_TYPES: Readonly<Record<NumpyTypeName, TypeInfo>> = {
  bool: { char: "b", itemSize: 1, data: Uint8Array },
  int8: { char: "i", itemSize: 1, data: Int8Array },
  int16: { char: "i", itemSize: 2, data: Int16Array },
  int32: { char: "i", itemSize: 4, data: Int32Array },
  int64: { char: "i", itemSize: 8, data: BigInt64Array },
  uint8: { char: "u", itemSize: 1, data: Uint8Array },
  uint16: { char: "u", itemSize: 2, data: Uint16Array },
  uint32: { char: "u", itemSize: 4, data: Uint32Array },
  uint64: { char: "u", itemSize: 8, data: BigUint64Array },
  float16: { char: "f", itemSize: 2, data: Uint16Array },
  float32: { char: "f", itemSize: 4, data: Float32Array },
  float64: { char: "f", itemSize: 8, data: Float64Array },
  complex64: { char: "c", itemSize: 8, data: Float32Array },
  complex128: { char: "c", itemSize: 16, data: Float64Array },
  bytes: { char: "S", itemSize: 0, data: Uint8Array },
  str: { char: "U", itemSize: 0, data: Uint32Array },
};

/**
 * The fixed-size types by the code numpy's pickles name them with ("f8" → float64, "b1" → bool). No
 * prototype: the code comes from the pickle, and "constructor" must find nothing.
 */
export const NUMPY_TYPE_BY_CODE: Readonly<Record<string, NumpyTypeName | undefined>> = Object.assign(
  Object.create(null),
  Object.fromEntries(
    (Object.entries(NUMPY_TYPES) as [NumpyTypeName, TypeInfo][]).filter(([, info]) => info.itemSize !== 0).map(([type, info]) => [info.char + info.itemSize, type]),
  ),
);

/** The host's byte order: typed arrays use it. */
export const HOST_BYTE_ORDER: "<" | ">" = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? "<" : ">";

/**
 * `numpy.dtype` of one of the modelled types. `itemSize` is in bytes (a `U3` is 12). Native-order
 * builtin dtypes made here are shared (`NumpyDtype.of("float64")` is one object), as numpy's are:
 * a pickle memoizes a dtype by identity, so sharing decides whether it is written once.
 */
export class NumpyDtype {
  constructor(
    readonly type: NumpyTypeName,
    /** "<" or ">" for multi-byte numbers and str; "|" for one-byte types and bytes. */
    readonly byteOrder: NumpyByteOrder,
    readonly itemSize: number,
  ) {
    const info = NUMPY_TYPES[type];
    if (!info) throw new RangeError(`unsupported numpy dtype '${String(type)}'`);
    if (info.itemSize !== 0 ? itemSize !== info.itemSize : !(Number.isSafeInteger(itemSize) && itemSize >= 0 && (type !== "str" || itemSize % 4 === 0))) {
      throw new RangeError(`numpy dtype ${type} cannot have an item size of ${itemSize}`);
    }
    const oneByte = type === "bytes" || info.itemSize === 1;
    if (oneByte ? byteOrder !== "|" : byteOrder !== "<" && byteOrder !== ">") {
      throw new RangeError(`numpy dtype ${type} cannot have byte order '${byteOrder}'`);
    }
  }

  /**
   * The dtype of `type` (for bytes/str: `length` bytes/characters per item) in `byteOrder`
   * (default: little-endian, numpy's native order on every platform it is used on).
   */
  static of(type: NumpyTypeName, options: { length?: number; byteOrder?: "<" | ">" } = {}): NumpyDtype {
    const info = NUMPY_TYPES[type];
    if (!info) throw new RangeError(`unsupported numpy dtype '${String(type)}'`);
    if (info.itemSize === 0) {
      const length = options.length ?? 1;
      const order = type === "bytes" ? "|" : (options.byteOrder ?? "<");
      return new NumpyDtype(type, order, type === "str" ? 4 * length : length);
    }
    const order = info.itemSize === 1 ? "|" : (options.byteOrder ?? "<");
    if (order !== "<" && order !== "|") return new NumpyDtype(type, order, info.itemSize);
    return (SHARED[type] ??= new NumpyDtype(type, order, info.itemSize));
  }

  /** numpy's `dtype.str`: "<f8", "|b1", "|S3", ">U2". */
  get str(): string {
    return this.byteOrder + this.code;
  }

  /** The type code numpy's pickle names the dtype by (its first argument): "f8", "b1", "S3", "U2" (in characters). */
  get code(): string {
    const { char } = NUMPY_TYPES[this.type];
    return char + (this.type === "str" ? this.itemSize / 4 : this.itemSize);
  }

  /** numpy's `dtype.name`: "float64", "bool", "bytes24", "str64" (flexible types count bits). */
  get name(): string {
    return this.type === "bytes" || this.type === "str" ? `${this.type}${this.itemSize * 8}` : this.type;
  }

  /** Characters (str) or bytes (bytes) per item; 1 for other types. */
  get length(): number {
    return this.type === "str" ? this.itemSize / 4 : this.type === "bytes" ? this.itemSize : 1;
  }

  /** How many `data` entries one element takes: 2 for complex, the length for bytes/str, else 1. */
  get valuesPerItem(): number {
    return this.type === "complex64" || this.type === "complex128" ? 2 : this.type === "bytes" || this.type === "str" ? this.length : 1;
  }

  /** The typed array class that holds this dtype's data. */
  get dataClass(): DataClass {
    return NUMPY_TYPES[this.type].data;
  }

  /** True when the bytes numpy writes must be swapped to or from the host's order. */
  get swapped(): boolean {
    return this.byteOrder !== "|" && this.byteOrder !== HOST_BYTE_ORDER && this.type !== "bytes";
  }

  /** Same type, size and byte order (numpy's `==` of these dtypes). */
  equals(other: NumpyDtype): boolean {
    return this.type === other.type && this.byteOrder === other.byteOrder && this.itemSize === other.itemSize;
  }
}

const SHARED: Partial<Record<NumpyTypeName, NumpyDtype>> = {};

/** How an NdArray was, or is to be, laid out and written. */
export interface NdArrayOptions {
  /** The order of `data`: "C" (row-major, default) or "F" (column-major). */
  order?: "C" | "F" | undefined;
  /**
   * numpy ≥ 2.3 writes an array that is contiguous only in some axis permutation as
   * `_frombuffer(buf, dtype, memoryShape, 'K', axisOrder)`: the array is the C-order
   * `memoryShape` array transposed by `axisOrder`. The reader keeps `axisOrder` (data itself is
   * in `order`) so that writing at protocol 5 repeats numpy's form; null for any other array.
   */
  axisOrder?: readonly number[] | null | undefined;
  /** The numpy generation the array was read from; the writer's default for it. */
  generation?: NumpyGeneration | undefined;
  /** A read-only array (numpy writes its protocol-5 buffer as bytes, not bytearray). Default false. */
  readonly?: boolean | undefined;
  /**
   * numpy held the array as a strided view (contiguous in no axis order), which it writes in the
   * protocol-2 form (`_reconstruct`) even at protocol 5. The reader sets it for such an array read
   * from a protocol-5 pickle, so that writing it back repeats numpy's bytes. Default false.
   */
  strided?: boolean | undefined;
}

/**
 * `numpy.ndarray` of a modelled dtype: `shape`, and `data` (see NdArrayData) holding
 * product(shape) × dtype.valuesPerItem values in `order`, in the host's byte order. A 0-d array
 * has shape [] and one element. Made by the reader (nothing called) and written back as numpy would.
 */
export class NdArray {
  readonly order: "C" | "F";
  readonly axisOrder: readonly number[] | null;
  readonly generation: NumpyGeneration | undefined;
  readonly readonly: boolean;
  readonly strided: boolean;

  constructor(
    readonly dtype: NumpyDtype,
    readonly shape: readonly number[],
    readonly data: NdArrayData,
    options: NdArrayOptions = {},
  ) {
    for (const n of shape) if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`invalid array dimension ${n}`);
    if (!(data instanceof dtype.dataClass)) {
      throw new TypeError(`a ${dtype.name} array's data must be a ${dtype.dataClass.name}`);
    }
    const values = elementCount(shape) * dtype.valuesPerItem;
    if (data.length !== values) throw new RangeError(`shape (${shape.join(", ")}) of ${dtype.name} needs ${values} data values, got ${data.length}`);
    this.order = options.order ?? "C";
    if (this.order !== "C" && this.order !== "F") throw new RangeError(`order must be "C" or "F", not ${String(this.order)}`);
    this.axisOrder = options.axisOrder ?? null;
    if (this.axisOrder && !isPermutation(this.axisOrder, shape.length)) throw new RangeError(`axisOrder must be a permutation of 0…${shape.length - 1}`);
    this.generation = options.generation;
    this.readonly = options.readonly === true;
    this.strided = options.strided === true;
    if (this.axisOrder && this.order === "F") throw new RangeError('an array with an axisOrder keeps its data in order "C"');
  }

  /** The number of elements: product(shape) (1 for a 0-d array). */
  get size(): number {
    return elementCount(this.shape);
  }

  get ndim(): number {
    return this.shape.length;
  }
}

/**
 * A numpy scalar (`numpy.float64(1.5)`, `numpy.int8(-3)`, `numpy.str_('ab')`, …), written by numpy
 * as `scalar(dtype, bytes)`. `value` by dtype: bool → boolean; intN/uintN → bigint (as Python
 * ints); float16/32/64 → number; complex → PyComplex; bytes → Uint8Array (without numpy's
 * trailing NULs); str → string (likewise).
 */
export class NumpyScalar {
  constructor(
    readonly dtype: NumpyDtype,
    readonly value: boolean | bigint | number | PyComplex | Uint8Array | string,
    /** The numpy generation the scalar was read from; the writer's default for it. */
    readonly generation?: NumpyGeneration | undefined,
  ) {}
}

/** product(shape); shapes are checked by whoever builds them, this only multiplies. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function isPermutation(axes: readonly number[], n: number): boolean {
  if (axes.length !== n) return false;
  const seen = new Set<number>();
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= n || seen.has(a)) return false;
    seen.add(a);
  }
  return true;
}
