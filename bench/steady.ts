// The steady-state benchmark (issue 16): each workload of bench/workloads.py timed the way a
// running service meets it, on both sides alike. Per workload, one CPython process
// (bench/python_timer.py) and one Node process per typed-pickle implementation
// (bench/steady-node-timer.ts), each holding only the workload's bytes and one decoded copy. For
// every (process, op) the orchestrator warms up until the median of the last few runs settles,
// then times consecutive runs (bench/steady-sampler.ts), one call per request on both sides; no
// forced GC anywhere (CPython's gc on; a gc-off CPython row is the stricter bar), CPython's result
// freed after its clock. Python and Node blocks alternate over the rounds (who goes first
// alternates too). The Node timers run typed-pickle compiled from the current sources without tsx's
// keepNames wrappers, as users run it (bench/compiled-timer.ts says why). Ratio = CPython median ÷
// typed-pickle median; the headline uses the median of the per-round medians. The first call in each
// fresh process is reported as "cold", labelled.
//
// Many small pickles (issue 9 item 11) are two workloads whose file holds a list of separate pickles:
// small-pickles, 20,000 Celery task bodies of ~330 bytes, each `loads`'ed and each value `dumps`'ed on
// its own on both sides (CPython: `[pickle.loads(b) for b in items]`, `[pickle.dumps(v, 4) for v in
// values]`), so per-call set-up counts as it does for a service receiving one message at a time; and
// tiny-pickles, 500,000 × `N.` back to back in one 1 MB stream, read with `loadsAll` (and `loadStream`
// in 64 KiB chunks) against CPython's `pickle.load(f)` loop, and written one `dumps` per value.
// The CLI start-up (bench/cli-startup.ts: the compiled `typed-pickle show|dis|scan small.pkl` against
// `python3 -m pickletools` and `node -e 0`, medians of alternating launches) is a second table; it is
// skipped, with a note, when dist/ is not built (`npm run build`).
//
//   npm run bench:steady                     # full scale, 5 rounds → bench/results/steady.{md,json}
//   npm run bench:steady -- --quick          # tiny sizes, 1 round, few runs (CI) → quick.steady.*
//   npm run bench:steady -- --only=deep,ints --rounds=3 --runs=9   # → partial.steady.*
//   npm run bench:steady -- --timeit         # adds `python3 -m timeit` figures for CPython
//   npm run bench:steady -- --only=cli-startup --cli-runs=41   # the CLI start-up table alone
//   npm run bench:steady -- --via-tsx        # the Node timers through tsx instead (to compare)
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { type CliStartup, cliStartupMarkdown, cliStartupUnavailable, measureCliStartup } from "./cli-startup.ts";
import { compiledTimer } from "./compiled-timer.ts";
import { machineLine } from "./machine.ts";
import { type Sample, type SamplingPolicy, median, sampleSteadyState } from "./steady-sampler.ts";
import { TimerProcess } from "./steady-timer-process.ts";
import { type TimeitFigure, timeitFigures } from "./steady-timeit.ts";
import { headlineImpl, typedPickleImpls } from "./typed-pickle-impls.ts";
import { BENCH_DIR, GOALS, STEADY_WORKLOADS, cpythonOps, dataDirFor, ensureWorkloads, pickleFile } from "./workload-data.ts";

const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = argv.includes("--quick");
const withTimeit = argv.includes("--timeit");
const only = option("only")?.split(",");
const scale = quick ? 0.02 : Number(option("scale") ?? 1);
const rounds = Number(option("rounds") ?? (quick ? 1 : 5));
const PROTOCOL = 4;
const policy: SamplingPolicy = quick
  ? { window: 2, tolerance: 0.05, maxWarmupRuns: 8, maxWarmupSeconds: 0.5, runs: Number(option("runs") ?? 3) }
  : { window: 3, tolerance: 0.05, maxWarmupRuns: 40, maxWarmupSeconds: 2, runs: Number(option("runs") ?? 7) };

const WORKLOADS = STEADY_WORKLOADS.filter((w) => !only || only.includes(w));
// typed-pickle as users run it (bench/compiled-timer.ts), or through tsx with --via-tsx (to compare).
const nodeTimer = argv.includes("--via-tsx") ? [...process.execArgv, join(BENCH_DIR, "steady-node-timer.ts")] : [compiledTimer(join(BENCH_DIR, "steady-node-timer.ts"))];
const CPYTHON = "CPython pickle";
const CPYTHON_GC_OFF = "CPython pickle (gc off)";

const dataDir = dataDirFor(quick);
ensureWorkloads(dataDir, scale, WORKLOADS);

type Op = "decode" | "encode";
interface Series {
  workload: string;
  op: Op;
  impl: string;
  /** The first call in the fresh process (after it loaded its own copy): a single shot, cold. */
  cold: number;
  /** Set when the implementation cannot handle the workload (its first call threw): the message. */
  failed?: string;
  rounds: Sample[];
}
const series: Series[] = [];
const loadBefore = loadavg();
const started = performance.now();

