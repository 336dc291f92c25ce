// Lists of ints and floats are written in runs (one reservation up to the next frame boundary):
// the bytes must stay CPython's, frames included, for lists long enough to span many frames.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Pickler, dumps, type PyValue } from "typed-pickle";
import { runPython, toHex } from "../support/python.ts";

const test = suite("writer: number batches");

// The values of the Python side below, made in JavaScript.
const ints: PyValue[] = Array.from({ length: 60000 }, (_, i) => BigInt((i * 7919) % 5 === 0 ? i * 1234567891 : i % 3 === 0 ? -i : i * 65537));
ints[777] = 2n ** 70n;
const floats = Array.from({ length: 30000 }, (_, i) => i / 7 - 3000);

test("long lists of ints, floats and both, at protocols 2–5, as CPython writes them", () => {
  const python = JSON.parse(
    runPython([
      "-c",
      `
import json, pickle
ints = [(i * 1234567891 if (i * 7919) % 5 == 0 else (-i if i % 3 == 0 else i * 65537)) for i in range(60000)]
ints[777] = 2**70  # beyond a number: the run stops there and the loop writes it
floats = [i / 7 - 3000 for i in range(30000)]
mixed = [x for pair in zip(ints[:20000], floats[:20000]) for x in pair] + [None, True, "s"]
out = {name: [pickle.dumps(v, p).hex() for p in (2, 3, 4, 5)] for name, v in (("ints", ints), ("floats", floats), ("mixed", mixed))}
print(json.dumps(out))
`,
    ]),
  ) as Record<string, string[]>;
  const mixed: PyValue[] = [...ints.slice(0, 20000).flatMap((x, i) => [x, floats[i]!]), null, true, "s"];
  for (const [name, value] of [
    ["ints", ints],
    ["floats", floats],
    ["mixed", mixed],
  ] as const) {
    for (const [k, protocol] of [2, 3, 4, 5].entries()) assert.ok(toHex(dumps(value, { protocol })) === python[name]![k], `${name}, protocol ${protocol}`);
  }
});

test("the runs write the numbers: every int that fits 64 bits and every float goes through intRun and floatRun", () => {
  type Run = (this: Pickler, t: { i: number }) => boolean;
  const proto = Pickler.prototype as unknown as Record<"intRun" | "floatRun", Run>;
  const originals = { intRun: proto.intRun, floatRun: proto.floatRun };
  const written = { intRun: 0, floatRun: 0 };
  for (const name of ["intRun", "floatRun"] as const) {
    proto[name] = function (this: Pickler, t) {
      const before = t.i;
      const result = originals[name].call(this, t);
      written[name] += t.i - before;
      return result;
    };
  }
  try {
    dumps(ints);
    dumps(floats);
    dumps([2n ** 53n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 63n]);
  } finally {
    Object.assign(proto, originals);
  }
  // 60,000 ints but 2^70; then 2^53, -2^63 and 2^63 - 1 but not 2^63
  assert.equal(written, { intRun: 59999 + 3, floatRun: 30000 });
});

test.run();
