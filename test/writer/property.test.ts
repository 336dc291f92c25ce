// Property test: random values written here are byte-for-byte what CPython's pickle.dumps writes for
// the same value, at protocols 0–5 (one python3 process for the whole batch).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dumps } from "../../runtime/index.ts";
import { fromTagged } from "../../runtime/format/from-tagged.ts";
import type { Tagged } from "../../runtime/format/tagged-json.ts";
import { runPythonJsonLines, toHex } from "../support/python.ts";
import { sampleSpecs } from "../support/value-specs.ts";

const COUNT = Number(process.env.PROPERTY_COUNT ?? 5000);
const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);

const test = suite("writer property");

test(`${COUNT} random values × protocols 0–5: our bytes are CPython's (seed ${seed})`, () => {
  const shared = sampleSpecs(COUNT, seed);
  const input = shared.map((spec) => JSON.stringify({ spec })).join("\n");
  const results = runPythonJsonLines<{ ordered: Tagged; pickles: string[] }>(["writer_batch.py"], input);
  assert.is(results.length, COUNT);
  const failures: string[] = [];
  for (let i = 0; i < COUNT && failures.length < 10; i++) {
    const r = results[i]!;
    const value = fromTagged(r.ordered);
    const hasFold = JSON.stringify(r.ordered).includes('"fold":1');
    for (let p = 0; p < 6; p++) {
      if (hasFold && p < 4) {
        // CPython drops fold below protocol 4; we refuse instead of losing it silently.
        assert.throws(() => dumps(value, { protocol: p }), /fold=1 cannot be written at protocol/);
        assert.is(toHex(dumps(value, { protocol: p, allowFoldLoss: true })), r.pickles[p]!);
        continue;
      }
      let ours: string;
      try {
        ours = toHex(dumps(value, { protocol: p }));
      } catch (e) {
        ours = `error: ${(e as Error).message}`;
      }
      const theirs = r.pickles[p]!;
      if (ours !== theirs) {
        let at = 0;
        while (ours[at] === theirs[at]) at++;
        failures.push(
          `value ${i} protocol ${p}, first difference at byte ${at / 2}: ${JSON.stringify(r.ordered).slice(0, 200)}\n  ours:   …${ours.slice(Math.max(0, at - 40), at + 60)}\n  python: …${theirs.slice(Math.max(0, at - 40), at + 60)}`,
        );
      }
    }
  }
  assert.equal(failures.length, 0, `seed ${seed}:\n${failures.join("\n")}`);
});

test.run();
