// Where the Python scripts the generator runs (python/introspect.py, python/drift.py) are: in the
// typed-pickle package this module belongs to, whether it runs from the sources (generator/…) or from
// the compiled, bundled CLI (dist/generator/cli/chunks/…), whose depth differs. The repository has
// them in python/; the published package in dist/python/ (the build copies them: bundle.mjs).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** python/<name> (or dist/python/<name>) in the package root: the nearest directory above this module with a package.json (never one above it). */
export function pythonScript(name: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (!existsSync(join(dir, "package.json"))) continue;
    for (const script of [join(dir, "python", name), join(dir, "dist", "python", name)]) if (existsSync(script)) return script;
    break;
  }
  throw new Error(`python/${name} is not part of this installation of typed-pickle`);
}