/** A timing process with the commands for the ops it can time. */
interface Side {
  impl: string;
  timer: TimerProcess;
  commands: Partial<Record<Op, string>>;
}

/** Takes each op's cold call right after the process starts; an op that fails is reported, not timed. */
async function startSide(workload: string, impl: string, timer: TimerProcess, commands: Partial<Record<Op, string>>): Promise<Side> {
  const working: Partial<Record<Op, string>> = {};
  for (const [op, command] of Object.entries(commands) as [Op, string][]) {
    const answer = await timer.ask(command);
    if (answer.unsupported) continue;
    series.push({ workload, op, impl, cold: answer.seconds ?? Number.NaN, rounds: [], ...(answer.error !== undefined && { failed: answer.error }) });
    if (answer.error === undefined) working[op] = command;
  }
  return { impl, timer, commands: working };
}

async function measureWorkload(workload: string): Promise<void> {
  const file = pickleFile(dataDir, workload, PROTOCOL);
  // Started one after another (each answers its cold calls first) so no start-up overlaps a timing.
  const python = new TimerProcess("python3", [join(BENCH_DIR, "python_timer.py")]);
  const ops = cpythonOps(workload);
  const commands = (gc: "on" | "off") => ({ decode: `${ops.decode} ${file} ${gc}`, encode: `${ops.encode} ${file} ${PROTOCOL} ${gc}` });
  const pythonSides = [await startSide(workload, CPYTHON, python, commands("on")), { impl: CPYTHON_GC_OFF, timer: python, commands: commands("off") }];
  for (const op of ["decode", "encode"] as const) series.push({ workload, op, impl: CPYTHON_GC_OFF, cold: Number.NaN, rounds: [] });
  const nodeSides: Side[] = [];
  for (const { impl } of typedPickleImpls(workload)) {
    const timer = new TimerProcess(process.execPath, [...nodeTimer, file, String(PROTOCOL), workload, impl]);
    nodeSides.push(await startSide(workload, impl, timer, { decode: "decode", encode: "encode" }));
  }
  for (let round = 0; round < rounds; round++) {
    const blocks = round % 2 === 0 ? [...pythonSides, ...nodeSides] : [...nodeSides, ...pythonSides];
    for (const side of blocks) {
      for (const [op, command] of Object.entries(side.commands) as [Op, string][]) {
        const target = series.find((s) => s.workload === workload && s.op === op && s.impl === side.impl)!;
        target.rounds.push(await sampleSteadyState(() => side.timer.seconds(command), policy));
      }
    }
  }
  await Promise.all([python.close(), ...nodeSides.map((s) => s.timer.close())]);
  console.error(`  ${workload} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

for (const workload of WORKLOADS) await measureWorkload(workload);
const CLI_STARTUP = "cli-startup";
const cliRuns = Number(option("cli-runs") ?? (quick ? 3 : 21));
let cliStartup: CliStartup | undefined;
const cliStartupSkipped = !only || only.includes(CLI_STARTUP) ? cliStartupUnavailable() : "not asked for (--only)";
if (cliStartupSkipped === undefined) {
  cliStartup = measureCliStartup(cliRuns);
  console.error(`  ${CLI_STARTUP} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
} else console.error(`  CLI start-up skipped: ${cliStartupSkipped}`);
const timeit: TimeitFigure[] = withTimeit ? WORKLOADS.flatMap((w) => timeitFigures(w, pickleFile(dataDir, w, PROTOCOL), PROTOCOL)) : [];
const loadAfter = loadavg();

// ---- report ----
const results = series.map((s) => {
  const all = s.rounds.flatMap((r) => r.times);
  const m = median(s.rounds.map((r) => median(r.times)));
  const cpython = (impl: string) => series.find((x) => x.workload === s.workload && x.op === s.op && x.impl === impl);
  const ratioTo = (impl: string) => {
    const c = cpython(impl);
    return c ? median(c.rounds.map((r) => median(r.times))) / m : undefined;
  };
  return {
    workload: s.workload,
    op: s.op,
    impl: s.impl,
    failed: s.failed,
    median: m,
    min: Math.min(...all),
    max: Math.max(...all),
    cold: s.cold,
    roundMedians: s.rounds.map((r) => median(r.times)),
    warmupRuns: s.rounds.map((r) => r.warmup.length),
    settled: s.rounds.every((r) => r.settled),
    ratioToCPython: ratioTo(CPYTHON),
    ratioToCPythonGcOff: ratioTo(CPYTHON_GC_OFF),
    times: s.rounds.map((r) => r.times),
  };
});
const machine = machineLine();
const command = `npm run bench:steady${argv.length ? ` -- ${argv.join(" ")}` : ""}`;
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(", ");
const fmt = (s: number) => (Number.isNaN(s) ? "" : s >= 0.1 ? `${(s * 1000).toFixed(0)} ms` : s >= 0.001 ? `${(s * 1000).toFixed(2)} ms` : `${(s * 1e6).toFixed(0)} µs`);
const ratio = (r: number | undefined) => (r === undefined ? "" : `${r.toFixed(2)}×`);
const find = (workload: string, op: Op, impl: string) => results.find((r) => r.workload === workload && r.op === op && r.impl === impl);
const headline = WORKLOADS.map((w) => {
  const cell = (op: Op) => {
    const r = find(w, op, headlineImpl(w));
    if (r?.failed) return "fails";
    return r ? `${ratio(r.ratioToCPython)} (gc off: ${ratio(r.ratioToCPythonGcOff)})` : "";
  };
  const goal = GOALS[w];
  return `| ${w} | ${headlineImpl(w)} | ${cell("decode")} | ${cell("encode")} | ${goal ? `${goal[0].toFixed(1)}× / ${goal[1].toFixed(1)}×` : ""} |`;
});
const lines = [
  `Steady state, measured with \`${command}\` on ${machine}; protocol ${PROTOCOL}, scale ${scale}, ${rounds} round(s) of warm-up until the median of the last ${policy.window} runs moves < ${policy.tolerance * 100}% (cap ${policy.maxWarmupRuns} runs / ${policy.maxWarmupSeconds} s) then ${policy.runs} consecutive runs, Python and Node alternating; load average ${load(loadBefore)} before, ${load(loadAfter)} after; ${((performance.now() - started) / 1000).toFixed(0)} s. Ratio = CPython median ÷ typed-pickle median (median of the per-round medians); CPython with its gc on, the gc-off ratio in brackets is the stricter bar.`,
  "",
  "| workload | typed-pickle | decode × CPython | encode × CPython | goal (decode / encode) |",
  "|---|---|---:|---:|---|",
  ...headline,
  "",
  "All rows: median of the per-round medians, min–max over every timed run, the cold first call of a fresh process (a single shot, for reference only), warm-up runs per round (* = hit the cap before settling).",
  "",
  "| workload | op | implementation | median | min–max | cold (1st call) | warm-up runs | × CPython | × CPython gc off |",
  "|---|---|---|---:|---|---:|---|---:|---:|",
  ...results.map((r) =>
    r.failed
      ? `| ${r.workload} | ${r.op} | ${r.impl} | fails: ${r.failed} | | | | | |`
      : `| ${r.workload} | ${r.op} | ${r.impl} | ${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ${fmt(r.cold)} | ${r.warmupRuns.join(" ")}${r.settled ? "" : "*"} | ${ratio(r.ratioToCPython)} | ${ratio(r.ratioToCPythonGcOff)} |`,
  ),
  "",
  ...(cliStartup
    ? [
        `CLI start-up: the compiled CLI (\`node dist/generator/cli/main.js show|dis|scan small.pkl\`, run as installed: no NODE_OPTIONS) against \`python3 -m pickletools small.pkl\` and \`node -e 0\`. A launch has no warm state to reach, so its steady state is the median of ${cliStartup.runs} launches of each command in turn, after one warm-up launch each (file cache); CPU and peak RSS from GNU time. Issue 10's target: within 1.5× of \`node -e 0\`'s wall time, under 80 MB.`,
        "",
        ...cliStartupMarkdown(cliStartup),
      ]
    : [`CLI start-up: skipped (${cliStartupSkipped}).`]),
  ...(timeit.length
    ? [
        "",
        "Cross-check: `python3 -m timeit` (best of 5, gc off while timing, each result freed inside its clock) against the harness's CPython medians.",
        "",
        "| workload | op | timeit best | harness CPython (gc on / off) | timeit's line |",
        "|---|---|---:|---|---|",
        ...timeit.map(
          (t) =>
            `| ${t.workload} | ${t.op} | ${fmt(t.bestSeconds)} | ${fmt(find(t.workload, t.op, CPYTHON)!.median)} / ${fmt(find(t.workload, t.op, CPYTHON_GC_OFF)!.median)} | ${t.output} |`,
        ),
      ]
    : []),
];
const stem = only ? "partial.steady" : quick ? "quick.steady" : "steady";
mkdirSync(join(BENCH_DIR, "results"), { recursive: true });
writeFileSync(
  join(BENCH_DIR, "results", `${stem}.json`),
  JSON.stringify(
    { date: new Date().toISOString(), command, machine, loadBefore, loadAfter, protocol: PROTOCOL, scale, rounds, policy, results, timeit, cliStartup, cliStartupSkipped },
    null,
    1,
  ),
);
writeFileSync(join(BENCH_DIR, "results", `${stem}.md`), lines.join("\n") + "\n");
console.log(lines.join("\n"));
