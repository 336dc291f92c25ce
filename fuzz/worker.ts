// The child process that runs fuzz inputs (started by fuzz/supervisor.ts with `node --import tsx`).
// One input at a time: for each entry point it tells the supervisor which entry starts (so a hang or
// a death is pinned on it), runs it, times it, measures its heap and checks the prototypes.
//
// Heap, per entry: heapUsed sampled just before and just after the entry (its result still alive).
// That is cheap, and it counts garbage not yet collected as well as what the entry keeps, so every
// entry that kept or churned more than the budget is flagged; the campaign then confirms a flagged
// entry in a fresh child whose V8 heap limit is baseline + budget (the real assertion: a peak of live
// data over the budget kills that child), so garbage alone is never reported. Array buffers live
// outside the V8 heap and its limit: their growth (arrayBuffers, before/after) is held to the
// budget directly — a buffer of that size is an allocation the input asked for, garbage or not.
import { ENTRIES, type EntryContext, type Problem } from "./entries.ts";
import { prototypeChanges, restorePrototypes } from "./prototypes.ts";

export interface EntryReport {
  entry: string;
  status: "ok" | "refused" | "crash";
  ms: number;
  /** Bytes of V8 heap the entry left behind or churned (see above). */
  heap: number;
  /** Bytes of array buffers (outside the V8 heap limit) the entry left behind or churned. */
  external: number;
  error?: string;
  stack?: string | undefined;
  problems?: Problem[];
  prototypes?: string[];
}

export interface InputRequest {
  type: "input";
  id: number;
  data: Uint8Array;
  entries?: string[] | undefined;
  /** Watchdog self-test: after the entry runs, misbehave in this way (hang, fat, crash, pollute). */
  sabotage?: { entry: string; kind: Sabotage } | undefined;
}

/** hang: loops forever; fat: allocates until the heap limit; keep: keeps 48 MiB and returns;
 *  crash: a raw TypeError; pollute: adds a property to Object.prototype. */
export type Sabotage = "hang" | "fat" | "keep" | "crash" | "pollute";

export type WorkerMessage =
  | { type: "ready"; baseline: number }
  | { type: "begin"; id: number; entry: string }
  | { type: "report"; id: number; report: EntryReport; tagged: EntryContext["tagged"]; written: EntryContext["written"] }
  | { type: "done"; id: number };

const send = (m: WorkerMessage) => process.send!(m);
const heapNow = () => process.memoryUsage();

const kept: unknown[] = [];
function sabotage(kind: Sabotage): void {
  if (kind === "hang") for (;;);
  if (kind === "fat") for (;;) kept.push(new Array(1 << 22).fill(kept.length + 0.5)); // 32 MiB a step, to the heap limit
  if (kind === "keep") kept.push(Array.from({ length: 6 }, () => new Array(1 << 20).fill(0.5))); // 6 x 8 MiB
  if (kind === "crash") (null as unknown as { x: number }).x;
  if (kind === "pollute") (Object.prototype as Record<string, unknown>).fuzzPolluted = true;
}

async function runInput(req: InputRequest): Promise<void> {
  const ctx: EntryContext = { tagged: {}, written: [] };
  for (const entry of ENTRIES) {
    if (req.entries && !req.entries.includes(entry.name)) continue;
    send({ type: "begin", id: req.id, entry: entry.name });
    const before = heapNow();
    const start = performance.now();
    const report: EntryReport = { entry: entry.name, status: "ok", ms: 0, heap: 0, external: 0 };
    try {
      let problems: Problem[] | undefined;
      try {
        problems = await entry.run(req.data, ctx);
      } finally {
        if (req.sabotage?.entry === entry.name) sabotage(req.sabotage.kind);
      }
      if (problems && problems.length > 0) report.problems = problems;
    } catch (e) {
      if (entry.allowed(e)) report.status = "refused";
      else {
        report.status = "crash";
        report.error = e instanceof Error ? `${e.constructor.name}: ${e.message}` : `thrown ${typeof e}: ${String(e)}`;
        report.stack = e instanceof Error ? e.stack?.split("\n").slice(0, 8).join("\n") : undefined;
      }
    }
    report.ms = performance.now() - start;
    const after = heapNow();
    report.heap = Math.max(0, after.heapUsed - before.heapUsed);
    report.external = Math.max(0, after.arrayBuffers - before.arrayBuffers);
    const changes = prototypeChanges();
    if (changes.length > 0) {
      report.prototypes = changes;
      restorePrototypes();
    }
    // Sent entry by entry, so that what ran before a hang is not lost with the child.
    send({ type: "report", id: req.id, report, tagged: ctx.tagged, written: ctx.written.splice(0) });
  }
  send({ type: "done", id: req.id });
}

let queue = Promise.resolve();
process.on("message", (req: InputRequest) => {
  queue = queue.then(() => runInput(req));
});
global.gc?.();
send({ type: "ready", baseline: heapNow().heapUsed });
