// One fuzzing run: seeds from CPython, mutants drawn from a seeded PRNG, every input through every
// entry point under the watchdog (fuzz/supervisor.ts), optionally against CPython
// (fuzz/differential.ts). Failures are grouped by signature, the first input of each is shrunk
// (opcode chunks, then byte ranges) and kept as a hex reproducer.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSeeds } from "./seeds.ts";
import { mutate } from "./mutate.ts";
import { Rng } from "./prng.ts";
import { heapBudget, Supervisor, type InputResult } from "./supervisor.ts";
import type { InputRequest } from "./worker.ts";
import { CPythonOracle, compareWithCPython, sameTagged, type Disagreement } from "./differential.ts";
import { joinChunks, splitOps } from "./ops.ts";

export type FindingKind = "crash" | "hang" | "blowup" | "prototype" | "fast-general" | "cpython" | "stream-loadsAll" | "roundtrip" | "plain-lossless";

export interface Finding {
  kind: FindingKind;
  entry: string;
  /** What went wrong, with numbers and names kept (the first occurrence). */
  detail: string;
  /** Groups occurrences: kind, entry and the message with numbers taken out. */
  signature: string;
  /** The smallest input found that shows it, as hex. */
  hex: string;
  /** Inputs that showed it. */
  count: number;
  /** Where the first input came from (seed name + mutators, or a crafted input's name). */
  origin: string;
}

export interface Totals {
  inputs: number;
  crashes: number;
  hangs: number;
  blowups: number;
  prototypeChanges: number;
  fastGeneralDisagreements: number;
  cpythonDisagreements: number;
  otherDisagreements: number;
  /** Inputs compared with CPython, and differences explained by a documented class. */
  cpythonCompared: number;
  cpythonExplained: Record<string, number>;
  workerRestarts: number;
  /** Inputs each entry point refused cleanly / accepted: shows the fuzzer gets past the front door. */
  accepted: Record<string, number>;
  seconds: number;
}

export interface CampaignOptions {
  seed: number;
  /** Stop after this many inputs (mutants; crafted and seed inputs come on top when asked). */
  count?: number | undefined;
  minutes?: number | undefined;
  differential?: boolean;
  /** Only these entry points (names as in fuzz/entries.ts). */
  entries?: string[] | undefined;
  /** Run the seeds themselves first. */
  includeSeeds?: boolean;
  /** Extra named inputs to run first (the crafted corpus). */
  extra?: { name: string; data: Uint8Array }[];
  /** Where reproducers go (a directory; created). None: nothing written. */
  resultsDir?: string;
  /** Shrink reproducers (default true). */
  minimize?: boolean;
  log?: (line: string) => void;
  /** Watchdog self-test only: make one entry misbehave on every input (see fuzz/worker.ts). */
  sabotage?: InputRequest["sabotage"] | undefined;
}

const normalise = (s: string) =>
  s
    .replace(/0x[0-9a-f]+/gi, "N")
    .replace(/\d+/g, "N")
    .replace(/'[^']{20,}'/g, "'…'")
    .slice(0, 160);

