// Start-up cost of the compiled CLI against node's own: `typed-pickle show|dis|scan small.pkl`
// (dist/generator/cli/main.js, as installed) and `node -e 0`, run in turn N times each, with
// `python3 -m pickletools` for reference. Reports the median wall time, the median CPU time
// (user + sys: less moved by other processes on a busy machine than wall time), the median peak
// RSS (GNU time's %M) and each one's wall-time ratio to `node -e 0`. The target (issue 10): within 1.5× of
// node's start-up and under 80 MB. A measurement, not a test: the machine's load moves it.
//
//   npm run build && node --import tsx bench/cli-startup.ts [runs=21] [main.js=dist/generator/cli/main.js]
// (another main.js: a copy of dist/ that a concurrent build cannot remove, or a bundled variant)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const CLI = process.argv[3] ?? join(REPO, "dist/generator/cli/main.js");
const RUNS = Number(process.argv[2] ?? 21);
const TARGET = { ratio: 1.5, rssMB: 80 };

if (!existsSync(CLI)) {
  process.stderr.write(`${CLI} is missing: run 'npm run build' first\n`);
  process.exit(2);
}
if (!existsSync("/usr/bin/time")) {
  process.stderr.write("GNU time (/usr/bin/time) is needed for the peak RSS\n");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-startup-"));
const small = join(dir, "small.pkl");
spawnSync(
  "python3",
  ["-c", "import pickle, sys; pickle.dump({'id': 7, 'name': 'café', 'tags': ['a', 'b'], 'score': 2.5, 'raw': b'\\x00\\x01'}, open(sys.argv[1], 'wb'), protocol=4)", small],
  { stdio: "inherit" },
);

// Children run as a user runs them: without this repository's NODE_OPTIONS (conditions, loaders).
const env = { ...process.env };
delete env.NODE_OPTIONS;

const CASES: { name: string; argv: string[] }[] = [
  { name: "node -e 0", argv: [process.execPath, "-e", "0"] },
  { name: "typed-pickle show", argv: [process.execPath, CLI, "show", small] },
  { name: "typed-pickle dis", argv: [process.execPath, CLI, "dis", small] },
  { name: "typed-pickle scan", argv: [process.execPath, CLI, "scan", small] },
  { name: "python3 -m pickletools", argv: ["python3", "-m", "pickletools", small] },
];

/** One run: wall milliseconds (this process's clock around the spawn), CPU milliseconds and peak RSS in MB (GNU time). */
function measure(argv: string[]): { ms: number; cpu: number; mb: number } {
  const timeFile = join(dir, "time");
  const start = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S %M", "-o", timeFile, ...argv], { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
  const [user, sys, kb] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number, number];
  return { ms, cpu: (user + sys) * 1000, mb: kb / 1024 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const samples = new Map(CASES.map((c) => [c.name, { ms: [] as number[], cpu: [] as number[], mb: [] as number[] }]));
for (const c of CASES) measure(c.argv); // warm the file cache once
for (let i = 0; i < RUNS; i++) {
  for (const c of CASES) {
    const { ms, cpu, mb } = measure(c.argv);
    const s = samples.get(c.name)!;
    s.ms.push(ms);
    s.cpu.push(cpu);
    s.mb.push(mb);
  }
}
rmSync(dir, { recursive: true, force: true });

const baseline = median(samples.get("node -e 0")!.ms);
const baselineCpu = median(samples.get("node -e 0")!.cpu);
process.stdout.write(`${RUNS} runs each, in turn; node ${process.version}; medians; ${CLI}\n`);
process.stdout.write(
  `${"command".padEnd(24)} ${"wall ms".padStart(8)} ${"× node".padStart(7)} ${"CPU ms".padStart(7)} ${"× node".padStart(7)} ${"RSS MB".padStart(7)}  target (1.5×, 80 MB)\n`,
);
for (const c of CASES) {
  const s = samples.get(c.name)!;
  const [ms, cpu, mb] = [median(s.ms), median(s.cpu), median(s.mb)];
  const ratio = ms / baseline;
  const verdict = c.name.startsWith("typed-pickle") ? (ratio <= TARGET.ratio && mb < TARGET.rssMB ? "met" : "MISSED") : "";
  const cells = [ms.toFixed(0).padStart(8), ratio.toFixed(2).padStart(7), cpu.toFixed(0).padStart(7), (cpu / baselineCpu).toFixed(2).padStart(7), mb.toFixed(1).padStart(7)];
  process.stdout.write(`${c.name.padEnd(24)} ${cells.join(" ")}  ${verdict}\n`);
}
