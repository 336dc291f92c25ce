// numpy arrays and scalars through generated codecs (schemas/ml.ts), against real numpy 1.26 and 2.x:
// the pickles each numpy writes at protocols 2–5 load into typed arrays, numbers, bigints and
// booleans, and our pickles of those values load back in that numpy equal (dtype, shape, values,
// memory order) and byte for byte what numpy itself writes. Includes the done-when case:
// {"weights": rand(1000, 100), "labels": arange(1000)} (as a Model instance).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Arrays, Model, type Stats } from "../../schemas/ml.ts";
import { dumpsArrays, dumpsModel, dumpsStats, loadsArrays, loadsModel, loadsStats } from "../../generated/ml.ts";
import { type Generation, checked, made } from "./typed-oracle.ts";

const test = suite("numpy typed fields round trip");

const PROTOCOLS = [2, 3, 4, 5];
/** Samples numpy writes deterministically: ours must be its bytes. */
const EXACT = ["model", "arrays", "stats"];
/** Samples written back in another layout (native byte order, C order): equal, not identical. */
const REWRITTEN = ["big_endian", "strided"];
const CASES = [...EXACT, ...REWRITTEN].flatMap((c) => PROTOCOLS.map((p): [string, number] => [c, p]));

type Loaded = Model | Arrays | Stats;
const load = (c: string, data: Uint8Array): Loaded => (c === "model" ? loadsModel(data) : c === "stats" ? loadsStats(data) : loadsArrays(data));
function dump(c: string, value: Loaded, protocol: number, generation: Generation): Uint8Array {
  const options = { protocol, numpy: generation } as const;
  return c === "model" ? dumpsModel(value as Model, options) : c === "stats" ? dumpsStats(value as Stats, options) : dumpsArrays(value as Arrays, options);
}

// One python process per numpy generation to make the pickles, one to check ours.
const loaded = new Map<Generation, Loaded[]>();
for (const generation of [1, 2] as const) {
  loaded.set(
    generation,
    made(generation, CASES).map((data, i) => load(CASES[i]![0], data)),
  );
}
const at = (generation: Generation, c: string, protocol: number) => loaded.get(generation)![CASES.findIndex(([x, p]) => x === c && p === protocol)]!;

test("the done-when model: weights and labels load into a Float64Array and a BigInt64Array, from numpy 1 and 2 at protocols 2-5", () => {
  const reference = at(2, "model", 4) as Model;
  for (const generation of [1, 2] as const) {
    for (const protocol of PROTOCOLS) {
      const model = at(generation, "model", protocol) as Model;
      assert.ok(model instanceof Model);
      assert.ok(model.weights.data instanceof Float64Array);
      assert.equal([model.weights.shape, model.weights.order, model.weights.data.length], [[1000, 100], "C", 100_000]);
      assert.ok(model.weights.data.every((x) => x >= 0 && x < 1));
      assert.equal(model.weights.data, reference.weights.data, `numpy ${generation}, protocol ${protocol}`);
      assert.ok(model.labels.data instanceof BigInt64Array);
      assert.equal([model.labels.shape, model.labels.data[0], model.labels.data[999]], [[1000], 0n, 999n]);
    }
  }
  // RandomState(0).rand's first value, the same in both generations.
  assert.is(reference.weights.data[0], 0.5488135039273248);
});

