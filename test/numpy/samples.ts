// python/numpy_samples.py's pickles, made once per numpy (the PATH python3 has numpy 2.x; numpy 1.26
// comes from a cached venv), and what a sample's value looks like to numpy, compared with ours.
import { execFileSync } from "node:child_process";
import { NdArray, NumpyScalar, type PyValue } from "../../runtime/index.ts";
import { bytesOfData, transposed } from "../../runtime/numpy/element-bytes.ts";
import { scalarBytes } from "../../runtime/numpy/scalar-value.ts";
import { PYTHON_DIR, fromHex, toHex } from "../support/python.ts";
import { namedVenv } from "../support/python-venv.ts";

export type Expect =
  | { array: { dtype: string; shape: number[]; c_bytes: string; readonly: boolean } }
  | { scalar: { dtype: string; bytes: string } }
  | { list: Expect[] }
  | { dict: [string, Expect][] }
  | { python: string }
  | { unsupported: string };

export interface Sample {
  name: string;
  protocol: number;
  bytes: Uint8Array;
  buffers: Uint8Array[] | null;
  expect: Expect;
  /** numpy's repr, for scalars. */
  repr: string | null;
}

export const NUMPY1 = () => namedVenv("numpy1");

/** Runs a python/ script with `python` (one process), stdin `input`; stdout's JSON lines. */
export function runJsonLines<T>(python: string, script: string, input = ""): T[] {
  const out = execFileSync(python, [script], {
    cwd: PYTHON_DIR,
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PYTHONHASHSEED: "0" },
  });
  return out
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);
}

/** The samples numpy of `python` writes, and its version. */
export function numpySamples(python: string): { version: string; samples: Sample[] } {
  const [head, ...lines] = runJsonLines<Record<string, unknown>>(python, "numpy_samples.py");
  const samples = lines.map((l) => ({
    name: l.name as string,
    protocol: l.protocol as number,
    bytes: fromHex(l.hex as string),
    buffers: l.buffers ? (l.buffers as string[]).map(fromHex) : null,
    expect: l.expect as Expect,
    repr: (l.repr as string | null) ?? null,
  }));
  return { version: head!.numpy as string, samples };
}

/** An array's bytes in C order (numpy's ascontiguousarray(a).tobytes()). */
export function cOrderBytes(a: NdArray): Uint8Array {
  if (a.order === "C") return bytesOfData(a.dtype, a.data);
  const reversed = [...a.shape].reverse();
  const axes = reversed.map((_, i) => reversed.length - 1 - i);
  return bytesOfData(a.dtype, transposed(a.data, reversed, axes, a.dtype.valuesPerItem));
}

/** Where `value` differs from what numpy saw (empty when it matches). */
export function mismatch(value: PyValue, expect: Expect, protocol: number, at = "$"): string[] {
  if ("array" in expect) {
    if (!(value instanceof NdArray)) return [`${at}: not an NdArray`];
    const e = expect.array;
    const out: string[] = [];
    if (value.dtype.str !== e.dtype) out.push(`${at}: dtype ${value.dtype.str}, numpy ${e.dtype}`);
    if (value.shape.join(",") !== e.shape.join(",")) out.push(`${at}: shape (${value.shape}), numpy (${e.shape})`);
    else if (toHex(cOrderBytes(value)) !== e.c_bytes) out.push(`${at}: data differs`);
    // Only protocol 5 carries read-only-ness (its buffer is bytes, not bytearray); numpy loads a writable array otherwise.
    if (value.readonly !== (e.readonly && protocol === 5)) out.push(`${at}: readonly ${value.readonly}, numpy ${e.readonly}`);
    return out;
  }
  if ("scalar" in expect) {
    if (!(value instanceof NumpyScalar)) return [`${at}: not a NumpyScalar`];
    if (value.dtype.str !== expect.scalar.dtype) return [`${at}: dtype ${value.dtype.str}, numpy ${expect.scalar.dtype}`];
    return toHex(scalarBytes(value)) === expect.scalar.bytes ? [] : [`${at}: item bytes differ`];
  }
  if ("list" in expect) {
    if (!Array.isArray(value) || value.length !== expect.list.length) return [`${at}: not a list of ${expect.list.length}`];
    return expect.list.flatMap((e, i) => mismatch(value[i]!, e, protocol, `${at}[${i}]`));
  }
  if ("dict" in expect) {
    if (!(value instanceof Map)) return [`${at}: not a dict`];
    return expect.dict.flatMap(([k, e]) => ("python" in e ? [] : mismatch(value.get(k)!, e, protocol, `${at}.${k}`)));
  }
  return [];
}
