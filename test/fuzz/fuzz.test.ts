// The CI slice of the fuzzing harness (fuzz/): a fixed seed, the CPython-written seeds themselves and
// a bounded number of their mutants, every entry point under the watchdog, compared with CPython.
// Every failure class must be zero. A longer run is `npm run fuzz -- --seed S --minutes M --differential`.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Campaign, type Finding } from "../../fuzz/campaign.ts";
import { TYPED_LOADERS } from "../../fuzz/entries.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const COUNT = Number(process.env.FUZZ_COUNT ?? 400);

const test = suite("fuzz slice");

const list = (findings: Finding[]) =>
  findings
    .map(
      (f) =>
        `${f.kind} in ${f.entry} (x${f.count}): ${f.detail.split("\n").slice(0, 2).join(" / ").slice(0, 300)}\n    ${f.hex.length > 400 ? `${f.hex.slice(0, 400)}… (${f.hex.length / 2} bytes)` : f.hex}`,
    )
    .join("\n");

test(`seed ${SEED}: the seeds and ${COUNT} mutants, every entry point, against CPython: no failure of any kind`, async () => {
  const { totals, findings } = await new Campaign({ seed: SEED, count: COUNT, includeSeeds: true, differential: true }).run();
  const zero = {
    crashes: 0,
    hangs: 0,
    blowups: 0,
    prototypeChanges: 0,
    fastGeneralDisagreements: 0,
    cpythonDisagreements: 0,
    otherDisagreements: 0,
  };
  const got = Object.fromEntries(Object.keys(zero).map((k) => [k, totals[k as keyof typeof zero]]));
  assert.equal(got, zero, `${findings.length} distinct findings:\n${list(findings)}`);
  // The slice must reach past the front door: values read, typed classes built, CPython consulted.
  assert.ok(totals.inputs >= COUNT, `${totals.inputs} inputs`);
  assert.ok(totals.accepted["loads-opaque"]! > totals.inputs / 5, `loads-opaque accepted ${totals.accepted["loads-opaque"]}`);
  for (const { name } of TYPED_LOADERS) assert.ok((totals.accepted[`typed:${name}`] ?? 0) > 0, `typed:${name} never accepted an input`);
  assert.ok(totals.cpythonCompared > totals.inputs / 2, `${totals.cpythonCompared} compared with CPython`);
});

test.run();
