// A python3 multiprocessing.connection peer for the connection tests (python/mp_peer.py, or
// python/mp_peer_312.py for the 3.12 handshake): started once per test file, read as JSON events,
// always killed.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { PYTHON_DIR } from "../support/python.ts";

export interface PeerEvent {
  event: string;
  address?: [string, number] | string;
  message?: string;
  peer_digest?: string;
  our_digest?: string;
}

export class PythonPeer {
  private readonly events: PeerEvent[] = [];
  private waiting: (() => void) | null = null;
  private stderr = "";
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      this.events.push(JSON.parse(line) as PeerEvent);
      this.waiting?.();
    });
    child.stderr.on("data", (chunk) => {
      this.stderr += String(chunk);
    });
    child.on("exit", () => {
      this.exited = true;
      this.waiting?.();
    });
  }

  /** Starts `python3 <script> <args>` in python/. */
  static start(script: "mp_peer.py" | "mp_peer_312.py", args: string[]): PythonPeer {
    const child = spawn("python3", [script, ...args], { cwd: PYTHON_DIR, env: { ...process.env, PYTHONPATH: PYTHON_DIR } });
    return new PythonPeer(child);
  }

  /** The next event; fails with the peer's stderr if it exits first. */
  async next(): Promise<PeerEvent> {
    for (;;) {
      const event = this.events.shift();
      if (event) return event;
      if (this.exited) throw new Error(`the Python peer exited without the expected event; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
      this.waiting = null;
    }
  }

  /** Waits for the listener's address. */
  async address(): Promise<[string, number] | string> {
    const event = await this.next();
    if (event.event !== "listening" || event.address === undefined) throw new Error(`expected "listening", got ${JSON.stringify(event)}`);
    return event.address;
  }

  /** Resolves when the process has exited (a client peer ends when its connection closes). */
  exit(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }
}

/** Awaits `promise`, which must reject with an instance of `Expected`; returns the error. */
export async function rejection<E extends Error>(promise: Promise<unknown>, Expected: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof Expected)) throw new Error(`expected ${Expected.name}, got ${String(e)}`, { cause: e });
    return e;
  }
  throw new Error(`expected ${Expected.name}, but it resolved`);
}
