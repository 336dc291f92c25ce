// numpy loads what typed-pickle writes: arrays and scalars made in JavaScript, every modelled dtype,
// C/F/K orders, big-endian, zero-size and 0-d, written with numpy: 1 and numpy: 2 at protocols 2–5
// (5 also out of band), loaded by numpy 2.4 and numpy 1.26 (which cannot import numpy 2's names).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { NdArray, NumpyDtype, type NumpyTypeName, NumpyScalar, type PickleBuffer, PyComplex, dumps, type PyValue } from "../../runtime/index.ts";
import { toHex } from "../support/python.ts";
import { type Expect, NUMPY1, cOrderBytes, runJsonLines } from "./samples.ts";
import { scalarBytes } from "../../runtime/numpy/scalar-value.ts";

/** A deterministic byte pattern, so every bit of every element is exercised. */
function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const TYPES: NumpyTypeName[] = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64", "complex64", "complex128"];

function array(dtype: NumpyDtype, shape: number[], seed: number, options: ConstructorParameters<typeof NdArray>[3] = {}): NdArray {
  const values = shape.reduce((a, b) => a * b, 1) * dtype.valuesPerItem;
  const data = new dtype.dataClass(values);
  const bytes = new Uint8Array(data.buffer);
  bytes.set(pattern(bytes.length, seed));
  if (dtype.type === "bool") for (let i = 0; i < values; i++) data[i] = (data[i] as number) & 1;
  if (dtype.type === "str") for (let i = 0; i < values; i++) data[i] = (data[i] as number) % 0x110000;
  return new NdArray(dtype, shape, data, options);
}

function values(): PyValue[] {
  const out: PyValue[] = [];
  let seed = 1;
  for (const type of TYPES) {
    out.push(array(NumpyDtype.of(type), [2, 3], seed++));
    if (NumpyDtype.of(type).itemSize > 1) out.push(array(NumpyDtype.of(type, { byteOrder: ">" }), [3, 2], seed++));
  }
  out.push(array(NumpyDtype.of("bytes", { length: 3 }), [2, 2], seed++));
  out.push(array(NumpyDtype.of("str", { length: 2 }), [2, 2], seed++));
  out.push(array(NumpyDtype.of("str", { length: 3, byteOrder: ">" }), [3], seed++));
  const f8 = NumpyDtype.of("float64");
  out.push(array(f8, [2, 3], seed++, { order: "F" }));
  out.push(array(NumpyDtype.of("int16", { byteOrder: ">" }), [3, 4], seed++, { order: "F" }));
  out.push(array(NumpyDtype.of("int64"), [3, 2, 4], seed++, { axisOrder: [1, 0, 2] }));
  out.push(array(NumpyDtype.of("complex64"), [4, 2, 3], seed++, { axisOrder: [2, 0, 1] }));
  out.push(array(f8, [], seed++));
  out.push(array(f8, [0], seed++));
  out.push(array(NumpyDtype.of("int16"), [0, 3], seed++));
  out.push(array(NumpyDtype.of("uint8"), [2, 0], seed++, { order: "F" }));
  out.push(array(NumpyDtype.of("int16"), [3], seed++, { readonly: true }));
  out.push(array(f8, [9000], seed++));
  out.push(new NumpyScalar(NumpyDtype.of("bool"), true));
  out.push(new NumpyScalar(NumpyDtype.of("int8"), -3n));
  out.push(new NumpyScalar(NumpyDtype.of("uint64"), 2n ** 64n - 1n));
  out.push(new NumpyScalar(NumpyDtype.of("int32", { byteOrder: ">" }), -5n));
  out.push(new NumpyScalar(NumpyDtype.of("float16"), 0.1));
  out.push(new NumpyScalar(NumpyDtype.of("float32"), 0.1));
  out.push(new NumpyScalar(f8, -1.5e300));
  out.push(new NumpyScalar(NumpyDtype.of("complex128"), new PyComplex(1, -2)));
  out.push(new NumpyScalar(NumpyDtype.of("bytes", { length: 2 }), Uint8Array.of(0x78, 0x79)));
  out.push(new NumpyScalar(NumpyDtype.of("str", { length: 3 }), "hé😀"));
  const shared = array(f8, [2], seed++);
  out.push([shared, array(f8, [3], seed++), shared, new NumpyScalar(f8, 2.5)]);
  return out;
}

