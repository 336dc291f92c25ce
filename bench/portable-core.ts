// The portable core's speed with and without Node's Buffer, against a baseline tree. Each variant is
// an esbuild bundle of runtime/index.ts (+ the generated records codec), run in a Node process of its
// own — "without Buffer" is the current bundle imported while globalThis.Buffer is hidden, so its
// byte helpers take the TextDecoder/TextEncoder/loop paths. Processes alternate between variants
// (one variant's heap and JIT state never touch another's), and times are CPU time (user + system),
// which other processes on a busy machine do not inflate as much as wall time.
//
//   node --import tsx bench/portable-core.ts [--baseline=/path/to/old/tree] [--current=/path/to/tree]
//        [--processes=5] [--rounds=15] [--only=loadsTyped]
//
// A tree is a directory holding runtime/, bench/generated/ and bench/schemas/ (e.g. from
// `git archive <commit> runtime bench/generated bench/schemas | tar -x -C dir`); --current defaults
// to this checkout. Workloads come from bench/data (run `npm run bench` once to make them).
// Not a test: it prints.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rounds = Number(arg("rounds") ?? 15);
const only = arg("only"); // the workloads whose name contains this
const dataDir = join(ROOT, "bench", "data");

interface Core {
  loads(data: Uint8Array, options?: object): unknown;
  dumps(value: unknown): Uint8Array;
  loadsTyped(codec: unknown, data: Uint8Array): unknown;
  dumpsTyped(codec: unknown, value: unknown): Uint8Array;
  T: { list(codec: unknown): GeneralCodec };
  UserCodec: unknown;
  registryFor(codec: unknown): unknown;
  FromPy: new (root: string, strict: boolean) => unknown;
  ToPy: new (root: string) => unknown;
}

/** A codec's general conversions (the table-compiled toPy / fromPy of a class codec). */
interface GeneralCodec {
  toPy(value: unknown, ctx: unknown): unknown;
  fromPy(value: unknown, ctx: unknown): unknown;
}

type Op = { name: string; run: (core: Core) => () => unknown };
const bytes = (name: string) => new Uint8Array(readFileSync(join(dataDir, name))); // plain Uint8Array, not a Buffer
const allOps: Op[] = [
  {
    name: "strings p4 loads",
    run: (c) => {
      const d = bytes("strings.p4.pkl");
      return () => c.loads(d);
    },
  },
  {
    name: "strings p4 dumps",
    run: (c) => {
      const v = c.loads(bytes("strings.p4.pkl"));
      return () => c.dumps(v);
    },
  },
  {
    name: "records p4 loadsTyped",
    run: (c) => {
      const codec = c.T.list(c.UserCodec);
      const d = bytes("records.p4.pkl");
      return () => c.loadsTyped(codec, d);
    },
  },
  {
    name: "records p4 dumpsTyped",
    run: (c) => {
      const codec = c.T.list(c.UserCodec);
      const v = c.loadsTyped(codec, bytes("records.p4.pkl"));
      return () => c.dumpsTyped(codec, v);
    },
  },
  // The general path's conversions alone, without the reader or writer around them.
  {
    name: "records p4 fromPy (general path)",
    run: (c) => {
      const codec = c.T.list(c.UserCodec);
      const v = c.loads(bytes("records.p4.pkl"), { mode: "strict", globals: c.registryFor(codec) });
      return () => codec.fromPy(v, new c.FromPy("$", false));
    },
  },
  {
    name: "records p4 toPy (general path)",
    run: (c) => {
      const codec = c.T.list(c.UserCodec);
      const v = c.loadsTyped(codec, bytes("records.p4.pkl"));
      return () => codec.toPy(v, new c.ToPy("$"));
    },
  },
  {
    name: "records p2 loadsTyped",
    run: (c) => {
      const codec = c.T.list(c.UserCodec);
      const d = bytes("records.p2.pkl");
      return () => c.loadsTyped(codec, d);
    },
  },
  {
    name: "records p4 loads (generic, opaque)",
    run: (c) => {
      const d = bytes("records.p4.pkl");
      return () => c.loads(d, { mode: "opaque" });
    },
  },
  {
    name: "blob p4 loads",
    run: (c) => {
      const d = bytes("blob.p4.pkl");
      return () => c.loads(d);
    },
  },
  {
    name: "blob p4 dumps",
    run: (c) => {
      const v = c.loads(bytes("blob.p4.pkl"));
      return () => c.dumps(v);
    },
  },
];
const ops = allOps.filter((op) => only === undefined || op.name.includes(only));

const cpuMs = (fn: () => unknown) => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e3;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const child = arg("child"); // a bundle to time, in this process
if (child !== undefined) {
  if (process.argv.includes("--hide-buffer")) delete (globalThis as { Buffer?: unknown }).Buffer;
  const core = (await import(pathToFileURL(child).href)) as Core;
  const result: Record<string, number> = {};
  for (const op of ops) {
    const fn = op.run(core);
    for (let w = 0; w < 5; w++) fn();
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) times.push(cpuMs(fn));
    result[op.name] = median(times);
  }
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

if (!existsSync(join(dataDir, "manifest.json"))) throw new Error("no bench/data: run `npm run bench` first");
const out = mkdtempSync(join(tmpdir(), "typed-pickle-portable-bench-"));
async function bundle(tree: string, name: string): Promise<string> {
  const file = join(out, `${name}.mjs`);
  await build({
    stdin: { contents: `export * from "./runtime/index.ts"; export { UserCodec } from "./bench/generated/records.ts";`, resolveDir: tree, loader: "ts" },
    bundle: true,
    format: "esm",
    target: "es2022", // lowers the schemas' decorators for Node 20
    platform: "node", // a baseline tree may import node: modules; the current core has none
    alias: { "typed-pickle": join(tree, "runtime/index.ts") },
    outfile: file,
    logLevel: "error",
  });
  return file;
}

const baseline = arg("baseline");
const current = await bundle(arg("current") ?? ROOT, "current");
const variants: { label: string; args: string[] }[] = [];
if (baseline) variants.push({ label: "baseline (with Buffer)", args: [`--child=${await bundle(baseline, "baseline")}`] });
variants.push({ label: "current, with Buffer", args: [`--child=${current}`] });
variants.push({ label: "current, without Buffer", args: [`--child=${current}`, "--hide-buffer"] });

const processes = Number(arg("processes") ?? 5);
const perVariant = variants.map(() => [] as Record<string, number>[]);
const self = fileURLToPath(import.meta.url);
const passOn = process.argv.slice(2).filter((a) => a.startsWith("--rounds=") || a.startsWith("--only="));
for (let p = 0; p < processes; p++) {
  variants.forEach((v, i) => {
    const text = execFileSync(process.execPath, [...process.execArgv, self, ...v.args, ...passOn], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    perVariant[i]!.push(JSON.parse(text));
  });
}

const manifest = JSON.parse(readFileSync(join(dataDir, "manifest.json"), "utf8"));
console.log(
  `portable core bench: ${processes} processes per variant × ${rounds} timed runs, CPU ms, median of the processes' medians (min–max); bench/data scale ${manifest.scale}, Node ${process.version}\n`,
);
for (const op of ops) {
  console.log(op.name);
  const medians = perVariant.map((results) => results.map((r) => r[op.name]!));
  const base = median(medians[0]!);
  variants.forEach((v, i) => {
    const m = medians[i]!;
    console.log(`  ${v.label.padEnd(26)} ${median(m).toFixed(2).padStart(8)} ms (${Math.min(...m).toFixed(2)}–${Math.max(...m).toFixed(2)})  ${(median(m) / base).toFixed(2)}×`);
  });
}
