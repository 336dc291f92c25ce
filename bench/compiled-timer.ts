// The Node timing processes run typed-pickle compiled as users run it, not through tsx: tsx compiles
// with esbuild's keepNames, which wraps every function and class expression in a `__name(...)` call
// that defines its `name` at run time. The code users run (dist/, from tsc) has no such call. Where a
// call creates closures (an Unpickler's per-instance context, each `loads` of many small pickles) the
// wrapper costs: measured with one esbuild bundle of the same sources, keepNames on vs off, 20,000
// `loads` of `N.` took ~1.8–2.4× as long with it (typed-pickle's whole small-pickles decode ~1.2–1.4×).
// So each timer is bundled from the current sources (the typed-pickle-source condition, so no stale
// dist/ is measured) at tsc's target (tsconfig.build.json: ES2022), without keepNames, once per run.
import { buildSync } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

let outDir: string | undefined;
const bundles = new Map<string, string>();

/** The path of `entry` (a bench/*.ts timer) bundled to plain JavaScript, made on first use in this process. */
export function compiledTimer(entry: string): string {
  const made = bundles.get(entry);
  if (made) return made;
  outDir ??= mkdtempSync(join(tmpdir(), "typed-pickle-timers-"));
  const outfile = join(outDir, basename(entry).replace(/\.ts$/, ".mjs"));
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "es2022",
    conditions: ["typed-pickle-source"],
    keepNames: false,
    packages: "bundle",
    logLevel: "error",
  });
  bundles.set(entry, outfile);
  return outfile;
}
