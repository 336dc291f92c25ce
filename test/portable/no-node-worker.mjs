// A worker for test/portable/core-without-node.test.ts: removes Buffer and process from its global
// scope (as in a browser), then loads the bundle of the portable core and runs scenario.mjs on it.
import { parentPort, workerData } from "node:worker_threads";

delete globalThis.Buffer;
delete globalThis.process;
const globals = { Buffer: typeof globalThis.Buffer, process: typeof globalThis.process };
try {
  const tp = await import(workerData.bundle);
  const { run } = await import(workerData.scenario);
  parentPort.postMessage({ globals, results: await run(tp, workerData.inputs) });
} catch (e) {
  parentPort.postMessage({ globals, error: String(e?.stack ?? e) });
}
