// A timing process of the steady-state harness, seen from the orchestrator: one command per stdin
// line, one JSON answer per stdout line. Both sides speak it: bench/python_timer.py (CPython) and
// bench/steady-node-timer.ts (typed-pickle), so the orchestrator drives them in exactly the same way.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { createInterface } from "node:readline";

export interface TimerAnswer {
  seconds?: number;
  error?: string;
  unsupported?: true;
}

export class TimerProcess {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly answers: AsyncIterator<string>;

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
    this.answers = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** Sends one command; the answer: `seconds`, or `error` (the call threw), or `unsupported` (no such op). */
  async ask(command: string): Promise<TimerAnswer> {
    this.child.stdin.write(command + "\n");
    const { value, done } = await this.answers.next();
    if (done) throw new Error(`timer process ended before answering "${command}"`);
    return JSON.parse(value) as TimerAnswer;
  }

  async seconds(command: string): Promise<number> {
    const answer = await this.ask(command);
    if (answer.seconds === undefined) throw new Error(`"${command}": ${answer.error ?? "unsupported"}`);
    return answer.seconds;
  }

  /** Ends the process (stdin closed: both timers leave their loop) and waits for it. */
  close(): Promise<void> {
    return new Promise((done) => {
      this.child.once("exit", () => done());
      this.child.stdin.end();
    });
  }
}
