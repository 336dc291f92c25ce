// The benchmark: every workload of bench/workloads.py, decoded and encoded by typed-pickle (the
// generated typed codec for records, the generic runtime for all), CPython's pickle (timed inside
// python3 on the same bytes and objects), pickleparser, JSON and msgpackr — Python and Node rounds
// alternating, medians reported with their spread and the ratio CPython time ÷ our time.
//
//   npm run bench                 # full scale, 9 rounds; writes bench/results/latest.{json,md}
//   npm run bench -- --quick      # small scale, 1 round: CI runs this so the benchmark cannot rot
//   npm run bench -- --only=records,floats --rounds=5   # some workloads; printed, not saved
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Packr, pack, unpack } from "msgpackr";
import { Parser } from "pickleparser";
import { T, loads, loadsTyped } from "typed-pickle";
import { UserCodec } from "./generated/records.ts";
import { machineLine } from "./machine.ts";
import { typedPickleImpls } from "./typed-pickle-impls.ts";
import { BENCH_DIR as HERE, dataDirFor, ensureWorkloads, pickleFile } from "./workload-data.ts";

const quick = process.argv.includes("--quick");
const rounds = quick ? 1 : Number(process.argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 9);
const scale = quick ? 0.02 : Number(process.argv.find((a) => a.startsWith("--scale="))?.slice(8) ?? 1);
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const dataDir = dataDirFor(quick);

// ---- workloads ----
const WORKLOADS: [string, number[]][] = [
  ["records", [4, 2]],
  ["records-dicts", [4]],
  ["floats", [4]],
  ["ints", [4]],
  ["strings", [4, 5]],
  ["blob", [4, 5]],
  ["deep", [4]],
  ["ndarray", [4, 5]],
  ["ndarrays", [4, 5]],
];
ensureWorkloads(
  dataDir,
  scale,
  WORKLOADS.map(([name]) => name),
);
const file = (name: string, protocol: number) => pickleFile(dataDir, name, protocol);
const bytesOf = (name: string, protocol: number) => new Uint8Array(readFileSync(file(name, protocol)));
const jsonOf = (name: string) => (existsSync(join(dataDir, `${name}.json`)) ? readFileSync(join(dataDir, `${name}.json`), "utf8") : undefined);

// Each workload runs in Node processes of its own (this script, with --child=<workload>:<group>),
// one for typed-pickle (alternating with CPython, timed in python3) and one for the other libraries:
// what one leaves in the heap and in the JIT's type feedback must not slow another down — CPython,
// in its own process, has none of that either.
const child = process.argv.find((a) => a.startsWith("--child="))?.slice(8);

// ---- CPython, timed inside python3 ----
const python = spawn("python3", [join(HERE, "python_timer.py")], { stdio: ["pipe", "pipe", "inherit"] });
const answers = createInterface({ input: python.stdout })[Symbol.asyncIterator]();
async function ask(command: string): Promise<Record<string, number>> {
  python.stdin.write(command + "\n");
  const { value } = await answers.next();
  return JSON.parse(value as string);
}

// ---- measurements ----
interface Row {
  /** Set when the implementation cannot handle the workload (it threw): the message. */
  failed?: string;
  workload: string;
  protocol: number;
  op: "decode" | "encode";
  impl: string;
  times: number[];
  bytes: number;
  objects?: number | undefined;
}
const rows: Row[] = [];
const row = (r: Omit<Row, "times">) => {
  const found = rows.find((x) => x.workload === r.workload && x.protocol === r.protocol && x.op === r.op && x.impl === r.impl);
  if (found) return found;
  const fresh = { ...r, times: [] };
  rows.push(fresh);
  return fresh;
};
const timeIt = (fn: () => unknown) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

type Impl = { impl: string; op: "decode" | "encode"; run: () => unknown };

