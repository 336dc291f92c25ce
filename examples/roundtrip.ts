// The main job, end to end: the codecs generated from schemas/ against the Python classes they stand
// for (python/myapp). For each sample the Python side pickles (python/schema_samples.py), at every
// protocol: CPython's pickle → loadsC → a typed instance → dumpsC → CPython's pickle.loads, which must
// give back an equal object; at protocols 2–5 our bytes must also be CPython's own.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dumpsTyped, loadsTyped } from "typed-pickle";
import { SAMPLE_CODECS } from "./sample-codecs.ts";

const PYTHON_DIR = fileURLToPath(new URL("../python/", import.meta.url));
const python = (args: string[], input?: string) =>
  execFileSync("python3", args, { cwd: PYTHON_DIR, input, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, PYTHONHASHSEED: "0" } });

const codecs = SAMPLE_CODECS;

const samples: Record<string, { class: string; pickles: (string | null)[] }> = JSON.parse(python(["schema_samples.py", "dump"]));
const lines: string[] = [];
const report = new Map<string, string[]>();
for (const [name, sample] of Object.entries(samples)) {
  const codec = codecs[sample.class]!;
  const notes: string[] = [];
  for (let p = 0; p < 6; p++) {
    const theirs = sample.pickles[p];
    const value = loadsTyped(codec, Buffer.from(theirs ?? sample.pickles.find((x) => x)!, "hex"));
    const ours = Buffer.from(dumpsTyped(codec, value, { protocol: p })).toString("hex");
    lines.push(`${name} ${p} ${ours}`);
    notes.push(theirs === null ? `${p}:written (CPython refuses)` : p >= 2 ? `${p}:${ours === theirs ? "same bytes" : "DIFFERENT BYTES"}` : `${p}:read`);
  }
  report.set(name, notes);
}
const checks = python(["schema_samples.py", "check"], lines.join("\n"))
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { ok: boolean; got: string | null });

let failures = 0;
for (const [i, name] of [...report.keys()].entries()) {
  const loadedBack = checks.slice(i * 6, i * 6 + 6).map((c) => c.ok);
  const bad = report.get(name)!.some((n) => n.includes("DIFFERENT")) || loadedBack.includes(false);
  if (bad) failures++;
  console.log(`${bad ? "✗" : "✓"} ${name.padEnd(26)} ${sample(name)}  CPython loads ours: ${loadedBack.map((ok) => (ok ? "✓" : "✗")).join("")}`);
  if (bad) for (const [p, c] of checks.slice(i * 6, i * 6 + 6).entries()) if (!c.ok) console.log(`    protocol ${p}: ${c.got}`);
}
function sample(name: string): string {
  return report.get(name)!.join("  ");
}
console.log(failures === 0 ? `\nall ${report.size} samples round-trip through python3 at protocols 0–5` : `\n${failures} samples failed`);
process.exitCode = failures === 0 ? 0 : 1;
