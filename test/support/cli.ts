// Running the `typed-pickle` command as a user would (node + the bin shim), capturing its output.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../generator/cli/typed-pickle.mjs", import.meta.url));
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = REPO): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