test("every mapped dtype loads as documented: bool bytes, float16 bits, complex pairs, F order, 0-d, empty, str and bytes", () => {
  for (const generation of [1, 2] as const) {
    const a = at(generation, "arrays", 5) as Arrays;
    assert.equal(
      [a.flags.shape, Array.from(a.flags.data)],
      [
        [2, 3],
        [1, 0, 1, 0, 1, 1],
      ],
    );
    assert.ok(a.flags.data instanceof Uint8Array);
    assert.equal(Array.from(a.i1.data), [-128, 0, 127]);
    // F order: the column-major items of [[-3, -2, -1], [0, 1, 2]].
    assert.equal([a.i2.order, a.i2.shape, Array.from(a.i2.data)], ["F", [2, 3], [-3, 0, -2, 1, -1, 2]]);
    assert.equal(Array.from(a.i8.data), [-(2n ** 63n), 2n ** 63n - 1n, 0n]);
    assert.equal(Array.from(a.u8.data), [2n ** 64n - 1n, 0n]);
    assert.equal(Array.from(a.u4.data), [2 ** 32 - 1]);
    // float16 as raw IEEE half bits: 1.5, -0.0, inf, 65504, nan.
    assert.equal(Array.from(a.f2.data), [0x3e00, 0x8000, 0x7c00, 0x7bff, 0x7e00]);
    assert.ok(a.f4.data instanceof Float32Array);
    assert.equal([a.f4.order, Array.from(a.f4.data)], ["F", [1.25, 3, -2.5, NaN]]);
    assert.equal([a.f8.shape, Array.from(a.f8.data)], [[], [3.5]]);
    assert.equal(Array.from(a.c8.data), [1, 2, 0, -3.5]);
    assert.equal(
      [a.c16.shape, Array.from(a.c16.data)],
      [
        [2, 1],
        [1, 1, 2, -2],
      ],
    );
    assert.equal([a.empty.shape, a.empty.data.length], [[0, 3], 0]);
    assert.equal([a.names.data, a.names.itemsize], [["ab", "héll", ""], 4]);
    assert.equal([a.codes.data.map((b) => Buffer.from(b).toString()), a.codes.itemsize], [["ab", "xyz", ""], 3]);
  }
});

test("numpy scalars load as numbers, bigints and booleans", () => {
  for (const generation of [1, 2] as const) {
    const s = at(generation, "stats", 2) as Stats;
    assert.equal(
      { ...s },
      {
        mean: 1.5,
        f4: Math.fround(0.1),
        f2: 0.5,
        count: -3n,
        i4: -7,
        i2: -300,
        i1: -1,
        u8: 2n ** 64n - 1n,
        u4: 4000000000,
        u2: 65535,
        u1: 200,
        ok: true,
        no: false,
      },
    );
  }
});

test("big-endian data and non-contiguous views load in the host's order, C order", () => {
  const a = at(2, "big_endian", 5) as Arrays;
  assert.equal(
    [Array.from(a.f8.data), Array.from(a.i4.data), Array.from(a.c16.data)],
    [
      [1.5, -2],
      [1, -2],
      [1, -1],
    ],
  );
  assert.equal([Array.from(a.f2.data), Array.from(a.u8.data), a.names.data], [[0x3800], [2n ** 64n - 2n], ["zé"]]);
  for (const protocol of PROTOCOLS) {
    const s = at(2, "strided", protocol) as Arrays;
    // arange(24).reshape(2, 3, 4).transpose(1, 0, 2): numpy 2 writes 'K' + axis order at protocol 5.
    assert.equal([s.i8.shape, s.i8.order, Array.from(s.i8.data.slice(0, 8))], [[3, 2, 4], "C", [0n, 1n, 2n, 3n, 12n, 13n, 14n, 15n]]);
    assert.equal(
      [s.f8.shape, Array.from(s.f8.data)],
      [
        [2, 2],
        [0, 2, 3, 5],
      ],
    );
  }
});

test("written back, each numpy loads them equal, and byte for byte as it writes them itself", () => {
  for (const generation of [1, 2] as const) {
    // Values read from either generation, written for this one.
    const ours = ([1, 2] as const).flatMap((from) => CASES.map(([c, protocol]) => ({ case: c, protocol, data: dump(c, at(from, c, protocol), protocol, generation), from })));
    const verdicts = checked(generation, ours);
    ours.forEach((o, i) => {
      const v = verdicts[i]!;
      const where = `${o.case} read from numpy ${o.from}, written for numpy ${generation} at protocol ${o.protocol}`;
      assert.ok(v.equal, `${where}: ${v.problems.join("; ")}`);
      if (EXACT.includes(o.case)) assert.ok(v.identical, `${where}: not numpy's bytes`);
    });
  }
});

test.run();