/** The same values in little-endian (native) order. */
function native<T extends NdArray | NumpyScalar>(v: T): T {
  if (v.dtype.byteOrder !== ">") return v;
  const dtype = new NumpyDtype(v.dtype.type, "<", v.dtype.itemSize);
  return (v instanceof NdArray ? new NdArray(dtype, v.shape, v.data, { order: v.order }) : new NumpyScalar(dtype, v.value)) as T;
}

/**
 * What numpy should see (python/numpy_samples.py's describe()). numpy's __setstate__ (protocols 2–4)
 * converts a big-endian array to native order, and a numpy scalar is always native; _frombuffer
 * (protocol 5) keeps the byte order.
 */
function expectOf(v: PyValue, protocol: number): Expect {
  if (v instanceof NdArray) {
    const seen = protocol < 5 ? native(v) : v;
    return { array: { dtype: seen.dtype.str, shape: [...v.shape], c_bytes: toHex(cOrderBytes(seen)), readonly: protocol === 5 && v.readonly } };
  }
  if (v instanceof NumpyScalar) return { scalar: { dtype: native(v).dtype.str, bytes: toHex(scalarBytes(native(v))) } };
  if (Array.isArray(v)) return { list: v.map((x) => expectOf(x, protocol)) };
  throw new Error("not a sample value");
}

interface Case {
  label: string;
  hex: string;
  buffers: string[] | null;
  expect: Expect;
}

function cases(generation: 1 | 2): Case[] {
  const out: Case[] = [];
  for (const [i, v] of values().entries()) {
    for (const protocol of [2, 3, 4, 5]) {
      out.push({ label: `value ${i} @${protocol}`, hex: toHex(dumps(v, { protocol, numpy: generation })), buffers: null, expect: expectOf(v, protocol) });
    }
    const expect = expectOf(v, 5);
    const buffers: string[] = [];
    const hex = toHex(dumps(v, { protocol: 5, numpy: generation, bufferCallback: (b: PickleBuffer) => (buffers.push(toHex(b.data)), false) }));
    if (buffers.length > 0) out.push({ label: `value ${i} @5 out of band`, hex, buffers, expect });
  }
  return out;
}

function check(python: string, list: Case[]): string[] {
  const results = runJsonLines<{ ok: boolean; got?: unknown; error?: string }>(python, "numpy_check.py", list.map((c) => JSON.stringify(c)).join("\n"));
  assert.is(results.length, list.length);
  return results.flatMap((r, i) => (r.ok ? [] : [`${list[i]!.label}: ${r.error ?? JSON.stringify(r.got).slice(0, 300)}\n  want ${JSON.stringify(list[i]!.expect).slice(0, 300)}`]));
}

const test = suite("numpy loads what we write");
const v1 = cases(1);
const v2 = cases(2);

test("numpy 2.4 loads everything written for numpy 2 and for numpy 1, equal to what was written", () => {
  assert.equal(check("python3", [...v2, ...v1]), []);
});

test("numpy 1.26 loads everything written for numpy 1", () => {
  assert.equal(check(NUMPY1(), v1), []);
});

test("numpy 1.26 cannot load numpy 2's protocol-5 arrays (it has no numpy._core.numeric): why the numpy option exists", () => {
  const [r] = runJsonLines<{ ok: boolean; error?: string }>(NUMPY1(), "numpy_check.py", JSON.stringify(v2.find((c) => c.label === "value 0 @5")));
  assert.ok(!r!.ok && /numpy\._core\.numeric/.test(r!.error ?? ""), r!.error);
});

test.run();
