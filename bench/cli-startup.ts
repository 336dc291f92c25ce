// Start-up cost of the compiled CLI against node's own: `typed-pickle show|dis|scan small.pkl`
// (dist/generator/cli/main.js, as installed) and `node -e 0`, run in turn N times each, with
// `python3 -m pickletools` for reference. Reports the median wall time, the median CPU time
// (user + sys: less moved by other processes on a busy machine than wall time), the median peak
// RSS (GNU time's %M) and each one's wall-time ratio to `node -e 0`. The target (issue 10): within 1.5× of
// node's start-up and under 80 MB. A measurement, not a test: the machine's load moves it.
// Process start-up has no warm state to reach: its steady state is the median of many alternating
// launches after one launch of each has warmed the file cache. bench/steady.ts reports it as a
// table of its own (measureCliStartup, cliStartupMarkdown).
//
//   npm run build && node --import tsx bench/cli-startup.ts [runs=21] [main.js=dist/generator/cli/main.js]
// (another main.js: a copy of dist/ that a concurrent build cannot remove, or a bundled variant)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = fileURLToPath(new URL("../", import.meta.url));
export const COMPILED_CLI = join(REPO, "dist/generator/cli/main.js");
const GNU_TIME = "/usr/bin/time";
const TARGET = { ratio: 1.5, rssMB: 80 };
const NODE = "node -e 0";
const PICKLETOOLS = "python3 -m pickletools";

