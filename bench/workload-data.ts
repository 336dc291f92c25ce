// Where the benchmark workloads live and how they are made: bench/workloads.py writes them (fixed
// seed) at a scale; every harness in bench/ reads the same files, made again when the scale differs
// or a workload is missing.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The full-scale data stays in bench/data; --quick's small data goes to a temporary directory. */
export const dataDirFor = (quick: boolean) => (quick ? join(tmpdir(), "typed-pickle-bench-quick") : join(BENCH_DIR, "data"));

/** Runs bench/workloads.py into dataDir unless its manifest already has every workload at this scale. */
export function ensureWorkloads(dataDir: string, scale: number, names: string[]): void {
  const manifestPath = join(dataDir, "manifest.json");
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : null;
  if (manifest && manifest.scale === scale && names.every((name) => name in manifest.workloads)) return;
  console.error(`generating workloads (scale ${scale}) into ${dataDir} …`);
  execFileSync("python3", [join(BENCH_DIR, "workloads.py"), "--scale", String(scale), "--out", dataDir], { stdio: ["ignore", "ignore", "inherit"] });
}

export const pickleFile = (dataDir: string, name: string, protocol: number) => join(dataDir, `${name}.p${protocol}.pkl`);

/** Issue 16's goals, CPython ÷ typed-pickle (decode, encode), for the headline implementation (bench/steady.ts, bench/floors.ts). */
export const GOALS: Record<string, [number, number]> = {
  records: [3.5, 6.5],
  "records-dicts": [1.5, 3.0],
  floats: [2.5, 1.0],
  ints: [1.5, 1.2],
  strings: [1.0, 2.5],
  blob: [3.5, 1.1],
  deep: [7.0, 2.0],
};

/** The workloads of the steady-state harness (bench/steady.ts), in its table's order. */
export const STEADY_WORKLOADS = ["records", "records-dicts", "floats", "ints", "strings", "blob", "deep", "ndarray", "ndarrays", "small-pickles", "tiny-pickles"];

/**
 * What CPython times per op (bench/python_timer.py's commands): `loads`/`dumps` of the one pickle a
 * workload's file holds, or, for the workloads made of many separate pickles (the file holds their
 * bytes), `loads` of each and `dumps` of each value — tiny-pickles is read as one stream, a
 * `pickle.load(f)` loop, the way typed-pickle's `loadsAll` reads it.
 */
export function cpythonOps(workload: string): { decode: "loads" | "loads-each" | "load-stream"; encode: "dumps" | "dumps-each" } {
  if (workload === "small-pickles") return { decode: "loads-each", encode: "dumps-each" };
  if (workload === "tiny-pickles") return { decode: "load-stream", encode: "dumps-each" };
  return { decode: "loads", encode: "dumps" };
}
