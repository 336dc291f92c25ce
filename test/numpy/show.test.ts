// numpy values in opaque-mode tools: `show`'s repr (numpy 2's own for scalars), tagged JSON that
// gives back the same pickle, and scan's verdict on numpy's reconstruction globals.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { NdArray, NumpyDtype, loads, dumps, type PyValue } from "../../runtime/index.ts";
import { pyRepr } from "../../runtime/format/repr.ts";
import { fromTagged } from "../../runtime/format/from-tagged.ts";
import { stringifyTagged, toTagged } from "../../runtime/format/tagged-json.ts";
import { scan } from "../../runtime/inspect/scan.ts";
import { toHex } from "../support/python.ts";
import { numpySamples } from "./samples.ts";

const { samples } = numpySamples("python3");
const supported = samples.filter((s) => !("unsupported" in s.expect));
const read = (name: string, protocol = 4) => {
  const s = samples.find((x) => x.name === name && x.protocol === protocol)!;
  return loads(s.bytes, s.buffers ? { buffers: s.buffers } : {});
};

const test = suite("numpy: show, tagged JSON, scan");

test("arrays print like numpy's repr, with every element as Python prints it", () => {
  assert.is(pyRepr(read("1-d")), "array([0.0, 1.0, 2.0, 3.0, 4.0], dtype=float64)");
  assert.is(pyRepr(read("F order")), "array([[0.0, 1.0, 2.0],\n       [3.0, 4.0, 5.0]], dtype=float64)");
  assert.is(pyRepr(read("int8")), "array([[0, 1, -1],\n       [127, -128, 5]], dtype=int8)");
  assert.is(pyRepr(read("int32 big-endian")), "array([[0, 1, -1],\n       [2147483647, -2147483648, 70000]], dtype='>i4')");
  assert.is(pyRepr(read("bool")), "array([[True, False, True],\n       [False, False, True]], dtype=bool)");
  assert.is(pyRepr(read("float32")), "array([[0.1, -0.0, 1.5],\n       [3.4e+38, -inf, 1e-45]], dtype=float32)");
  assert.is(pyRepr(read("complex64")), "array([[(1+2j), (-0-0.5j), 0j],\n       [(inf+0j), (0.001-1j), (3+0j)]], dtype=complex64)");
  assert.is(pyRepr(read("bytes")), "array([[b'ab', b'', b'xyz'],\n       [b'\\x00a', b'q', b'\\xff\\x01']], dtype='|S3')");
  assert.is(pyRepr(read("str")), "array([['ab', '', 'hé'],\n       ['😀', 'z', '\\x00a']], dtype='<U2')");
  assert.is(pyRepr(read("0-d")), "array(1.5, dtype=float64)");
  assert.is(pyRepr(read("zero-size (0,)")), "array([], dtype=float64)");
  assert.is(pyRepr(read("zero-size (0, 3)")), "array([], shape=(0, 3), dtype=int16)");
  const k = pyRepr(read("K order (transposed 3-d)", 5));
  assert.ok(k.startsWith("array([[[0, 1, 2, 3],\n        [12, 13, 14, 15]],\n\n       [[4, 5, 6, 7],"), k);
});

test("a large array is summarised as numpy does: three items at each end", () => {
  const big = new NdArray(
    NumpyDtype.of("float64"),
    [2000],
    Float64Array.from({ length: 2000 }, (_, i) => i),
  );
  assert.is(pyRepr(big), "array([0.0, 1.0, 2.0, ..., 1997.0, 1998.0, 1999.0], dtype=float64)");
});

test("scalars print as numpy 2 prints them", () => {
  const failures: string[] = [];
  for (const s of samples.filter((x) => x.repr !== null && x.protocol === 4 && !("unsupported" in x.expect))) {
    const ours = pyRepr(loads(s.bytes));
    if (ours !== s.repr) failures.push(`${s.name}: ours ${ours}, numpy ${s.repr}`);
  }
  assert.equal(failures, []);
  assert.is(pyRepr(NumpyDtype.of("float64")), "dtype('float64')");
  assert.is(pyRepr(NumpyDtype.of("str", { length: 2, byteOrder: ">" })), "dtype('>U2')");
});

test("tagged JSON has a tag of its own per numpy value, and reads back to a value that writes the same pickle", () => {
  const tagged = toTagged(read("1-d")) as { ndarray: Record<string, unknown> };
  assert.equal(Object.keys(tagged), ["ndarray"]);
  assert.equal(tagged.ndarray.dtype, "<f8");
  assert.equal(tagged.ndarray.shape, [5]);
  const failures: string[] = [];
  for (const s of supported) {
    const value = loads(s.bytes, s.buffers ? { buffers: s.buffers } : {});
    const again = fromTagged(JSON.parse(stringifyTagged(toTagged(value)))) as PyValue;
    const buffers: Uint8Array[] = [];
    const bytes = dumps(again, { protocol: s.protocol, ...(s.buffers ? { bufferCallback: (b) => (buffers.push(b.data), false) } : {}) });
    if (toHex(bytes) !== toHex(s.bytes)) failures.push(`${s.name} @${s.protocol}`);
  }
  assert.equal(failures, []);
});

test("scan classes numpy's reconstruction globals as safe, and other numpy globals as unknown", () => {
  const unsafe = new Set<string>();
  for (const s of supported) for (const f of scan(s.bytes).findings) if (f.verdict !== "safe-stdlib") unsafe.add(`${s.name}: ${f.name} ${f.verdict}`);
  assert.equal([...unsafe], []);
  const masked = samples.find((s) => s.name === "masked array")!;
  const verdicts = new Map(scan(masked.bytes).findings.map((f) => [f.name, f.verdict]));
  assert.is(verdicts.get("numpy.ma.core._mareconstruct"), "unknown");
  assert.is(verdicts.get("numpy.dtype"), "safe-stdlib");
});

test.run();
