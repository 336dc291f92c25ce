// A numpy scalar's value and its item bytes (numpy's `scalar(dtype, raw)` argument), both ways.
import { PyComplex } from "../model/scalars.ts";
import { ReductionError } from "../reader/globals.ts";
import { dataFromBytes, bytesOfData } from "./element-bytes.ts";
import { halfToNumber, numberToHalf } from "./float16.ts";
import { type NumpyDtype, type NumpyGeneration, NumpyScalar } from "./ndarray.ts";

/** The scalar whose item bytes (in the dtype's byte order, exactly itemSize of them) are `raw`. */
export function scalarFromBytes(dtype: NumpyDtype, raw: Uint8Array, generation?: NumpyGeneration): NumpyScalar {
  if (raw.length !== dtype.itemSize) throw new ReductionError(`a ${dtype.name} scalar needs ${dtype.itemSize} bytes, got ${raw.length}`);
  return new NumpyScalar(dtype, scalarValue(dtype, raw), generation);
}

/** A scalar's value from its item bytes (see NumpyScalar). */
function scalarValue(dtype: NumpyDtype, raw: Uint8Array): NumpyScalar["value"] {
  const data = dataFromBytes(dtype, raw, false);
  switch (dtype.type) {
    case "bool":
      return data[0] !== 0;
    case "int8":
    case "int16":
    case "int32":
    case "uint8":
    case "uint16":
    case "uint32":
      return BigInt(data[0] as number);
    case "int64":
    case "uint64":
      return data[0] as bigint;
    case "float16":
      return halfToNumber(data[0] as number);
    case "float32":
    case "float64":
      return data[0] as number;
    case "complex64":
    case "complex128":
      return new PyComplex(data[0] as number, data[1] as number);
    case "bytes": {
      let end = raw.length;
      while (end > 0 && raw[end - 1] === 0) end--;
      return raw.slice(0, end);
    }
    case "str": {
      let end = data.length;
      while (end > 0 && data[end - 1] === 0) end--;
      let text = "";
      for (let i = 0; i < end; i++) {
        const cp = data[i] as number;
        if (cp > 0x10ffff) throw new ReductionError(`scalar: invalid code point 0x${cp.toString(16)} in a numpy str`);
        text += String.fromCodePoint(cp);
      }
      return text;
    }
  }
}

/** A scalar's item bytes: its value stored in a one-element array of its dtype. */
export function scalarBytes(s: NumpyScalar): Uint8Array {
  const { dtype, value } = s;
  const data = new dtype.dataClass(dtype.valuesPerItem);
  const bad = (): never => {
    throw new TypeError(`a numpy ${dtype.name} scalar cannot hold ${typeof value === "object" ? (value?.constructor?.name ?? "null") : typeof value}`);
  };
  switch (dtype.type) {
    case "bool":
      if (typeof value !== "boolean") bad();
      data[0] = value ? 1 : 0;
      break;
    case "int64":
    case "uint64":
      if (typeof value !== "bigint") bad();
      (data as BigInt64Array)[0] = value as bigint;
      break;
    case "float16":
      if (typeof value !== "number") bad();
      data[0] = numberToHalf(value as number);
      break;
    case "complex64":
    case "complex128":
      if (!(value instanceof PyComplex)) bad();
      data[0] = (value as PyComplex).real;
      data[1] = (value as PyComplex).imag;
      break;
    case "bytes":
      if (!(value instanceof Uint8Array) || value.length > dtype.itemSize) bad();
      (data as Uint8Array).set(value as Uint8Array);
      break;
    case "str": {
      if (typeof value !== "string") bad();
      let i = 0;
      for (const ch of value as string) {
        if (i >= data.length) bad();
        data[i++] = ch.codePointAt(0)!;
      }
      break;
    }
    case "float32":
    case "float64":
      if (typeof value !== "number") bad();
      data[0] = value as number;
      break;
    default:
      // int8–32, uint8–32: a Python int in range.
      if (typeof value !== "bigint") bad();
      data[0] = Number(value);
      if (BigInt(data[0] as number) !== value) throw new RangeError(`${value} is out of range for a numpy ${dtype.name} scalar`);
  }
  return bytesOfData(dtype, data).slice();
}