/** typed-pickle's implementations ("ours") or the other libraries' ("peers"), for one child process. */
function implsFor(name: string, protocol: number, group: "ours" | "peers"): Impl[] {
  const data = bytesOf(name, protocol);
  const impls: Impl[] = [];
  for (const { impl, setup } of group === "ours" ? typedPickleImpls(name) : []) {
    const { decode, encode } = setup(data, protocol);
    if (decode) impls.push({ impl, op: "decode", run: decode });
    if (encode) impls.push({ impl, op: "encode", run: encode });
  }
  // The other libraries read no numpy (pickleparser refuses its globals; JSON and msgpack have no arrays).
  if (protocol === 4 && group === "peers" && !name.startsWith("ndarray")) {
    const parser = new Parser();
    impls.push({ impl: "pickleparser", op: "decode", run: () => parser.parse(data) });
    const json = jsonOf(name === "records" ? "records-dicts" : name);
    if (json !== undefined) {
      const parsed = JSON.parse(json);
      impls.push({ impl: "JSON", op: "decode", run: () => JSON.parse(json) });
      impls.push({ impl: "JSON", op: "encode", run: () => JSON.stringify(parsed) });
    }
    const plain = json !== undefined ? JSON.parse(json) : Object.fromEntries([...(loads(data) as Map<string, Uint8Array>)].map(([k, v]) => [k, Buffer.from(v)]));
    const packed = pack(plain);
    impls.push({ impl: "msgpackr", op: "decode", run: () => unpack(packed) });
    impls.push({ impl: "msgpackr", op: "encode", run: () => pack(plain) });
    if (name.startsWith("records")) {
      const packr = new Packr({ useRecords: true });
      const packedRecords = packr.pack(plain);
      impls.push({ impl: "msgpackr (records)", op: "decode", run: () => packr.unpack(packedRecords) });
      impls.push({ impl: "msgpackr (records)", op: "encode", run: () => packr.pack(plain) });
    }
  }
  return impls;
}

async function measure(name: string, protocols: number[], group: "ours" | "peers"): Promise<void> {
  const objects = name.startsWith("records") ? Math.max(10, Math.round(10_000 * scale)) : undefined;
  for (const protocol of protocols) {
    const size = bytesOf(name, protocol).length;
    const impls = implsFor(name, protocol, group);
    if (impls.length === 0) continue;
    // Warm-up before the first round, both sides: the JIT, the heap's limits, Python's allocator.
    for (let w = 0; w < (quick ? 1 : 3); w++) {
      if (group === "ours") {
        await ask(`loads ${file(name, protocol)} on`);
        await ask(`dumps ${file(name, protocol)} ${protocol} on`);
      }
      for (const impl of impls) {
        try {
          impl.run();
        } catch {
          // reported in the rounds
        }
      }
    }
    for (let r = 0; r < rounds; r++) {
      // Python first, then Node: the two alternate round by round (CPython with our runs).
      if (group === "ours") await timeCPython(name, protocol, size, objects);
      for (const impl of impls) {
        const target = row({ workload: name, protocol, op: impl.op, impl: impl.impl, bytes: size, objects });
        if (target.failed) continue;
        try {
          impl.run(); // warm
        } catch (e) {
          target.failed = (e as Error).message;
          continue;
        }
        target.times.push(timeIt(impl.run));
      }
    }
    console.error(`  ${name} p${protocol} ${group} done`);
  }
}

async function timeCPython(name: string, protocol: number, size: number, objects: number | undefined): Promise<void> {
  const at = { workload: name, protocol, bytes: size, objects };
  row({ ...at, op: "decode", impl: "CPython pickle" }).times.push((await ask(`loads ${file(name, protocol)} on`)).seconds!);
  if (name === "records" && protocol === 4) {
    row({ ...at, op: "decode", impl: "CPython pickle (gc off)" }).times.push((await ask(`loads ${file(name, protocol)} off`)).seconds!);
  }
  row({ ...at, op: "encode", impl: "CPython pickle" }).times.push((await ask(`dumps ${file(name, protocol)} ${protocol} on`)).seconds!);
}

if (child) {
  const [name, group] = child.split(":") as [string, "ours" | "peers"];
  await measure(name, WORKLOADS.find(([w]) => w === name)![1], group);
  python.stdin.end();
  process.stdout.write(JSON.stringify(rows));
  process.exit(0);
}
for (const [name] of WORKLOADS) {
  if (only && !only.includes(name)) continue;
  for (const group of ["ours", "peers"]) {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), `--child=${name}:${group}`, ...process.argv.slice(2).filter((a) => !a.startsWith("--only="))];
    rows.push(...(JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 })) as Row[]));
  }
}

