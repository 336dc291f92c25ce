// The watchdog: runs inputs in a child process (fuzz/worker.ts) so that a hang or a blow-up kills
// only the child. A child process rather than a worker_thread because some V8 failures (the
// "invalid table size" of issue 9's 12-byte memo pickle) abort the whole process, not one isolate.
// Per input: the child announces each entry point before it starts; if one has not finished after
// the time budget (+ a grace for a loaded machine) the child is killed and the input recorded as a
// hang; a child that dies (V8 heap limit, abort) is a blow-up. Either way a new child takes over.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EntryReport, InputRequest, WorkerMessage } from "./worker.ts";
import { ENTRY_NAMES, type EntryContext } from "./entries.ts";

/** Issue 9's budget: any input under 1 MB answered in <= 2 s, within <= 64 x its size + 16 MiB. */
export const TIME_BUDGET_MS = 2000;
export const heapBudget = (inputLength: number) => 64 * inputLength + 16 * 2 ** 20;

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
const MiB = 2 ** 20;

export interface InputResult {
  reports: EntryReport[];
  /** Entries still running when the watchdog killed the child (time budget). */
  hangs: { entry: string; ms: number }[];
  /** Entries that were running when the child died (heap limit or abort). */
  deaths: { entry: string; reason: string }[];
  tagged: EntryContext["tagged"];
  written: EntryContext["written"];
}

/** One pass of the child over the entries, up to the end or to the entry that hung or killed it. */
interface Pass {
  reports: EntryReport[];
  hang?: { entry: string; ms: number };
  died?: { entry: string; reason: string };
  tagged: EntryContext["tagged"];
  written: EntryContext["written"];
}

export interface SupervisorOptions {
  /** V8 old-space limit of the child, MiB. The default (160) is the child's ~20 MiB of code plus
   *  several times the budget of the largest fuzz input (256 KiB: 32 MiB): a child that dies at it
   *  went far over budget; smaller excesses are caught by the per-entry measurement. */
  heapLimitMb?: number;
  timeBudgetMs?: number;
  /** Extra time before the kill, for a machine shared with others (a slow entry under the kill
   *  time is still reported: the child measures every entry's own time). */
  graceMs?: number;
}

export class Supervisor {
  private child: ChildProcess | undefined;
  private ready: Promise<number> | undefined;
  private stderr = "";
  private nextId = 1;
  /** The child's heap after start-up (modules loaded, collected). */
  baseline = 0;
  readonly heapLimitMb: number;
  readonly timeBudgetMs: number;
  readonly graceMs: number;
  restarts = 0;

  constructor(options: SupervisorOptions = {}) {
    this.heapLimitMb = options.heapLimitMb ?? 160;
    this.timeBudgetMs = options.timeBudgetMs ?? TIME_BUDGET_MS;
    this.graceMs = options.graceMs ?? 1000;
  }

  private start(): Promise<number> {
    this.stderr = "";
    const child = fork(WORKER, [], {
      execArgv: ["--import", "tsx", "--expose-gc", `--max-old-space-size=${this.heapLimitMb}`, "--max-semi-space-size=4"],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    child.stderr!.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type !== "ready") return;
        child.off("message", onMessage);
        this.baseline = m.baseline;
        resolve(m.baseline);
      };
      child.on("message", onMessage);
      child.once("exit", (code, signal) => reject(new Error(`fuzz worker exited during start-up (${code ?? signal}): ${this.stderr}`)));
    });
    return this.ready;
  }

  /** Start-up can fail while someone is mid-edit in this checkout (a module briefly missing an export): retry a little. */
  private async startWithRetry(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.start();
        return;
      } catch (e) {
        if (attempt >= 5) throw e;
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
  }

  /**
   * Runs one input through the entry points (all, or `entries`), under the watchdog. After a hang or
   * a death, a new child goes on with the entries after the one at fault, so every entry is tried.
   */
  async run(data: Uint8Array, options: Pick<InputRequest, "entries" | "sabotage"> = {}): Promise<InputResult> {
    let remaining = options.entries ?? ENTRY_NAMES;
    const result: InputResult = { reports: [], hangs: [], deaths: [], tagged: {}, written: [] };
    while (remaining.length > 0) {
      const pass = await this.pass(data, { ...options, entries: remaining });
      result.reports.push(...pass.reports);
      Object.assign(result.tagged, pass.tagged);
      result.written.push(...pass.written);
      const stop = pass.hang ?? pass.died;
      if (pass.hang) result.hangs.push(pass.hang);
      if (pass.died) result.deaths.push(pass.died);
      if (!stop) break;
      const at = remaining.indexOf(stop.entry);
      remaining = at >= 0 ? remaining.slice(at + 1) : [];
    }
    return result;
  }

  private async pass(data: Uint8Array, options: Pick<InputRequest, "entries" | "sabotage">): Promise<Pass> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) await this.startWithRetry();
    else await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    const got: Pass = { reports: [], tagged: {}, written: [] };
    return new Promise<Pass>((resolve) => {
      let current = "(start)";
      let began = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const finish = (stop: Pick<Pass, "hang" | "died">, kill: boolean) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (kill) {
          child.kill("SIGKILL");
          this.child = undefined;
          this.restarts++;
        }
        resolve({ ...got, ...stop });
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          finish({ hang: { entry: current, ms: performance.now() - began } }, true);
        }, this.timeBudgetMs + this.graceMs);
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.type === "begin" && m.id === id) {
          current = m.entry;
          began = performance.now();
          arm();
        } else if (m.type === "report" && m.id === id) {
          got.reports.push(m.report);
          Object.assign(got.tagged, m.tagged);
          got.written.push(...m.written);
        } else if (m.type === "done" && m.id === id) {
          finish({}, false);
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.child = undefined;
        this.restarts++;
        const oom = /heap out of memory|invalid table size|Invalid array length|allocation failed/i.exec(this.stderr);
        const reason = oom ? oom[0] : `exit ${code ?? signal}: ${this.stderr.trim().split("\n").slice(-3).join(" | ")}`;
        finish({ died: { entry: current, reason } }, false);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
      arm();
      child.send({ type: "input", id, data, ...options } satisfies InputRequest);
    });
  }

  /**
   * Whether `entry` really peaks above the heap budget on `data`: it runs alone in a fresh child whose
   * V8 heap limit is the child's baseline + the budget (+ 8 MiB for the entry's own code and caches).
   */
  static async confirmHeap(data: Uint8Array, entry: string, baseline: number, sabotage?: InputRequest["sabotage"]): Promise<{ over: boolean; reason?: string }> {
    const limitMb = Math.ceil((baseline + heapBudget(data.length)) / MiB) + 8;
    const tight = new Supervisor({ heapLimitMb: limitMb });
    try {
      const result = await tight.run(data, { entries: [entry], sabotage });
      if (result.deaths.length > 0) return { over: true, reason: `${result.deaths[0]!.reason} with a heap limit of ${limitMb} MiB` };
      return { over: false };
    } finally {
      tight.close();
    }
  }

  close(): void {
    this.child?.kill("SIGKILL");
    this.child = undefined;
  }
}
