// Where the time goes: each workload's decode and encode run under `node --cpu-prof` in a process of
// its own, and the functions with the most self time written to bench/results/profiles.md — the
// evidence behind the README's notes on missed targets.
//
//   node --import tsx bench/profile.ts            # every case (needs bench/data: run the bench once)
//   node --import tsx bench/profile.ts --case=records:decode   # one case (or "memo"), printed
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { T, dumps, dumpsTyped, loads, loadsTyped } from "typed-pickle";
import { UserCodec } from "./generated/records.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const CASES = [
  "records:decode",
  "records:encode",
  "records-dicts:decode",
  "records-dicts:encode",
  "floats:decode",
  "ints:decode",
  "ints:encode",
  "strings:decode",
  "strings:encode",
  "blob:encode",
  "deep:decode",
  "deep:encode",
];
const run = process.argv.find((a) => a.startsWith("--run="))?.slice(6);
const only = process.argv.find((a) => a.startsWith("--case="))?.slice(7);

if (run) {
  // The profiled process: the operation, warmed up, then repeated for about two seconds.
  const [workload, op] = run.split(":") as [string, "decode" | "encode"];
  const data = new Uint8Array(readFileSync(join(HERE, "data", `${workload}.p4.pkl`)));
  const limits = { limits: { maxDepth: 1e6, maxIntDigits: 1e6 } };
  const codec = T.list(UserCodec);
  let f: () => unknown;
  if (workload === "records") {
    const users = loadsTyped(codec, data);
    f = op === "decode" ? () => loadsTyped(codec, data) : () => dumpsTyped(codec, users);
  } else {
    const value = loads(data, limits);
    f = op === "decode" ? () => loads(data, limits) : () => dumps(value);
  }
  for (let i = 0; i < 3; i++) f();
  const start = performance.now();
  while (performance.now() - start < 2000) f();
  process.exit(0);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Self time per function, largest first, as "percent name (file)". */
function topFunctions(dir: string, count: number): string[] {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url } = byId.get(id)!.callFrame;
    if (url.includes("node:internal") || url.includes("/tsx/") || functionName === "(program)" || functionName === "(idle)") return;
    const where = url ? ` (${url.split("/").slice(-2).join("/")})` : "";
    const key = `${functionName || "(anonymous)"}${where}`;
    self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i]!);
    total += profile.timeDeltas[i]!;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

const sections: string[] = [];
for (const c of only ? CASES.filter((x) => x === only) : CASES) {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-profile-"));
  execFileSync(process.execPath, ["--cpu-prof", "--cpu-prof-interval", "250", "--cpu-prof-dir", dir, "--import", "tsx", fileURLToPath(import.meta.url), `--run=${c}`], {
    stdio: "inherit",
  });
  const impl = c.startsWith("records:") ? "generated typed codec" : "generic runtime";
  sections.push(
    `## ${c.replace(":", " ")} (protocol 4, ${impl})\n\nSelf time, share of samples in this library's and V8's code:\n\n\`\`\`\n${topFunctions(dir, 12).join("\n")}\n\`\`\`\n`,
  );
  rmSync(dir, { recursive: true });
  console.error(`  ${c} profiled`);
}
if (!only || only === "memo") sections.push(memoCost());

/**
 * What the pickler's memo alone costs for the records workload: one identity lookup-and-insert per
 * instance, list and datetime, one by-value lookup-and-insert per distinct string — nothing written.
 */
function memoCost(): string {
  const data = new Uint8Array(readFileSync(join(HERE, "data", "records.p4.pkl")));
  const users = loadsTyped(T.list(UserCodec), data);
  const objects: object[] = [];
  const strings: string[] = [];
  for (const u of users) {
    objects.push(u, u.address, u.tags, u.created);
    strings.push(u.name, u.address.street, u.address.city, u.address.zip, ...u.tags);
  }
  const once = () => {
    const byIdentity = new Map<object, number>();
    const byValue = new Map<string, number>();
    for (let i = 0; i < objects.length; i++) if (byIdentity.get(objects[i]!) === undefined) byIdentity.set(objects[i]!, i);
    for (let i = 0; i < strings.length; i++) if (byValue.get(strings[i]!) === undefined) byValue.set(strings[i]!, i);
  };
  for (let i = 0; i < 5; i++) once();
  const times: number[] = [];
  for (let i = 0; i < 31; i++) {
    const t = performance.now();
    once();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const encode = (() => {
    const all: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      dumpsTyped(T.list(UserCodec), users);
      all.push(performance.now() - t);
    }
    return all.sort((a, b) => a - b)[7]!;
  })();
  return `## records encode: the memo alone

${objects.length} identity and ${strings.length} by-value Map lookups (with an insert when new), as the pickler's memo makes them, and nothing else: median ${times[15]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)} ms), against a whole typed encode of ${encode.toFixed(1)} ms (median) in the same process.
`;
}

const text = `# Profiles\n\nMade by \`node --import tsx bench/profile.ts\` (node --cpu-prof, 250 µs sampling, each case in a process of its own, ~2 s of repeated runs after warm-up).\n\n${sections.join("\n")}`;
if (only) console.log(text);
else writeFileSync(join(HERE, "results", "profiles.md"), text);
