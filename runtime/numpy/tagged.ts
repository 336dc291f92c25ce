// numpy values in tagged JSON (`show --json`), each under a tag of its own, lossless: the data is
// the hex of numpy's own bytes (the dtype's byte order, the array's order).
//   {"ndarray": {"dtype": "<f8", "shape": [2, 3], "order": "C", "data": "…"}}  (+ "axis_order", "readonly", "strided", "numpy")
//   (an array has an identity, like a list: shared, it carries "id" and is {"ref": n} afterwards)
//   {"numpy_scalar": {"dtype": "<f8", "data": "…"}}                              (+ "numpy")
//   {"numpy_dtype": "<f8"}
import { bytesToHex, hexToBytes } from "../hex.ts";
import { bytesOfData, dataFromBytes } from "./element-bytes.ts";
import { NdArray, NUMPY_TYPE_BY_CODE, NumpyDtype, type NumpyGeneration, NumpyScalar } from "./ndarray.ts";
import { scalarBytes, scalarFromBytes } from "./scalar-value.ts";

/** The dtype numpy's `dtype.str` names ("<f8", "|S3", ">U2"). */
export function dtypeFromStr(text: string): NumpyDtype {
  const m = /^([<>|])([a-zA-Z])(\d{1,15})$/.exec(text);
  if (!m) throw new SyntaxError(`bad numpy dtype '${text}'`);
  const [, order, kind, size] = m as unknown as [string, "<" | ">" | "|", string, string];
  if (kind === "S") return new NumpyDtype("bytes", "|", Number(size));
  if (kind === "U") return new NumpyDtype("str", order, 4 * Number(size));
  const type = NUMPY_TYPE_BY_CODE[kind + size];
  if (!type) throw new SyntaxError(`unsupported numpy dtype '${text}'`);
  const shared = NumpyDtype.of(type);
  return shared.byteOrder === order ? shared : new NumpyDtype(type, order, shared.itemSize);
}

/** The tag of a numpy value, or undefined for anything else. */
export function numpyTag(v: unknown): Record<string, unknown> | undefined {
  if (v instanceof NdArray) {
    const body: Record<string, unknown> = { dtype: v.dtype.str, shape: [...v.shape], order: v.order, data: bytesToHex(bytesOfData(v.dtype, v.data)) };
    if (v.axisOrder) body.axis_order = [...v.axisOrder];
    if (v.readonly) body.readonly = true;
    if (v.strided) body.strided = true;
    if (v.generation) body.numpy = v.generation;
    return { ndarray: body };
  }
  if (v instanceof NumpyScalar) {
    const body: Record<string, unknown> = { dtype: v.dtype.str, data: bytesToHex(scalarBytes(v)) };
    if (v.generation) body.numpy = v.generation;
    return { numpy_scalar: body };
  }
  if (v instanceof NumpyDtype) return { numpy_dtype: v.str };
  return undefined;
}

/** The value of a numpy tag (`kind` one of ndarray, numpy_scalar, numpy_dtype). */
export function fromNumpyTag(kind: string, body: unknown): NdArray | NumpyScalar | NumpyDtype {
  if (kind === "numpy_dtype") return dtypeFromStr(body as string);
  const o = body as Record<string, unknown>;
  const dtype = dtypeFromStr(o.dtype as string);
  const bytes = hexToBytes(o.data as string);
  const generation = o.numpy as NumpyGeneration | undefined;
  if (kind === "numpy_scalar") return scalarFromBytes(dtype, bytes, generation);
  const shape = o.shape as number[];
  return new NdArray(dtype, shape, dataFromBytes(dtype, bytes, false), {
    order: o.order as "C" | "F",
    axisOrder: (o.axis_order as number[] | undefined) ?? null,
    generation,
    readonly: o.readonly === true,
    strided: o.strided === true,
  });
}
