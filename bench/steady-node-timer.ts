// typed-pickle's side of the steady-state harness (bench/steady.ts): a process holding one
// workload's bytes and the one decoded copy its implementation encodes, answering `decode` or
// `encode` with the seconds of one call (awaited when it is async) — the counterpart of
// bench/python_timer.py. No forced GC: the garbage of earlier runs is collected when V8 decides, as
// in a running service.
//
//   node --import tsx bench/steady-node-timer.ts <file.pkl> <protocol> <workload> <implementation>
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { type ImplOps, typedPickleImpls } from "./typed-pickle-impls.ts";

const [path, protocolArg, workload, implName] = process.argv.slice(2) as [string, string, string, string];
const data = new Uint8Array(readFileSync(path));
const found = typedPickleImpls(workload).find((i) => i.impl === implName);
if (!found) throw new Error(`no implementation "${implName}" for workload ${workload}`);
// An implementation that cannot decode the workload fails in its setup: then every op answers that error.
let ops: ImplOps;
let setupError: string | undefined;
try {
  ops = found.setup(data, Number(protocolArg));
} catch (e) {
  ops = {};
  setupError = (e as Error).message;
}

for await (const line of createInterface({ input: process.stdin })) {
  const op = line.trim() as "decode" | "encode";
  const run = ops[op];
  let answer: { seconds: number } | { error: string } | { unsupported: true };
  if (setupError !== undefined) answer = { error: setupError };
  else if (!run)
    answer = { unsupported: true }; // a decode-only implementation (opaque, viewBytes)
  else {
    try {
      const start = process.hrtime.bigint();
      const result = run();
      if (result instanceof Promise) await result; // an async reader (loadStream): timed until it is done
      answer = { seconds: Number(process.hrtime.bigint() - start) / 1e9 };
    } catch (e) {
      answer = { error: (e as Error).message };
    }
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
