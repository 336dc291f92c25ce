// Differential mode: CPython's `pickle.loads` (python/fuzz_oracle.py, the project's documented rules
// for globals) and our strict/opaque `loads` on the same bytes. Both accept with the same tagged
// value, or both refuse; any other outcome is a disagreement unless it falls in one of the
// documented difference classes below, each with its reason.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Answer } from "./entries.ts";

const PYTHON_DIR = fileURLToPath(new URL("../python/", import.meta.url));

export type OracleAnswer = { ok: true; tagged: unknown } | { ok: true; untaggable: string } | { ok: false; error: string; timeout?: boolean; memory?: boolean };

export interface OracleReply {
  strict?: OracleAnswer;
  opaque?: OracleAnswer;
  tainted?: string;
  /** The oracle process died or stalled on this input: nothing to compare. */
  lost?: string;
}

/** CPython in one long-lived process; inputs go in batches, one JSON line back per input. */
export class CPythonOracle {
  private proc: ChildProcessWithoutNullStreams | undefined;
  private buffered = "";
  private waiting: ((line: string | null) => void) | undefined;
  private lines: string[] = [];
  private nextId = 1;
  restarts = 0;

  private start(): ChildProcessWithoutNullStreams {
    // A large C stack (ulimit -s) for tagging deeply nested values; PYTHONHASHSEED fixed for repeatability.
    const proc = spawn("sh", ["-c", "ulimit -s 1048576 2>/dev/null || ulimit -s unlimited 2>/dev/null; exec python3 fuzz_oracle.py"], {
      cwd: PYTHON_DIR,
      env: { ...process.env, PYTHONHASHSEED: "0", PYTHONPATH: PYTHON_DIR },
    });
    this.buffered = "";
    this.lines = [];
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (d: string) => {
      if (this.proc !== proc) return; // a killed process's last words
      this.buffered += d;
      let nl: number;
      while ((nl = this.buffered.indexOf("\n")) >= 0) {
        this.lines.push(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
      this.wake();
    });
    proc.stderr.on("data", () => {});
    proc.on("exit", () => {
      if (this.proc === proc) this.proc = undefined;
      this.wake(true);
    });
    proc.stdin.on("error", () => {});
    this.proc = proc;
    return proc;
  }

  private wake(ended = false): void {
    const w = this.waiting;
    if (!w) return;
    if (this.lines.length > 0) ((this.waiting = undefined), w(this.lines.shift()!));
    else if (ended) ((this.waiting = undefined), w(null));
  }

  private nextLine(timeoutMs: number): Promise<string | null> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift()!);
    if (!this.proc) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolve(null);
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  /**
   * CPython's answers for each pickle, in order. Every line carries the id it answers, so a line
   * left over from a killed process is never taken for another input's answer. A stalled or dead
   * oracle is restarted and the rest of the batch sent again.
   */
  async ask(pickles: Uint8Array[]): Promise<OracleReply[]> {
    const replies: OracleReply[] = [];
    while (replies.length < pickles.length) {
      const proc = this.proc ?? this.start();
      const base = this.nextId - replies.length; // pickles[k] is sent as id base + k
      this.nextId += pickles.length - replies.length;
      proc.stdin.write(
        pickles
          .slice(replies.length)
          .map((p, k) => `${base + replies.length + k} ${Buffer.from(p).toString("hex")}`)
          .join("\n") + "\n",
      );
      while (replies.length < pickles.length) {
        const line = await this.nextLine(30_000);
        if (line === null) {
          replies.push({ lost: "the oracle process stalled or died" });
          this.kill();
          break;
        }
        const reply = JSON.parse(line) as OracleReply & { id: number };
        if (reply.id !== base + replies.length) continue; // stale: from before a restart
        replies.push(reply);
        if (reply.tainted) {
          this.kill(); // it exits by itself; make sure, and start afresh
          break;
        }
      }
    }
    return replies;
  }

  private kill(): void {
    this.proc?.kill("SIGKILL");
    this.proc = undefined;
    this.lines = [];
    this.buffered = "";
    this.restarts++;
  }

  close(): void {
    this.proc?.stdin.end();
    this.kill();
  }
}

/** A difference between CPython and us that the project documents (or deliberately keeps). */
export interface DifferenceClass {
  name: string;
  reason: string;
  matches(ours: Answer, theirs: OracleAnswer, mode: "strict" | "opaque"): boolean;
}

/** Our tagged JSON text against CPython's parsed tagged value: compared as JSON values (escapes may differ). */
export function sameTagged(ours: string, theirs: unknown): boolean {
  const text = JSON.stringify(theirs);
  if (ours === text) return true;
  try {
    return JSON.stringify(JSON.parse(ours)) === text;
  } catch {
    return false; // too deep to re-parse: the texts already differ
  }
}

const refusedWith = (ours: Answer, pattern: RegExp) => !ours.ok && pattern.test(ours.error);

