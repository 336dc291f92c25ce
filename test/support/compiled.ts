// The compiled package as its `bin` runs it: dist/, built first when it is missing or older than a
// source file under runtime/ or generator/ (CI's `npm ci` has built it already).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./cli.ts";

export const COMPILED_MAIN = join(REPO, "dist/generator/cli/main.js");

/** The newest modification time of a .ts source under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(".ts")) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` unless dist/ is newer than every source; throws with its output when it fails. */
export function ensureBuilt(): void {
  if (existsSync(COMPILED_MAIN) && statSync(COMPILED_MAIN).mtimeMs >= Math.max(newestSource(join(REPO, "runtime")), newestSource(join(REPO, "generator")))) return;
  const build = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}
