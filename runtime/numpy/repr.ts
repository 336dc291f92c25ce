// How `show` prints numpy values: close to numpy 2's repr where that is cheap — `array([1.0, 2.0],
// dtype=float64)`, `np.float32(0.1)`, `dtype('>i4')` — with elements printed as Python prints them
// (floats by their shortest repr at the dtype's precision) and numpy's summary (`...`, three items
// at each end of every axis) past 1000 elements.
import { floatRepr } from "../format/float-repr.ts";
import { bytesRepr, strRepr } from "../format/str-repr.ts";
import { PyComplex } from "../model/scalars.ts";
import { halfToNumber, numberToHalf } from "./float16.ts";
import type { NdArray, NumpyDtype, NumpyScalar } from "./ndarray.ts";

/** numpy's print threshold: larger arrays are summarised. */
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** The shortest decimal that reads back to `x` at float32 or float16 precision, as numpy prints. */
function narrowFloatRepr(x: number, roundTrip: (y: number) => number): string {
  if (!Number.isFinite(x)) return floatRepr(x);
  for (let p = 1; p <= 17; p++) {
    const text = x.toPrecision(p);
    const y = Number(text);
    if (Object.is(roundTrip(y), x)) return floatRepr(y);
  }
  return floatRepr(x);
}

const toHalf = (y: number) => halfToNumber(numberToHalf(y));

function floatOf(dtype: NumpyDtype, x: number): string {
  if (dtype.type === "float32" || dtype.type === "complex64") return narrowFloatRepr(x, Math.fround);
  if (dtype.type === "float16") return narrowFloatRepr(x, toHalf);
  return floatRepr(x);
}

/** Python's complex repr with each part at the dtype's precision. */
function complexOf(dtype: NumpyDtype, re: number, im: number): string {
  const part = (x: number) => {
    const r = floatOf(dtype, x);
    return r.endsWith(".0") ? r.slice(0, -2) : r;
  };
  if (re === 0 && !Object.is(re, -0)) return `${part(im)}j`;
  const imag = part(im);
  return `(${part(re)}${imag.startsWith("-") ? "" : "+"}${imag}j)`;
}

/** Element `i` (C-order position in `data` units per item) as Python prints it. */
function itemRepr(a: NdArray, i: number): string {
  const { dtype, data } = a;
  const per = dtype.valuesPerItem;
  switch (dtype.type) {
    case "bool":
      return data[i] ? "True" : "False";
    case "float16":
      return floatOf(dtype, halfToNumber(data[i] as number));
    case "float32":
    case "float64":
      return floatOf(dtype, data[i] as number);
    case "complex64":
    case "complex128":
      return complexOf(dtype, data[i * per] as number, data[i * per + 1] as number);
    case "bytes": {
      const item = (data as Uint8Array).subarray(i * per, (i + 1) * per);
      let end = item.length;
      while (end > 0 && item[end - 1] === 0) end--;
      return bytesRepr(item.subarray(0, end));
    }
    case "str": {
      let text = "";
      for (let k = i * per, end = (i + 1) * per; k < end; k++) {
        const cp = data[k] as number;
        if (cp === 0) {
          // numpy strips trailing NULs only.
          let rest = k;
          while (rest < end && data[rest] === 0) rest++;
          if (rest === end) break;
        }
        text += cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
      }
      return strRepr(text);
    }
    default:
      return String(data[i]);
  }
}

/** numpy's name for a native-order number dtype ("float64"), else its str ("'>i4'", "'<U2'"). */
function namedByType(dtype: NumpyDtype): boolean {
  return dtype.byteOrder !== ">" && dtype.type !== "bytes" && dtype.type !== "str";
}

/** `dtype=float64`, `dtype='>i4'`, `dtype='<U2'`, as an array's repr ends. */
function dtypeArgument(dtype: NumpyDtype): string {
  return namedByType(dtype) ? dtype.name : `'${dtype.str}'`;
}

/** `dtype('float64')`, `dtype('>i4')`. */
export function dtypeRepr(dtype: NumpyDtype): string {
  return `dtype('${namedByType(dtype) ? dtype.name : dtype.str}')`;
}

/** `np.float64(1.5)`, `np.True_`, `np.str_('ab')`, as numpy 2 prints scalars. */
export function numpyScalarRepr(s: NumpyScalar): string {
  const { dtype, value } = s;
  if (dtype.type === "bool") return value ? "np.True_" : "np.False_";
  if (dtype.type === "bytes") return `np.bytes_(${bytesRepr(value as Uint8Array)})`;
  if (dtype.type === "str") return `np.str_(${strRepr(value as string)})`;
  if (value instanceof PyComplex) return `np.${dtype.type}(${complexOf(dtype, value.real, value.imag).replace(/^\((.*)\)$/, "$1")})`;
  if (typeof value === "number") return `np.${dtype.type}(${floatOf(dtype, value)})`;
  return `np.${dtype.type}(${String(value)})`;
}

/** numpy-style repr of an array: nested lists by shape, summarised past 1000 elements. */
export function ndarrayRepr(a: NdArray): string {
  const { shape } = a;
  const size = a.size;
  const dtype = `dtype=${dtypeArgument(a.dtype)}`;
  if (size === 0) return shape.length === 1 ? `array([], ${dtype})` : `array([], shape=(${shape.join(", ")}${shape.length === 1 ? "," : ""}), ${dtype})`;
  // Element positions in C order of the logical array, whatever the data's order.
  const strides = new Array<number>(shape.length);
  let step = 1;
  if (a.order === "F") {
    for (let k = 0; k < shape.length; k++) ((strides[k] = step), (step *= shape[k]!));
  } else {
    for (let k = shape.length - 1; k >= 0; k--) ((strides[k] = step), (step *= shape[k]!));
  }
  const summarise = size > THRESHOLD;
  const out: string[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      out.push(itemRepr(a, offset));
      return;
    }
    const n = shape[axis]!;
    out.push("[");
    const sep = axis === shape.length - 1 ? ", " : ",\n" + "\n".repeat(shape.length - axis - 2) + " ".repeat(7 + axis);
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE_ITEMS && i === EDGE_ITEMS) {
        out.push("...", sep);
        i = n - EDGE_ITEMS - 1;
        continue;
      }
      walk(axis + 1, offset + i * strides[axis]!);
      if (i < n - 1) out.push(sep);
    }
    out.push("]");
  };
  walk(0, 0);
  return `array(${out.join("")}, ${dtype})`;
}
