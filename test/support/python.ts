// Running the oracle: python3 with the repository's python/ scripts. One process per batch of cases.
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PYTHON_DIR = fileURLToPath(new URL("../../python/", import.meta.url));

function python(): string {
  const found = spawnSync("python3", ["--version"], { encoding: "utf8" });
  if (found.error || found.status !== 0) {
    throw new Error("python3 is required by the tests (CPython is the oracle) but was not found on PATH");
  }
  return "python3";
}

/** Runs a python/ script (or `-c` code) with `input` on stdin; returns stdout. Throws with stderr on failure. */
export function runPython(args: string[], input?: string | Uint8Array): string {
  try {
    return execFileSync(python(), args, {
      cwd: PYTHON_DIR,
      input,
      encoding: "utf8",
      maxBuffer: 1 << 30,
      env: { ...process.env, PYTHONHASHSEED: "0", PYTHONPATH: PYTHON_DIR },
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`python3 ${args.join(" ")} failed: ${err.stderr || err.message}`);
  }
}

/** Runs a script and parses each stdout line as JSON. */
export function runPythonJsonLines<T = unknown>(args: string[], input?: string | Uint8Array): T[] {
  return runPython(args, input)
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

export const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
export const toHex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

/**
 * CPython's pickles of named values, at each protocol, from one python3 call: each case is Python
 * source that binds `v`.
 */
export function cpythonPickles(cases: Record<string, string>, protocols: readonly number[]): Record<string, Record<number, Uint8Array>> {
  const code = [
    "import pickle, json, base64, sys",
    "out = {}",
    ...Object.entries(cases).map(
      ([name, src]) => `${src}\nout[${JSON.stringify(name)}] = {p: base64.b64encode(pickle.dumps(v, protocol=p)).decode() for p in ${JSON.stringify(protocols)}}`,
    ),
    "json.dump(out, sys.stdout)",
  ].join("\n");
  const raw = JSON.parse(runPython(["-c", code])) as Record<string, Record<string, string>>;
  return Object.fromEntries(
    Object.entries(raw).map(([name, byProto]) => [name, Object.fromEntries(Object.entries(byProto).map(([p, b]) => [p, new Uint8Array(Buffer.from(b, "base64"))]))]),
  );
}
