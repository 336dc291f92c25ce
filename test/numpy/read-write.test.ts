// numpy's own pickles (numpy 2.x from the PATH python3, numpy 1.26 from a venv) read as numpy sees
// them and written back byte for byte: every modelled dtype, C/F/K and strided layouts, big-endian,
// zero-size and 0-d arrays, read-only buffers, scalars, shared dtypes, protocols 2–5 in and out of band.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  NdArray,
  NumpyDtype,
  NumpyScalar,
  NumpyUnsupportedError,
  type PickleBuffer,
  PyObject,
  UnpicklingError,
  dumps,
  loads,
  type PyValue,
  type WriteOptions,
} from "../../runtime/index.ts";
import { dtypeFromStr } from "../../runtime/numpy/tagged.ts";
import { toHex } from "../support/python.ts";
import { NUMPY1, type Sample, mismatch, numpySamples } from "./samples.ts";

const generations = [
  { generation: 2 as const, ...numpySamples("python3") },
  { generation: 1 as const, ...numpySamples(NUMPY1()) },
];

const test = suite("numpy pickles: read and written back");

const supported = (s: Sample) => !("unsupported" in s.expect);

/** Writes `value` as `sample` was written: same protocol, buffers out of band when it had them. */
function rewrite(value: PyValue, sample: Sample, options: WriteOptions = {}): { bytes: Uint8Array; buffers: Uint8Array[] } {
  const buffers: Uint8Array[] = [];
  const callback = sample.buffers ? { bufferCallback: (b: PickleBuffer) => (buffers.push(b.data), false) } : {};
  return { bytes: dumps(value, { protocol: sample.protocol, ...callback, ...options }), buffers };
}

for (const { generation, version, samples } of generations) {
  test(`numpy ${version}: the samples cover what they should`, () => {
    assert.ok(version.startsWith(`${generation}.`), version);
    const names = new Set(samples.map((s) => s.name));
    for (const n of ["K order (transposed 3-d)", "float16 big-endian", "0-d", "zero-size (0, 3)", "scalar complex64", "read-only (out of band)"]) assert.ok(names.has(n), n);
    // numpy ≥ 2.3 writes 'K' at protocol 5; numpy 1.26 falls back to _reconstruct for the same array.
    const k = samples.find((s) => s.name === "K order (transposed 3-d)" && s.protocol === 5)!;
    assert.is(toHex(k.bytes).includes(toHex(new TextEncoder().encode("_frombuffer"))), generation === 2);
  });

  test(`numpy ${version}: every sample reads as numpy sees it`, () => {
    const failures: string[] = [];
    for (const s of samples.filter(supported)) {
      const value = loads(s.bytes, s.buffers ? { buffers: s.buffers } : {});
      for (const m of mismatch(value, s.expect, s.protocol)) failures.push(`${s.name} @${s.protocol}: ${m}`);
    }
    assert.equal(failures, []);
  });

  test(`numpy ${version}: every array remembers the generation that wrote it`, () => {
    for (const s of samples.filter((s) => "array" in s.expect || "scalar" in s.expect)) {
      const value = loads(s.bytes, s.buffers ? { buffers: s.buffers } : {}) as NdArray | NumpyScalar;
      assert.is(value.generation, generation, s.name);
    }
  });

  test(`numpy ${version}: every sample is written back byte for byte, with the same out-of-band buffers`, () => {
    const failures: string[] = [];
    for (const s of samples.filter(supported)) {
      const { bytes, buffers } = rewrite(loads(s.bytes, s.buffers ? { buffers: s.buffers } : {}), s);
      if (toHex(bytes) !== toHex(s.bytes)) failures.push(`${s.name} @${s.protocol}:\n  ours  ${toHex(bytes).slice(0, 400)}\n  numpy ${toHex(s.bytes).slice(0, 400)}`);
      else if (buffers.map(toHex).join() !== (s.buffers ?? []).map(toHex).join()) failures.push(`${s.name}: buffers differ`);
    }
    assert.equal(failures, []);
  });

  test(`numpy ${version}: arrays made in JavaScript (fresh dtypes, no generation) write numpy's bytes given numpy: ${generation}`, () => {
    const failures: string[] = [];
    for (const s of samples.filter((s) => "array" in s.expect || "scalar" in s.expect)) {
      const read = loads(s.bytes, s.buffers ? { buffers: s.buffers } : {}) as NdArray | NumpyScalar;
      const dtype = dtypeFromStr(read.dtype.str);
      const made =
        read instanceof NdArray
          ? new NdArray(dtype, [...read.shape], read.data.slice(), { order: read.order, axisOrder: read.axisOrder, readonly: read.readonly, strided: read.strided })
          : new NumpyScalar(dtype, read.value);
      const { bytes } = rewrite(made, s, { numpy: generation });
      if (toHex(bytes) !== toHex(s.bytes)) failures.push(`${s.name} @${s.protocol}`);
    }
    assert.equal(failures, []);
  });

  test(`numpy ${version}: values outside the model are refused in strict mode, naming what they are, and kept opaque in opaque mode`, () => {
    const failures: string[] = [];
    for (const s of samples.filter((s) => !supported(s))) {
      const what = (s.expect as { unsupported: string }).unsupported;
      const options = s.buffers ? { buffers: s.buffers } : {};
      try {
        loads(s.bytes, options);
        failures.push(`${s.name} @${s.protocol}: accepted`);
      } catch (e) {
        // A subclass's own reconstruction global (numpy.ma's) is simply not allowed; the rest are refused by name.
        const named = e instanceof NumpyUnsupportedError ? e.message.includes(what) : e instanceof UnpicklingError && /is not allowed/.test(e.message) && e.message.includes(what);
        if (!named || !(e as UnpicklingError).offset) failures.push(`${s.name} @${s.protocol}: ${(e as Error).name}: ${(e as Error).message}`);
      }
      const opaque = loads(s.bytes, { ...options, mode: "opaque" });
      if (!(opaque instanceof PyObject)) failures.push(`${s.name} @${s.protocol}: opaque mode gave ${Object.prototype.toString.call(opaque)}`);
      else if (toHex(dumps(opaque, { protocol: s.protocol })) !== toHex(s.bytes) && !s.buffers)
        failures.push(`${s.name} @${s.protocol}: the opaque record is not written back byte for byte`);
    }
    assert.equal(failures, []);
  });
}

test("a dtype of a pickle keeps its identity: a shared dtype is one object, written once", () => {
  const s = generations[0]!.samples.find((x) => x.name === "shared dtype and array" && x.protocol === 4)!;
  const [a, b, again] = loads(s.bytes) as NdArray[];
  assert.ok(a!.dtype === b!.dtype);
  assert.ok(a === again);
  assert.ok(a!.dtype instanceof NumpyDtype);
});

test.run();
