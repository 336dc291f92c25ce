// The seed corpus, written by CPython at run time (python/fuzz_seeds.py): nothing binary is committed.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PYTHON_DIR = fileURLToPath(new URL("../python/", import.meta.url));

export interface Seed {
  name: string;
  data: Uint8Array;
}

let cached: Seed[] | undefined;

export function runSeeds(): Seed[] {
  if (cached) return cached;
  const out = execFileSync("python3", ["fuzz_seeds.py"], {
    cwd: PYTHON_DIR,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, PYTHONHASHSEED: "0", PYTHONPATH: PYTHON_DIR },
  });
  cached = out
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      const { name, hex } = JSON.parse(l) as { name: string; hex: string };
      return { name, data: new Uint8Array(Buffer.from(hex, "hex")) };
    });
  return cached;
}
