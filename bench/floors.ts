// Floors for issue 16's closing note: the irreducible costs each missed goal may hit, each measured
// alone in the steady state (bench/floor-cases.ts and bench/encode-floor-cases.ts say what each one is and what it is a floor for).
// Each floor runs in a fresh Node process (bench/floors-node-timer.ts, compiled as bench/compiled-timer.ts
// says) and its CPython counterpart,
// where one exists, in a fresh Python process (bench/python_statement_timer.py); both are sampled by
// the harness's own sampler (bench/steady-sampler.ts): warm-up until the median of the last 3 runs
// moves < 5%, then the median of ≥ 7 consecutive runs, no forced GC on either side. The table puts
// each floor, scaled to the count the workload's op makes, beside CPython's whole op (timed here, in
// the same conditions, as bench/steady.ts times it) and the time the goal allows.
//
//   node --import tsx bench/floors.ts [--runs=9] [--only=bigint-from-number,map-8]
//   → bench/results/floors.md and floors.json (full-scale data in bench/data, made if missing)
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { compiledTimer } from "./compiled-timer.ts";
import { ENCODE_FLOOR_CASES } from "./encode-floor-cases.ts";
import { FLOOR_CASES } from "./floor-cases.ts";
import { machineLine } from "./machine.ts";
import { type SamplingPolicy, median, sampleSteadyState } from "./steady-sampler.ts";
import { TimerProcess } from "./steady-timer-process.ts";
import { BENCH_DIR, GOALS, cpythonOps, dataDirFor, ensureWorkloads, pickleFile } from "./workload-data.ts";

const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Math.max(7, Number(option("runs") ?? 9));
const only = option("only")?.split(",");
const policy: SamplingPolicy = { window: 3, tolerance: 0.05, maxWarmupRuns: 40, maxWarmupSeconds: 5, runs };
const cases = [...FLOOR_CASES, ...ENCODE_FLOOR_CASES].filter((c) => !only || only.includes(c.name));

const dataDir = dataDirFor(false);
ensureWorkloads(dataDir, 1, [...new Set(cases.map((c) => c.floorFor.workload))]);
const PROTOCOL = 4;

/** CPython's whole op (the harness's command and sampling), measured once per (workload, op) in this run's conditions. */
const wholeOps = new Map<string, Promise<number>>();
function cpythonWholeOp(workload: string, op: "decode" | "encode"): Promise<number> {
  const key = `${workload} ${op}`;
  if (!wholeOps.has(key)) {
    const file = pickleFile(dataDir, workload, PROTOCOL);
    const command = op === "decode" ? `${cpythonOps(workload).decode} ${file} on` : `${cpythonOps(workload).encode} ${file} ${PROTOCOL} on`;
    const timer = new TimerProcess("python3", [join(BENCH_DIR, "python_timer.py")]);
    wholeOps.set(
      key,
      sample(timer, command).then((s) => s.median),
    );
  }
  return wholeOps.get(key)!;
}

async function sample(timer: TimerProcess, command = "run") {
  try {
    const s = await sampleSteadyState(() => timer.seconds(command), policy);
    return { median: median(s.times), min: Math.min(...s.times), max: Math.max(...s.times), warmupRuns: s.warmup.length, settled: s.settled };
  } finally {
    await timer.close();
  }
}

const loadBefore = loadavg();
const started = performance.now();
const rows = [];
for (const c of cases) {
  const nodeSample = await sample(new TimerProcess(process.execPath, [compiledTimer(join(BENCH_DIR, "floors-node-timer.ts")), dataDir, c.name]));
  const pythonSample = c.python ? await sample(new TimerProcess("python3", [join(BENCH_DIR, "python_statement_timer.py"), dataDir, c.python.setup, c.python.stmt])) : undefined;
  const cpython = await cpythonWholeOp(c.floorFor.workload, c.floorFor.op);
  const goal = GOALS[c.floorFor.workload]?.[c.floorFor.op === "decode" ? 0 : 1];
  rows.push({
    ...c,
    setup: undefined,
    nodeSample,
    pythonSample,
    atWorkload: c.floorFor.count === undefined ? undefined : (nodeSample.median * c.floorFor.count) / c.items,
    cpythonWholeOp: cpython,
    goal,
    budget: cpython && goal ? cpython / goal : undefined,
  });
  console.error(`  ${c.name} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
const loadAfter = loadavg();

const ms = (s: number | undefined) => (s === undefined ? "" : s >= 0.1 ? `${(s * 1000).toFixed(0)} ms` : s >= 0.001 ? `${(s * 1000).toFixed(2)} ms` : `${(s * 1e6).toFixed(0)} µs`);
const perItem = (s: number, items: number) => (items === 1 ? "" : `${((s / items) * 1e9).toFixed(1)} ns`);
/** A table cell's text: a `|` (also inside code) would end the cell. */
const cell = (text: string) => text.replaceAll("|", "\\|");
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(", ");
const command = `node --import tsx bench/floors.ts${argv.length ? ` ${argv.join(" ")}` : ""}`;
const lines = [
  `Floors, measured with \`${command}\` on ${machineLine()}; each in a fresh process, warm-up until the median of the last ${policy.window} runs moves < ${policy.tolerance * 100}% (cap ${policy.maxWarmupRuns} runs / ${policy.maxWarmupSeconds} s), then the median of ${policy.runs} consecutive runs; no forced GC (CPython's gc on, its result freed after the clock; Node's result kept until the next call). Load average ${load(loadBefore)} before, ${load(loadAfter)} after; ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  "",
  '"At the workload" scales the Node floor to the count the workload\'s op makes; "CPython\'s whole op" is CPython\'s median for that op on the full-scale workload, timed in this run as `npm run bench:steady` times it (gc on), and "goal allows" is that ÷ issue 16\'s goal — a floor above it means the goal cannot be met on that path.',
  "",
  "| floor (Node) | median | per item | CPython counterpart | CPython median | floor for | at the workload | CPython's whole op | goal allows |",
  "|---|---:|---:|---|---:|---|---:|---:|---:|",
  ...rows.map((r) =>
    [
      "",
      cell(r.what),
      ms(r.nodeSample.median) + (r.nodeSample.settled ? "" : "*"),
      perItem(r.nodeSample.median, r.items),
      r.python ? cell(`\`${r.python.stmt.length > 60 ? `${r.python.stmt.slice(0, 57)}…` : r.python.stmt}\`${r.python.note ? ` (${r.python.note})` : ""}`) : "—",
      r.pythonSample ? ms(r.pythonSample.median) + (r.pythonSample.settled ? "" : "*") : "",
      `${r.floorFor.workload} ${r.floorFor.op}: ${r.floorFor.note}`,
      ms(r.atWorkload),
      ms(r.cpythonWholeOp),
      r.budget === undefined ? "" : `${ms(r.budget)} (${r.goal!.toFixed(1)}×)`,
      "",
    ]
      .join(" | ")
      .trim(),
  ),
  "",
  "\\* = the warm-up hit its cap before the median settled.",
];
mkdirSync(join(BENCH_DIR, "results"), { recursive: true });
const stem = only ? "partial.floors" : "floors";
writeFileSync(
  join(BENCH_DIR, "results", `${stem}.json`),
  JSON.stringify({ date: new Date().toISOString(), command, machine: machineLine(), loadBefore, loadAfter, policy, rows }, null, 1),
);
writeFileSync(join(BENCH_DIR, "results", `${stem}.md`), lines.join("\n") + "\n");
console.log(lines.join("\n"));
