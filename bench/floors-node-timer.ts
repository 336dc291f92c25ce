// The Node side of bench/floors.ts: a process for one floor (bench/floor-cases.ts, bench/encode-floor-cases.ts), set up once,
// answering each stdin line with the seconds of one timed call (the timer-process protocol of
// bench/steady-timer-process.ts). What a call makes is kept until the next call, as a decoder's
// caller holds its result; no forced GC.
//
//   node --import tsx bench/floors-node-timer.ts <data dir> <floor name>
import { createInterface } from "node:readline";
import { ENCODE_FLOOR_CASES } from "./encode-floor-cases.ts";
import { FLOOR_CASES } from "./floor-cases.ts";

const [dataDir, name] = process.argv.slice(2) as [string, string];
const found = [...FLOOR_CASES, ...ENCODE_FLOOR_CASES].find((c) => c.name === name);
if (!found) throw new Error(`no floor "${name}"`);
const run = found.setup(dataDir);
let kept: unknown;

for await (const _ of createInterface({ input: process.stdin })) {
  kept = undefined; // the previous result becomes garbage before the clock starts, as in a loop of calls
  const start = process.hrtime.bigint();
  kept = run();
  process.stdout.write(JSON.stringify({ seconds: Number(process.hrtime.bigint() - start) / 1e9 }) + "\n");
}
void kept;