export const KNOWN_DIFFERENCES: DifferenceClass[] = [
  {
    name: "depth-limit",
    reason: "README limits: maxDepth 10,000 (CPython has none when reading)",
    matches: (ours, theirs) => theirs.ok && refusedWith(ours, /nesting depth exceeds the limit/),
  },
  {
    name: "int-digits",
    reason: "README limits: maxIntDigits 4,300 also for LONG1/LONG4 (CPython limits only text INT/LONG)",
    matches: (ours, theirs) => theirs.ok && refusedWith(ours, /digits/),
  },
  {
    name: "memo-limit",
    reason: "README limits: maxMemo 16,777,216 entries",
    matches: (ours, theirs) => theirs.ok && refusedWith(ours, /memo (index|key|size).*(limit|exceeds)|exceeds the memo limit|maxMemo/i),
  },
  {
    name: "container-limit",
    reason: "README limits: maxContainerItems 134,217,728",
    matches: (ours, theirs) => theirs.ok && refusedWith(ours, /maxContainerItems|items in one container/i),
  },
  {
    name: "allocation-factor",
    reason: "README limits: allocationFactor (bytes copied per input byte); CPython copies without limit",
    matches: (ours, theirs) => theirs.ok && refusedWith(ours, /allocat/i),
  },
  {
    name: "frame-straddle",
    reason:
      "issue 9 #18: an opcode that straddles the end of its FRAME, or a FRAME inside a frame, is refused by every entry point (the safe rule; CPython's pure-Python unpickler refuses both too, its C unpickler does not check)",
    matches: (ours, theirs) => theirs.ok && refusedWith(ours, /crosses the end of its FRAME|new frame before end of current frame/),
  },
  {
    name: "surrogate-pair",
    reason:
      "issue 9 #9: a str holding a surrogate pair as two code points ('\\ud83d\\ude00') cannot be a JavaScript string without merging them into one character; it is refused with a clear error",
    matches: (ours, theirs) => theirs.ok && refusedWith(ours, /surrogate pair/),
  },
  {
    name: "invalid-datetime-fields",
    reason:
      "CPython's datetime/time constructors from pickled bytes check only the month, so they build objects like hour=40 that fail later (CPython cannot even print them); typed-pickle refuses such fields when reading",
    matches: (ours, theirs) => theirs.ok && "untaggable" in theirs && /must be in/.test(theirs.untaggable) && refusedWith(ours, /must be in/),
  },
  {
    name: "newobj-on-a-function",
    reason: "opaque mode records unknown globals without importing them, so it cannot tell a function from a class (test/reader/pickletester.test.ts OPAQUE_CANNOT_KNOW)",
    matches: (ours, theirs, mode) => mode === "opaque" && ours.ok && !theirs.ok && /must be a type|(isn't|is not|not) a type object/i.test(theirs.error),
  },
  {
    name: "opaque-getattr-call",
    reason:
      "opaque mode records a builtins.getattr call it does not interpret (not the (class, 'NAME') shape) as data without checking its arguments; CPython calls getattr and raises (README: Security model, opaque mode)",
    matches: (ours, theirs, mode) => mode === "opaque" && ours.ok && !theirs.ok && ours.tagged.includes('"class":"builtins.getattr"'),
  },
  {
    name: "oracle-stand-in-name",
    reason:
      "python/oracle.py makes a stand-in class per unknown global, and Python refuses a class name holding a NUL; opaque mode records any name as data (CPython could not import such a name either)",
    matches: (ours, theirs, mode) => mode === "opaque" && ours.ok && !theirs.ok && /must not contain null characters/.test(theirs.error),
  },
  {
    name: "oracle-mutated",
    reason: "BUILD on a class or function changes that object in CPython (the oracle detects it and restarts); typed-pickle never changes a class",
    matches: () => false, // decided from the reply's `tainted` flag, see compareWithCPython
  },
];

export interface Disagreement {
  mode: "strict" | "opaque";
  ours: string;
  theirs: string;
  /** What kind of disagreement, for grouping: "values differ", "only CPython accepts: <our error>", … */
  shape: string;
}

const show = (a: Answer | OracleAnswer) =>
  a.ok ? ("tagged" in a ? `accepts ${JSON.stringify(a.tagged).slice(0, 300)}` : `accepts (untaggable: ${a.untaggable})`) : `refuses: ${a.error.slice(0, 300)}`;

/**
 * Our answers against CPython's. Returns disagreements, and the difference classes that explained
 * the rest (counted, not reported). `skipped` when the oracle could not answer.
 */
export function compareWithCPython(ours: { strict?: Answer; opaque?: Answer }, reply: OracleReply): { disagreements: Disagreement[]; explained: string[]; skipped: boolean } {
  const disagreements: Disagreement[] = [];
  const explained: string[] = [];
  if (reply.lost) return { disagreements, explained, skipped: true };
  for (const mode of ["strict", "opaque"] as const) {
    const a = ours[mode];
    const b = reply[mode];
    if (!a || !b) continue;
    if (!b.ok && (b.timeout || b.memory)) {
      // CPython ran out of time or memory (its memo list is sized to the largest index, so a far
      // LONG_BINPUT is a MemoryError there): no answer to compare with.
      explained.push(b.memory ? "cpython-out-of-memory" : "cpython-timeout");
      continue;
    }
    if (a.ok && b.ok) {
      if (!("tagged" in b)) continue; // a value python/tagged.py cannot print: acceptance agrees
      if (sameTagged(a.tagged, b.tagged)) continue;
    } else if (!a.ok && !b.ok) {
      continue;
    }
    if (reply.tainted) {
      explained.push("oracle-mutated");
      continue;
    }
    const known = KNOWN_DIFFERENCES.find((d) => d.matches(a, b, mode));
    if (known) explained.push(known.name);
    else {
      const shape =
        a.ok && b.ok ? "values differ" : a.ok ? `only we accept; CPython: ${(b as { error: string }).error}` : `only CPython accepts; we: ${(a as { error: string }).error}`;
      disagreements.push({ mode, ours: show(a), theirs: show(b), shape });
    }
  }
  return { disagreements, explained, skipped: false };
}
