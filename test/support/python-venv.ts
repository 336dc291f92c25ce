// Python virtual environments with given packages, made once and kept under node_modules/.cache
// (pip installs offline from the machine's local wheel index: `pip config list` names it).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CACHE = fileURLToPath(new URL("../../node_modules/.cache/typed-pickle-venvs/", import.meta.url));

/** The venvs the tests use, by name: one place, so .ci/run can make them ahead (prepare-venvs.ts) with the same packages. */
export const VENVS = {
  numpy1: ["numpy==1.26.4"],
  django: ["django==5.2.*", "redis"],
} as const satisfies Record<string, readonly string[]>;

/** The python executable of the named venv (see VENVS), made by python3 on first use and reused while its package list is the same. */
export function namedVenv(name: keyof typeof VENVS): string {
  return pythonVenv(name, [...VENVS[name]]);
}

/**
 * The python executable of a venv named `name` holding `packages` (pip requirement strings), made by
 * `base` (default python3) on first use and reused while the package list is the same.
 */
export function pythonVenv(name: string, packages: string[], base = "python3"): string {
  const dir = join(CACHE, name);
  const python = join(dir, "bin", "python");
  const stampFile = join(dir, ".typed-pickle-packages");
  const stamp = JSON.stringify({ base, packages });
  if (existsSync(python) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return python;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  try {
    execFileSync(base, ["-m", "venv", dir], { stdio: "pipe" });
    execFileSync(python, ["-m", "pip", "install", "--quiet", ...packages], { stdio: "pipe", timeout: 600_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not make the ${name} venv (${packages.join(", ")}): ${err.stderr?.toString() || err.message}`);
  }
  writeFileSync(stampFile, stamp);
  return python;
}