export interface StartupRow {
  name: string;
  /** Medians over the runs. CPU (user + sys) and peak RSS need GNU time; without it they are undefined. */
  wallMs: number;
  cpuMs: number | undefined;
  rssMB: number | undefined;
}
export interface CliStartup {
  runs: number;
  cli: string;
  rows: StartupRow[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Why the CLI start-up cannot be measured here (undefined: it can). */
export const cliStartupUnavailable = (cli = COMPILED_CLI) => (existsSync(cli) ? undefined : `${cli} is missing: run 'npm run build' first`);

/** `runs` rounds of one launch of each command in turn (after one warm-up launch each); medians per command. */
export function measureCliStartup(runs: number, cli = COMPILED_CLI): CliStartup {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-startup-"));
  try {
    const small = join(dir, "small.pkl");
    spawnSync(
      "python3",
      ["-c", "import pickle, sys; pickle.dump({'id': 7, 'name': 'café', 'tags': ['a', 'b'], 'score': 2.5, 'raw': b'\\x00\\x01'}, open(sys.argv[1], 'wb'), protocol=4)", small],
      { stdio: "inherit" },
    );
    // Children run as a user runs them: without this repository's NODE_OPTIONS (conditions, loaders).
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const cases: { name: string; argv: string[] }[] = [
      { name: NODE, argv: [process.execPath, "-e", "0"] },
      { name: "typed-pickle show", argv: [process.execPath, cli, "show", small] },
      { name: "typed-pickle dis", argv: [process.execPath, cli, "dis", small] },
      { name: "typed-pickle scan", argv: [process.execPath, cli, "scan", small] },
      { name: PICKLETOOLS, argv: ["python3", "-m", "pickletools", small] },
    ];
    const withTime = existsSync(GNU_TIME);
    /** One run: wall milliseconds (this process's clock around the spawn), CPU milliseconds and peak RSS in MB (GNU time). */
    const measure = (argv: string[]) => {
      const timeFile = join(dir, "time");
      const start = performance.now();
      const r = withTime
        ? spawnSync(GNU_TIME, ["-f", "%U %S %M", "-o", timeFile, ...argv], { env, stdio: ["ignore", "ignore", "pipe"] })
        : spawnSync(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "ignore", "pipe"] });
      const ms = performance.now() - start;
      if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
      if (!withTime) return { ms };
      const [user, sys, kb] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number, number];
      return { ms, cpu: (user + sys) * 1000, mb: kb / 1024 };
    };
    const samples = new Map(cases.map((c) => [c.name, { ms: [] as number[], cpu: [] as number[], mb: [] as number[] }]));
    for (const c of cases) measure(c.argv); // warm the file cache once
    for (let i = 0; i < runs; i++) {
      for (const c of cases) {
        const { ms, cpu, mb } = measure(c.argv);
        const s = samples.get(c.name)!;
        s.ms.push(ms);
        if (cpu !== undefined) s.cpu.push(cpu);
        if (mb !== undefined) s.mb.push(mb);
      }
    }
    const rows = cases.map(({ name }) => {
      const s = samples.get(name)!;
      return { name, wallMs: median(s.ms), cpuMs: withTime ? median(s.cpu) : undefined, rssMB: withTime ? median(s.mb) : undefined };
    });
    return { runs, cli, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rowOf = (result: CliStartup, name: string) => result.rows.find((r) => r.name === name)!;

/** Markdown: medians, ratios to `node -e 0`, and pickletools ÷ each (the main table's "× CPython" sense: higher is better). */
export function cliStartupMarkdown(result: CliStartup): string[] {
  const node = rowOf(result, NODE);
  const pickletools = rowOf(result, PICKLETOOLS);
  const num = (x: number | undefined, unit = "") => (x === undefined ? "n/a" : `${x.toFixed(0)}${unit}`);
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? "n/a" : `${(a / b).toFixed(2)}×`);
  return [
    `| command (\`small.pkl\`: an 85-byte dict) | wall (median) | × \`node -e 0\` | CPU (user + sys) | × \`node -e 0\` | peak RSS | × CPython (pickletools wall ÷ this) |`,
    "|---|---:|---:|---:|---:|---:|---:|",
    ...result.rows.map(
      (r) =>
        `| \`${r.name}\` | ${num(r.wallMs, " ms")} | ${ratio(r.wallMs, node.wallMs)} | ${num(r.cpuMs, " ms")} | ${ratio(r.cpuMs, node.cpuMs)} | ${r.rssMB === undefined ? "n/a" : `${r.rssMB.toFixed(0)} MB`} | ${r.name.startsWith("typed-pickle") ? ratio(pickletools.wallMs, r.wallMs) : ""} |`,
    ),
  ];
}

// Run alone: the original text table with the issue-10 verdict per typed-pickle command.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cli = process.argv[3] ?? COMPILED_CLI;
  const unavailable = cliStartupUnavailable(cli);
  if (unavailable) {
    process.stderr.write(`${unavailable}\n`);
    process.exit(2);
  }
  if (!existsSync(GNU_TIME)) process.stderr.write(`GNU time (${GNU_TIME}) is missing: no CPU time or peak RSS\n`);
  const result = measureCliStartup(Number(process.argv[2] ?? 21), cli);
  const node = rowOf(result, NODE);
  const fixed = (x: number | undefined, digits: number, width: number) => (x === undefined ? "n/a" : x.toFixed(digits)).padStart(width);
  process.stdout.write(`${result.runs} runs each, in turn; node ${process.version}; medians; ${cli}\n`);
  process.stdout.write(
    `${"command".padEnd(24)} ${"wall ms".padStart(8)} ${"× node".padStart(7)} ${"CPU ms".padStart(7)} ${"× node".padStart(7)} ${"RSS MB".padStart(7)}  target (1.5×, 80 MB)\n`,
  );
  for (const r of result.rows) {
    const ratio = r.wallMs / node.wallMs;
    const verdict = r.name.startsWith("typed-pickle") ? (ratio <= TARGET.ratio && (r.rssMB ?? 0) < TARGET.rssMB ? "met" : "MISSED") : "";
    const cpuRatio = r.cpuMs === undefined || node.cpuMs === undefined ? undefined : r.cpuMs / node.cpuMs;
    const cells = [fixed(r.wallMs, 0, 8), fixed(ratio, 2, 7), fixed(r.cpuMs, 0, 7), fixed(cpuRatio, 2, 7), fixed(r.rssMB, 1, 7)];
    process.stdout.write(`${r.name.padEnd(24)} ${cells.join(" ")}  ${verdict}\n`);
  }
}
