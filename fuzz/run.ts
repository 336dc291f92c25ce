// The fuzzing harness's command line.
//
//   npm run fuzz -- --seed S --count N [--minutes M] [--differential] [--entry NAME ...] [--crafted]
//                   [--seeds] [--results DIR] [--no-minimize]
//
//   --seed S          PRNG seed (default 1): the same seed gives the same inputs
//   --count N         mutants to run (default 1000; with --minutes, no count limit unless given)
//   --minutes M       stop after M minutes
//   --differential    also compare strict/opaque loads with CPython's pickle.loads (python/fuzz_oracle.py),
//                     and load every pickle the dumps round trip wrote in CPython too
//   --entry NAME      only this entry point (repeatable): loads-strict, loads-opaque, loadsAll, loadStream,
//                     typed:<Class>, dumps@0 … dumps@5, dis, scan, show
//   --crafted         run issue 9's crafted resource-exhaustion inputs first (fuzz/crafted.ts)
//   --seeds           run the unmutated seeds first
//   --results DIR     where totals.json, findings.json and one .hex reproducer per finding go
//                     (default $TMPDIR/typed-pickle-fuzz/<seed>-<timestamp>)
//
// Prints progress, then the totals: inputs, crashes (raw errors), hangs, blow-ups, prototype changes,
// fast/general disagreements, CPython disagreements. Exit 1 when any failure was found.
import { parseArgs } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Campaign } from "./campaign.ts";
import { CRAFTED } from "./crafted.ts";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    count: { type: "string" },
    minutes: { type: "string" },
    differential: { type: "boolean", default: false },
    entry: { type: "string", multiple: true },
    crafted: { type: "boolean", default: false },
    seeds: { type: "boolean", default: false },
    results: { type: "string" },
    "no-minimize": { type: "boolean", default: false },
  },
});

const seed = Number(values.seed);
const resultsDir = values.results ?? join(tmpdir(), "typed-pickle-fuzz", `${seed}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const campaign = new Campaign({
  seed,
  count: values.count !== undefined ? Number(values.count) : undefined,
  minutes: values.minutes !== undefined ? Number(values.minutes) : undefined,
  differential: values.differential,
  entries: values.entry,
  includeSeeds: values.seeds,
  extra: values.crafted ? CRAFTED : [],
  resultsDir,
  minimize: !values["no-minimize"],
  log: (line) => console.log(line),
});
const { totals, findings } = await campaign.run();
console.log("\nTotals");
console.log(`  inputs                      ${totals.inputs} in ${totals.seconds} s (worker restarts: ${totals.workerRestarts})`);
console.log(`  crashes (raw errors)        ${totals.crashes}`);
console.log(`  hangs (> 2 s)               ${totals.hangs}`);
console.log(`  blow-ups (heap budget)      ${totals.blowups}`);
console.log(`  prototype changes           ${totals.prototypeChanges}`);
console.log(`  fast/general disagreements  ${totals.fastGeneralDisagreements}`);
console.log(
  `  CPython disagreements       ${totals.cpythonDisagreements}${values.differential ? ` (of ${totals.cpythonCompared} compared; documented differences: ${JSON.stringify(totals.cpythonExplained)})` : " (--differential not given)"}`,
);
console.log(`  other disagreements         ${totals.otherDisagreements} (loadStream vs loadsAll, dumps round trip)`);
console.log(`  distinct findings           ${findings.length}`);
for (const f of findings)
  console.log(
    `    ${f.kind} ${f.entry} x${f.count}: ${f.detail.split("\n")[0]!.slice(0, 160)}\n      ${f.hex.length > 120 ? f.hex.slice(0, 120) + `… (${f.hex.length / 2} bytes)` : f.hex}`,
  );
console.log(`Reproducers: ${resultsDir}`);
process.exitCode = findings.length > 0 ? 1 : 0;
