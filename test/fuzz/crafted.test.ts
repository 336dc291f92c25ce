// Issue 9's crafted resource-exhaustion inputs (fuzz/crafted.ts) through every entry point under the
// fuzzing watchdog: each answered (or refused with a PickleError) within 2 s and 64 x its size + 16 MiB
// of heap, no prototype touched, fast and general typed paths agreeing.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Campaign, occurrences } from "../../fuzz/campaign.ts";
import { CRAFTED } from "../../fuzz/crafted.ts";
import { ENTRY_NAMES } from "../../fuzz/entries.ts";
import { Supervisor } from "../../fuzz/supervisor.ts";

const test = suite("crafted hostile inputs");
const supervisor = new Supervisor();

test("the 12-byte far-memo pickle is answered in milliseconds by every entry point", async () => {
  const memo = CRAFTED.find((c) => c.name === "far-memo-2^26")!;
  const result = await supervisor.run(memo.data);
  assert.equal(occurrences(result, memo.data.length, supervisor.timeBudgetMs), []);
  assert.equal(
    result.reports.map((r) => r.entry),
    ENTRY_NAMES,
  );
  // A hang guard with a wide margin (it aborted Node after ~24 s); speed itself is measured in bench/.
  const slow = result.reports.filter((r) => r.ms > 250).map((r) => `${r.entry}: ${Math.round(r.ms)} ms`);
  assert.equal(slow, []);
});

for (const input of CRAFTED) {
  test(`${input.name} (${input.data.length} bytes): ${input.note}`, async () => {
    const result = await supervisor.run(input.data);
    const found = occurrences(result, input.data.length, supervisor.timeBudgetMs);
    // A flagged heap growth counts once a child held to the budget confirms it (as in a campaign).
    const real = [];
    for (const o of found) {
      if (o.kind === "blowup" && o.detail.startsWith("heap grew")) {
        const confirmed = await Supervisor.confirmHeap(input.data, o.entry, supervisor.baseline);
        if (!confirmed.over) continue;
        o.detail += `; ${confirmed.reason}`;
      }
      real.push(`${o.kind} in ${o.entry}: ${o.detail.split("\n")[0]}`);
    }
    assert.equal(real, []);
  });
}

test("the crafted corpus runs through a campaign too (npm run fuzz -- --crafted)", async () => {
  const campaign = new Campaign({ seed: 1, count: 0, extra: CRAFTED.filter((c) => c.data.length < 64), minimize: false });
  const { totals } = await campaign.run();
  assert.is(totals.inputs, CRAFTED.filter((c) => c.data.length < 64).length);
});

test.after(() => supervisor.close());
test.run();
