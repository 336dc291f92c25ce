// Protocol 5 with the array data out of band (PEP 574), through generated codecs: numpy's pickle and
// buffers load with the `buffers` option, and `bufferCallback` gives back numpy's own pickle and
// buffers, which each numpy generation loads equal.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { PickleBuffer } from "typed-pickle";
import { dumpsArrays, dumpsModel, loadsArrays, loadsModel } from "../../generated/ml.ts";
import { checked, madeOutOfBand } from "./typed-oracle.ts";

const test = suite("numpy typed fields out of band");

test("numpy's out-of-band model and arrays load, and are written back with the same buffers, for numpy 1 and 2", () => {
  for (const generation of [1, 2] as const) {
    const [model, arrays] = madeOutOfBand(generation, ["model", "arrays"]) as [{ data: Uint8Array; buffers: Uint8Array[] }, { data: Uint8Array; buffers: Uint8Array[] }];
    // One buffer per array: weights then labels.
    assert.equal(
      model.buffers.map((b) => b.length),
      [800_000, 8_000],
    );
    const m = loadsModel(model.data, { buffers: model.buffers });
    assert.equal([m.weights.shape, m.labels.data[999]], [[1000, 100], 999n]);
    const a = loadsArrays(arrays.data, { buffers: arrays.buffers });
    assert.equal(a.names.data, ["ab", "héll", ""]);
    const out = (dump: () => Uint8Array, buffers: PickleBuffer[]) => ({ data: dump(), buffers: buffers.map((b) => b.data) });
    const mBuffers: PickleBuffer[] = [];
    const aBuffers: PickleBuffer[] = [];
    const ours = [
      { case: "model", protocol: 5, ...out(() => dumpsModel(m, { protocol: 5, numpy: generation, bufferCallback: (b) => (mBuffers.push(b), false) }), mBuffers) },
      { case: "arrays", protocol: 5, ...out(() => dumpsArrays(a, { protocol: 5, numpy: generation, bufferCallback: (b) => (aBuffers.push(b), false) }), aBuffers) },
    ];
    assert.equal(ours[0]!.buffers.length, 2);
    for (const [i, v] of checked(generation, ours).entries()) {
      assert.ok(v.equal, `${ours[i]!.case} (numpy ${generation}): ${v.problems.join("; ")}`);
      assert.ok(v.identical, `${ours[i]!.case} (numpy ${generation}): not numpy's pickle and buffers`);
    }
  }
});

test.run();
