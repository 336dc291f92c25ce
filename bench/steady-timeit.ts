// The cross-check of the harness's CPython figures: `python3 -m timeit` itself on the same files —
// its best of 5 repeats, each the mean of an auto-ranged loop. timeit differs from the harness on
// purpose: it turns the cyclic GC off while timing and frees each result inside its clock, and it
// reports the best run, not a median, so its figures bound CPython's speed from below.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, STEADY_WORKLOADS, cpythonOps } from "./workload-data.ts";

export interface TimeitFigure {
  workload: string;
  op: "decode" | "encode";
  command: string;
  /** timeit's own line, e.g. "50 loops, best of 5: 6.7 msec per loop". */
  output: string;
  bestSeconds: number;
}

const UNIT: Record<string, number> = { sec: 1, msec: 1e-3, usec: 1e-6, nsec: 1e-9 };

export function timeitFigures(workload: string, path: string, protocol: number): TimeitFigure[] {
  // Run from bench/ (`-m` puts the working directory on sys.path): records' pickle names bench_models.User,
  // the many-pickles workloads import python_timer.
  // The deep workload needs more than the default recursion limit, as in bench/python_timer.py.
  const ops = cpythonOps(workload);
  const oneData = ops.decode === "loads";
  // A workload of many separate pickles times python_timer's own operation (its list comprehension or
  // stream loop) so the statement has one home; a one-pickle workload shows its statement plainly.
  const setup = oneData
    ? `import pickle, sys; sys.setrecursionlimit(20_000); data = open(${JSON.stringify(path)}, "rb").read(); value = pickle.loads(data)`
    : `import python_timer; decode = python_timer.operation("${ops.decode}", ${JSON.stringify(path)}); encode = python_timer.operation("${ops.encode}", ${JSON.stringify(path)}, ${protocol})`;
  const statements = oneData ? { decode: "pickle.loads(data)", encode: `pickle.dumps(value, ${protocol})` } : { decode: "decode()", encode: "encode()" };
  return (["decode", "encode"] as const).map((op) => {
    const args = ["-m", "timeit", "-s", setup, statements[op]];
    const output = execFileSync("python3", args, { encoding: "utf8", cwd: BENCH_DIR }).trim();
    const match = /best of \d+: ([\d.]+) (\w+) per loop/.exec(output);
    if (!match || !(match[2]! in UNIT)) throw new Error(`unexpected timeit output: ${output}`);
    const command = `cd bench && python3 -m timeit -s '${setup.replaceAll(path, `data/${workload}.p${protocol}.pkl`)}' '${statements[op]}'`;
    return { workload, op, command, output, bestSeconds: Number(match[1]) * UNIT[match[2]!]! };
  });
}

// Run alone, it prints the figures for the full-scale data in bench/data (made by `npm run bench` or
// `npm run bench:steady`): node --import tsx bench/steady-timeit.ts [workload…]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const workloads = process.argv.length > 2 ? process.argv.slice(2) : STEADY_WORKLOADS;
  for (const workload of workloads) {
    for (const figure of timeitFigures(workload, join(BENCH_DIR, "data", `${workload}.p4.pkl`), 4)) console.log(`${workload} ${figure.op}: ${figure.output}`);
  }
}
