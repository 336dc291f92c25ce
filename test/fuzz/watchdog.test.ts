// The fuzzing harness must be able to fail: for every entry point, an entry made to misbehave on
// purpose (fuzz/worker.ts `sabotage`: a raw TypeError, a prototype change, an endless loop, an
// allocation to the heap limit, 48 MiB kept) is reported as what it is, pinned on that entry, and the
// harness goes on with a new child. Plus the differential comparison and its allowlist.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Campaign, occurrences } from "../../fuzz/campaign.ts";
import { compareWithCPython, CPythonOracle, KNOWN_DIFFERENCES } from "../../fuzz/differential.ts";
import { ENTRY_NAMES } from "../../fuzz/entries.ts";
import { Supervisor } from "../../fuzz/supervisor.ts";
import type { Sabotage } from "../../fuzz/worker.ts";
import { loads } from "../../runtime/index.ts";
import { stringifyTagged, toTagged } from "../../runtime/format/tagged-json.ts";

const test = suite("fuzz watchdog");
const supervisor = new Supervisor();
const NONE = Uint8Array.from([0x4e, 0x2e]); // N. : every entry accepts it

const expectedKind: Record<Sabotage, string> = { crash: "crash", pollute: "prototype", hang: "hang", fat: "blowup", keep: "blowup" };
const KINDS: Sabotage[] = ["crash", "pollute", "hang", "fat"];

ENTRY_NAMES.forEach((entry, i) => {
  const kind = KINDS[i % KINDS.length]!;
  test(`${entry}: a ${kind} is reported on it, and the other entries still run`, async () => {
    const result = await supervisor.run(NONE, { sabotage: { entry, kind } });
    const found = occurrences(result, NONE.length, supervisor.timeBudgetMs);
    assert.equal(
      found.map((o) => `${o.kind} ${o.entry}`),
      [`${expectedKind[kind]} ${entry}`],
      JSON.stringify(found),
    );
    // After a hang or a death a new child goes on: every other entry still reports.
    const reported = new Set(result.reports.map((r) => r.entry));
    for (const other of ENTRY_NAMES) if (other !== entry) assert.ok(reported.has(other), `${other} did not run`);
  });
});

test("an entry that keeps 48 MiB over a 16 MiB budget is flagged, and a child held to the budget confirms it", async () => {
  const fresh = new Supervisor();
  try {
    const result = await fresh.run(NONE, { entries: ["scan"], sabotage: { entry: "scan", kind: "keep" } });
    const found = occurrences(result, NONE.length, fresh.timeBudgetMs);
    assert.equal(
      found.map((o) => `${o.kind} ${o.entry}`),
      ["blowup scan"],
    );
    const confirmed = await Supervisor.confirmHeap(NONE, "scan", fresh.baseline, { entry: "scan", kind: "keep" });
    assert.ok(confirmed.over, "the tight child survived");
    const clean = await Supervisor.confirmHeap(NONE, "scan", fresh.baseline);
    assert.not.ok(clean.over, `an honest entry was reported: ${clean.reason}`);
  } finally {
    fresh.close();
  }
});

test("a campaign counts every occurrence, keeps one finding per signature, and shrinks its input", async () => {
  const campaign = new Campaign({ seed: 5, count: 3, entries: ["dis"], sabotage: { entry: "dis", kind: "crash" } });
  const { totals, findings } = await campaign.run();
  assert.is(totals.inputs, 3);
  assert.is(totals.crashes, 3);
  assert.is(findings.length, 1);
  assert.is(findings[0]!.count, 3);
  assert.ok(findings[0]!.hex.length <= 2, `not shrunk: ${findings[0]!.hex.length / 2} bytes`); // any input shows it
});

test("differential: a different value or a one-sided refusal is a disagreement; documented classes are explained", () => {
  const one = { ok: true as const, tagged: stringifyTagged(toTagged(loads(Uint8Array.from([0x4b, 1, 0x2e])))) };
  assert.equal(compareWithCPython({ strict: one }, { strict: { ok: true, tagged: { int: "1" } } }).disagreements, []);
  assert.is(compareWithCPython({ strict: one }, { strict: { ok: true, tagged: { int: "2" } } }).disagreements.length, 1);
  assert.is(compareWithCPython({ strict: one }, { strict: { ok: false, error: "UnpicklingError: no" } }).disagreements.length, 1);
  const deep = { ok: false as const, error: "UnpicklingError: nesting depth exceeds the limit of 10000 (offset 0)" };
  const r = compareWithCPython({ opaque: deep }, { opaque: { ok: true, tagged: { list: [] } } });
  assert.equal([r.disagreements, r.explained], [[], ["depth-limit"]]);
  for (const d of KNOWN_DIFFERENCES) assert.ok(d.reason.length > 20, `${d.name} needs a reason`);
});

test("differential: CPython's answers come back per input, and nothing named in a pickle is called", async () => {
  const oracle = new CPythonOracle();
  try {
    const marker = `/tmp/typed-pickle-fuzz-injected-${process.pid}`;
    const attack = Buffer.from(`cos\nsystem\n(S'touch ${marker}'\ntR.`, "latin1");
    const [none, evil, bad] = await oracle.ask([Uint8Array.from([0x4e, 0x2e]), attack, Uint8Array.from([0x28, 0x2e])]);
    assert.equal(none!.strict, { ok: true, tagged: { none: null } });
    assert.equal(evil!.strict, { ok: false, error: "UnpicklingError: global 'os.system' is not allowed" });
    assert.ok(evil!.opaque!.ok && JSON.stringify(evil!.opaque).includes('"class":"os.system"'), JSON.stringify(evil!.opaque));
    assert.not.ok(bad!.strict!.ok);
    const { existsSync } = await import("node:fs");
    assert.not.ok(existsSync(marker), "os.system ran");
  } finally {
    oracle.close();
  }
});

test.after(() => supervisor.close());
test.run();