// ---- memory (full runs only: at --quick sizes the numbers mean nothing) ----
const memory: Record<string, string> = {};
if (!quick && !only) {
  global.gc?.();
  const data = bytesOf("records", 4);
  const before = process.memoryUsage();
  const kept = loadsTyped(T.list(UserCodec), data);
  global.gc?.();
  const after = process.memoryUsage();
  const ours = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  const theirs = (await ask(`memory ${file("records", 4)}`)).bytes!;
  memory["records decode, retained (typed codec) vs CPython's tracemalloc peak"] =
    `${(ours / 2 ** 20).toFixed(1)} MiB vs ${(theirs / 2 ** 20).toFixed(1)} MiB (${(ours / theirs).toFixed(2)}×)`;
  void kept;
}
if (!quick && !only) {
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", join(HERE, "blob-dump-memory.ts"), file("blob", 4)], { encoding: "utf8" });
  const { outputBytes, extraPeakBytes } = JSON.parse(out) as { outputBytes: number; extraPeakBytes: number };
  memory["blob dump to a file (fresh process): peak RSS above holding the value ÷ output size"] =
    `${(extraPeakBytes / outputBytes).toFixed(2)}× (of ${(outputBytes / 2 ** 20).toFixed(0)} MiB)`;
}
python.stdin.end();

// ---- report ----
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (s: number) => (s >= 0.1 ? `${(s * 1000).toFixed(0)} ms` : `${(s * 1000).toFixed(2)} ms`);
const results = rows.map((r) => {
  if (r.failed) return { ...r, median: NaN, min: NaN, max: NaN, mbPerSecond: NaN, objectsPerSecond: undefined, ratioToCPython: undefined };
  const m = median(r.times);
  const cpython = rows.find((x) => x.workload === r.workload && x.protocol === r.protocol && x.op === r.op && x.impl === "CPython pickle");
  return {
    ...r,
    median: m,
    min: Math.min(...r.times),
    max: Math.max(...r.times),
    mbPerSecond: r.bytes / 2 ** 20 / m,
    objectsPerSecond: r.objects ? r.objects / m : undefined,
    ratioToCPython: cpython ? median(cpython.times) / m : undefined,
  };
});
const machine = machineLine();
mkdirSync(join(HERE, "results"), { recursive: true });
const stem = only ? "partial" : quick ? "quick" : "latest";
writeFileSync(join(HERE, "results", `${stem}.json`), JSON.stringify({ date: new Date().toISOString(), machine, rounds, scale, memory, results }, null, 1));
const lines = [
  `Measured with \`npm run bench${quick ? " -- --quick" : ""}\` on ${machine}; ${rounds} rounds, scale ${scale}; median (min–max); ratio = CPython time ÷ this time.`,
  "",
  "| workload | protocol | op | implementation | median | spread | MB/s | objects/s | × CPython |",
  "|---|---:|---|---|---:|---|---:|---:|---:|",
  ...results.map((r) =>
    (r.failed
      ? [r.workload, r.protocol, r.op, r.impl, `fails: ${r.failed}`, "", "", "", ""]
      : [
          r.workload,
          r.protocol,
          r.op,
          r.impl,
          fmt(r.median),
          `${fmt(r.min)}–${fmt(r.max)}`,
          r.mbPerSecond.toFixed(0),
          r.objectsPerSecond ? Math.round(r.objectsPerSecond).toLocaleString("en") : "",
          r.ratioToCPython ? `${r.ratioToCPython.toFixed(2)}×` : "",
        ]
    )
      .join(" | ")
      .replace(/^/, "| ")
      .concat(" |"),
  ),
  "",
  ...Object.entries(memory).map(([k, v]) => `- ${k}: ${v}`),
];
writeFileSync(join(HERE, "results", `${stem}.md`), lines.join("\n") + "\n");
console.log(lines.join("\n"));
