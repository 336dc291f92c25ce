// python/numpy_typed.py, run by the PATH python3 (numpy 2.x) or the numpy1 venv (numpy 1.26): one
// process per batch of requests, one JSON answer per request.
import { execFileSync } from "node:child_process";
import { namedVenv } from "../support/python-venv.ts";
import { PYTHON_DIR, fromHex, toHex } from "../support/python.ts";

export type Generation = 1 | 2;

/** The python that has each numpy generation (the venv is made on first use, from the local wheels). */
export const pythonFor = (generation: Generation) => (generation === 1 ? namedVenv("numpy1") : "python3");

export interface Check {
  equal: boolean;
  problems: string[];
  identical: boolean;
}

function ask<T>(generation: Generation, requests: object[]): T[] {
  const out = execFileSync(pythonFor(generation), ["numpy_typed.py"], {
    cwd: PYTHON_DIR,
    input: requests.map((r) => JSON.stringify(r)).join("\n"),
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: { ...process.env, PYTHONHASHSEED: "0", PYTHONPATH: PYTHON_DIR },
  });
  return out
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

/** numpy's protocol-5 pickles of the samples with their data out of band: the pickle and its buffers. */
export function madeOutOfBand(generation: Generation, cases: string[]): { data: Uint8Array; buffers: Uint8Array[] }[] {
  return ask<{ hex: string; buffers: string[] }>(
    generation,
    cases.map((c) => ({ op: "make", case: c, protocol: 5, oob: true })),
  ).map((a) => ({ data: fromHex(a.hex), buffers: a.buffers.map(fromHex) }));
}

/** numpy's pickles of the samples (python/numpy_typed.py's CASES), per [case, protocol]. */
export function made(generation: Generation, cases: [string, number][]): Uint8Array[] {
  return ask<{ hex: string }>(
    generation,
    cases.map(([c, protocol]) => ({ op: "make", case: c, protocol })),
  ).map((a) => fromHex(a.hex));
}

/** numpy's verdict on our pickles of the samples (with out-of-band buffers, if given): loaded equal, and byte-identical to its own. */
export function checked(generation: Generation, pickles: { case: string; protocol: number; data: Uint8Array; buffers?: Uint8Array[] }[]): Check[] {
  return ask<Check>(
    generation,
    pickles.map((p) => ({ op: "check", case: p.case, protocol: p.protocol, hex: toHex(p.data), ...(p.buffers && { buffers: p.buffers.map(toHex) }) })),
  );
}
