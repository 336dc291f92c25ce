// The numpy schema types (runtime/typed/numpy-types.ts) as the codecs of the type table
// (runtime/typed/numpy-codecs.ts): `ndarray<Float64Array>` → ndarrayFloat64,
// `ndarray<Uint8Array, "bool">` → ndarrayBool, `np.int64` → npInt64.
import type { LeafKind } from "./model.ts";

/** The dtype an array type holds when `ndarray` names none (its first dtype in numpy-types.ts's DTypes). */
const USUAL_DTYPE: Record<string, string> = {
  Float64Array: "float64",
  Float32Array: "float32",
  Int8Array: "int8",
  Int16Array: "int16",
  Int32Array: "int32",
  BigInt64Array: "int64",
  Uint8Array: "uint8",
  Uint16Array: "uint16",
  Uint32Array: "uint32",
  BigUint64Array: "uint64",
};

/** The dtypes an array type may hold besides its usual one. */
const OTHER_DTYPES: Record<string, string[]> = {
  Float64Array: ["complex128"],
  Float32Array: ["complex64"],
  Uint8Array: ["bool"],
  Uint16Array: ["float16"],
};

const ARRAY_KINDS: Record<string, LeafKind> = {
  bool: "ndarrayBool",
  int8: "ndarrayInt8",
  int16: "ndarrayInt16",
  int32: "ndarrayInt32",
  int64: "ndarrayInt64",
  uint8: "ndarrayUint8",
  uint16: "ndarrayUint16",
  uint32: "ndarrayUint32",
  uint64: "ndarrayUint64",
  float16: "ndarrayFloat16",
  float32: "ndarrayFloat32",
  float64: "ndarrayFloat64",
  complex64: "ndarrayComplex64",
  complex128: "ndarrayComplex128",
};

const SCALAR_KINDS: Record<string, LeafKind> = {
  bool_: "npBool",
  int8: "npInt8",
  int16: "npInt16",
  int32: "npInt32",
  int64: "npInt64",
  uint8: "npUint8",
  uint16: "npUint16",
  uint32: "npUint32",
  uint64: "npUint64",
  float16: "npFloat16",
  float32: "npFloat32",
  float64: "npFloat64",
};

/**
 * The leaf kind of a numpy schema type `name` written with the type arguments `arrayType` (the
 * typed array's name, as written) and `dtype` (the string literal, if any); or why there is none.
 */
export function numpyKind(name: string, arrayType: string | undefined, dtype: string | undefined): { kind: LeafKind } | { error: string } {
  if (name === "ndarrayStr") return { kind: "ndarrayStr" };
  if (name === "ndarrayBytes") return { kind: "ndarrayBytes" };
  if (name === "ndarray") {
    const array = arrayType ?? "Float64Array";
    const usual = USUAL_DTYPE[array];
    if (usual === undefined) return { error: `ndarray's items go in a typed array (${Object.keys(USUAL_DTYPE).join(", ")}), not '${array}'` };
    const allowed = [usual, ...(OTHER_DTYPES[array] ?? [])];
    const chosen = dtype ?? usual;
    if (!allowed.includes(chosen)) return { error: `a ${array} holds dtype ${allowed.map((d) => `"${d}"`).join(" or ")}, not "${chosen}"` };
    return { kind: ARRAY_KINDS[chosen]! };
  }
  const scalar = SCALAR_KINDS[name];
  return scalar ? { kind: scalar } : { error: `'${name}' is not a numpy field type` };
}