function topFrame(stack: string | undefined): string {
  const line = stack?.split("\n").find((l) => /^\s+at /.test(l) && !/node:internal|fuzz\//.test(l));
  return line
    ? line
        .trim()
        .replace(/^at /, "")
        .replace(/\(?file:\/\/.*?\/(runtime|generated|generator)\//, "$1/")
        .replace(/:\d+\)?$/, "")
    : "";
}

export interface Occurrence {
  kind: FindingKind;
  entry: string;
  detail: string;
  signature: string;
}

/** The failures one input showed, each with its signature. */
export function occurrences(result: InputResult, length: number, timeBudgetMs: number): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (kind: FindingKind, entry: string, detail: string, key = detail) =>
    out.push({ kind, entry, detail, signature: `${kind}|${entry.startsWith("typed:") && kind !== "fast-general" ? "typed" : entry}|${normalise(key)}` });
  for (const h of result.hangs) add("hang", h.entry, `killed after ${Math.round(h.ms)} ms`, "killed");
  for (const d of result.deaths) add("blowup", d.entry, `the worker died: ${d.reason}`, d.reason);
  for (const r of result.reports) {
    if (r.status === "crash") add("crash", r.entry, `${r.error}\n${r.stack ?? ""}`, `${r.error} @ ${topFrame(r.stack)}`);
    if (r.ms > timeBudgetMs) add("hang", r.entry, `took ${Math.round(r.ms)} ms (budget ${timeBudgetMs} ms)`, "slow");
    if (r.prototypes) add("prototype", r.entry, r.prototypes.join(", "));
    for (const p of r.problems ?? []) add(p.kind, r.entry, p.detail, p.detail.replace(/(read back as|was|fast:|general:|accepts|refuses).*$/s, "$1"));
    if (r.heap > heapBudget(length)) add("blowup", r.entry, `heap grew ${(r.heap / 2 ** 20).toFixed(1)} MiB (budget ${(heapBudget(length) / 2 ** 20).toFixed(1)} MiB)`, "heap");
    if (r.external > heapBudget(length))
      add("blowup", r.entry, `array buffers grew ${(r.external / 2 ** 20).toFixed(1)} MiB (budget ${(heapBudget(length) / 2 ** 20).toFixed(1)} MiB)`, "external");
  }
  return out;
}

const cpythonSignature = (d: Disagreement) => `cpython|loads-${d.mode}|${normalise(d.shape.replace(/ \(offset .*$/, ""))}`;

/** Differences whose value is recorded from a construction CPython refuses (or cannot name): written back, CPython refuses it again. */
const WRITTEN_AS_REFUSED = new Set(["newobj-on-a-function", "opaque-getattr-call", "oracle-stand-in-name"]);

export class Campaign {
  readonly findings = new Map<string, Finding>();
  readonly totals: Totals = {
    inputs: 0,
    crashes: 0,
    hangs: 0,
    blowups: 0,
    prototypeChanges: 0,
    fastGeneralDisagreements: 0,
    cpythonDisagreements: 0,
    otherDisagreements: 0,
    cpythonCompared: 0,
    cpythonExplained: {},
    workerRestarts: 0,
    accepted: {},
    seconds: 0,
  };
  private readonly supervisor = new Supervisor();
  private oracle: CPythonOracle | undefined;
  private readonly log: (line: string) => void;

  constructor(private readonly options: CampaignOptions) {
    this.log = options.log ?? (() => {});
    if (options.differential) this.oracle = new CPythonOracle();
  }

  /** Runs the campaign; returns the totals (also in `this.totals`) and the distinct findings. */
  async run(): Promise<{ totals: Totals; findings: Finding[] }> {
    const started = performance.now();
    const deadline = this.options.minutes ? started + this.options.minutes * 60_000 : Infinity;
    const count = this.options.count ?? (this.options.minutes ? Infinity : 1000);
    const seeds = runSeeds();
    const seedBytes = seeds.map((s) => s.data);
    const rng = new Rng(this.options.seed);
    const pendingDiff: { data: Uint8Array; origin: string; tagged: InputResult["tagged"]; written: InputResult["written"] }[] = [];
    try {
      const queue: { name: string; data: Uint8Array }[] = [...(this.options.extra ?? []), ...(this.options.includeSeeds ? seeds : [])];
      let mutants = 0;
      for (;;) {
        let input = queue.shift();
        if (!input) {
          if (mutants >= count || performance.now() > deadline) break;
          const seed = seeds[rng.below(seeds.length)]!;
          const { data, steps } = mutate(rng.fork(), seed.data, seedBytes);
          input = { name: `${seed.name} + ${steps.join(",")} (mutant ${mutants})`, data };
          mutants++;
        }
        const result = await this.supervisor.run(input.data, { entries: this.options.entries, sabotage: this.options.sabotage });
        this.totals.inputs++;
        for (const r of result.reports) if (r.status === "ok") this.totals.accepted[r.entry] = (this.totals.accepted[r.entry] ?? 0) + 1;
        await this.record(input.data, input.name, occurrences(result, input.data.length, this.supervisor.timeBudgetMs));
        if (this.oracle && (result.tagged.strict || result.tagged.opaque)) {
          pendingDiff.push({ data: input.data, origin: input.name, tagged: result.tagged, written: result.written });
          if (pendingDiff.length >= 100) await this.differential(pendingDiff.splice(0));
        }
        if (this.totals.inputs % 500 === 0) this.log(this.progress(started));
      }
      if (pendingDiff.length > 0) await this.differential(pendingDiff.splice(0));
    } finally {
      this.supervisor.close();
      this.oracle?.close();
    }
    this.totals.workerRestarts = this.supervisor.restarts;
    this.totals.seconds = Math.round((performance.now() - started) / 1000);
    const findings = [...this.findings.values()];
    if (this.options.resultsDir) this.write(this.options.resultsDir, findings);
    return { totals: this.totals, findings };
  }

  private progress(started: number): string {
    const t = this.totals;
    return `${t.inputs} inputs, ${Math.round((performance.now() - started) / 1000)} s: ${t.crashes} crashes, ${t.hangs} hangs, ${t.blowups} blow-ups, ${t.prototypeChanges} prototype changes, ${t.fastGeneralDisagreements} fast/general, ${t.cpythonDisagreements} CPython, ${t.otherDisagreements} other; ${this.findings.size} distinct`;
  }

  private count(kind: FindingKind): void {
    const t = this.totals;
    if (kind === "crash") t.crashes++;
    else if (kind === "hang") t.hangs++;
    else if (kind === "blowup") t.blowups++;
    else if (kind === "prototype") t.prototypeChanges++;
    else if (kind === "fast-general") t.fastGeneralDisagreements++;
    else if (kind === "cpython") t.cpythonDisagreements++;
    else t.otherDisagreements++;
  }

  private async record(data: Uint8Array, origin: string, found: Occurrence[]): Promise<void> {
    for (const o of found) {
      if (o.kind === "blowup" && o.detail.startsWith("heap grew")) {
        // A soft flag (garbage counts too): confirmed only if a child held to the budget dies.
        const confirmed = await Supervisor.confirmHeap(data, o.entry, this.supervisor.baseline, this.options.sabotage);
        if (!confirmed.over) continue;
        o.detail += `; confirmed: ${confirmed.reason}`;
      }
      this.count(o.kind);
      const known = this.findings.get(o.signature);
      if (known) {
        known.count++;
        if (data.length < known.hex.length / 2) Object.assign(known, { hex: Buffer.from(data).toString("hex"), origin, detail: o.detail, entry: o.entry });
        continue;
      }
      const hex = Buffer.from(await this.shrink(data, o)).toString("hex");
      this.findings.set(o.signature, { kind: o.kind, entry: o.entry, detail: o.detail, signature: o.signature, hex, count: 1, origin });
      this.log(`NEW ${o.kind} in ${o.entry}: ${o.detail.split("\n")[0]!.slice(0, 200)} [${hex.length / 2} bytes, from ${origin}]`);
    }
  }

  /** A smaller input with the same signature: opcode chunks dropped, then byte ranges, within a budget of tries. */
  private async shrink(data: Uint8Array, o: Occurrence): Promise<Uint8Array> {
    if (this.options.minimize === false || (o.kind === "cpython" && !o.entry.startsWith("loads-"))) return data;
    const expensive = o.kind === "hang" || o.kind === "blowup";
    let tries = expensive ? 12 : 300;
    if (expensive && data.length > 4096) return data;
    const reproduces = async (candidate: Uint8Array) => {
      tries--;
      const result = await this.supervisor.run(candidate, { entries: [o.entry], sabotage: this.options.sabotage });
      if (o.kind === "cpython") {
        const [reply] = await this.oracle!.ask([candidate]);
        return compareWithCPython(result.tagged, reply!).disagreements.some((d) => cpythonSignature(d) === o.signature);
      }
      return occurrences(result, candidate.length, this.supervisor.timeBudgetMs).some((x) => x.signature === o.signature);
    };
    let best = data;
    // Opcode chunks first (keeps the pickle's structure), then raw byte ranges, halving.
    let chunks = splitOps(best);
    for (let size = Math.max(1, chunks.length >> 1); size >= 1 && tries > 0; size >>= 1) {
      for (let i = 0; i + size <= chunks.length && tries > 0;) {
        const candidate = joinChunks([...chunks.slice(0, i), ...chunks.slice(i + size)]);
        if (candidate.length > 0 && (await reproduces(candidate))) {
          best = candidate;
          chunks = splitOps(best);
        } else i += size;
      }
    }
    for (let size = Math.max(1, best.length >> 1); size >= 1 && tries > 0; size >>= 1) {
      for (let i = 0; i + size <= best.length && tries > 0;) {
        const candidate = new Uint8Array([...best.subarray(0, i), ...best.subarray(i + size)]);
        if (candidate.length > 0 && (await reproduces(candidate))) best = candidate;
        else i += size;
      }
    }
    return best;
  }

  private async differential(batch: { data: Uint8Array; origin: string; tagged: InputResult["tagged"]; written: InputResult["written"] }[]): Promise<void> {
    // The inputs themselves, and every pickle our writer made from them (it must mean, to CPython,
    // what it means to us: a GLOBAL line that CPython reads differently is an injection).
    const asks: Uint8Array[] = [];
    for (const b of batch) {
      asks.push(b.data);
      for (const w of b.written) asks.push(Buffer.from(w.hex, "hex"));
    }
    const replies = await this.oracle!.ask(asks);
    let k = 0;
    for (const b of batch) {
      const reply = replies[k++]!;
      const { disagreements, explained, skipped } = compareWithCPython(b.tagged, reply);
      if (!skipped) this.totals.cpythonCompared++;
      for (const name of explained) this.totals.cpythonExplained[name] = (this.totals.cpythonExplained[name] ?? 0) + 1;
      const found: Occurrence[] = disagreements.map((d) => ({
        kind: "cpython",
        entry: `loads-${d.mode}`,
        detail: `ours ${d.ours}\nCPython ${d.theirs}`,
        signature: cpythonSignature(d),
      }));
      // A value recorded from a construction CPython refuses (a documented difference) is written
      // back as that construction, which CPython refuses again: nothing more to learn.
      const skipWritten = explained.some((name) => WRITTEN_AS_REFUSED.has(name));
      for (const w of b.written) {
        const r = replies[k++]!;
        if (skipWritten) continue;
        const theirs = r.opaque;
        if (r.lost || r.tainted || !theirs || (!theirs.ok && (theirs.timeout || theirs.memory))) continue;
        const same = theirs.ok && (!("tagged" in theirs) || sameTagged(w.tagged, theirs.tagged));
        if (!same) {
          const what = theirs.ok ? `CPython reads ${JSON.stringify((theirs as { tagged: unknown }).tagged).slice(0, 300)}` : `CPython refuses: ${theirs.error}`;
          found.push({
            kind: "cpython",
            entry: `dumps@${w.protocol}`,
            detail: `our protocol ${w.protocol} pickle of it: we read ${w.tagged.slice(0, 300)}; ${what}`,
            signature: `cpython|dumps@${w.protocol}|${normalise(theirs.ok ? "reads differently" : theirs.error)}`,
          });
        }
      }
      await this.record(b.data, b.origin, found);
    }
  }

  private write(dir: string, findings: Finding[]): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "totals.json"), JSON.stringify({ options: { ...this.options, extra: undefined, log: undefined }, totals: this.totals }, null, 2) + "\n");
    writeFileSync(join(dir, "findings.json"), JSON.stringify(findings, null, 2) + "\n");
    for (const [i, f] of findings.entries()) writeFileSync(join(dir, `${String(i).padStart(3, "0")}-${f.kind}-${f.entry.replace(/[^\w-]/g, "_")}.hex`), f.hex + "\n");
  }
}
