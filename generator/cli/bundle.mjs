// The last step of `npm run build`: the CLI tsc compiled (dist/generator/cli/main.js and every
// module it imports) joined by esbuild into main.js plus one chunk per command, in place. Node
// then resolves and reads ~5 files for `show` instead of ~35; measured with bench/cli-startup.ts,
// that is what brings show/scan within 1.5x of `node -e 0`. Packages (yargs, ts-morph, prettier)
// stay imports, loaded only by the commands that need them; source maps chain to the .ts sources.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../dist/generator/cli/", import.meta.url));

await build({
  entryPoints: [`${cli}main.js`],
  outdir: cli,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  allowOverwrite: true, // main.js is replaced by its bundle
  bundle: true,
  splitting: true, // each command's dynamic import stays its own file
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});

// import-python and check --python run these with the user's python3; the package ships them under
// dist/python/ (the repository's python/ also holds the test oracles, which are not shipped).
const python = fileURLToPath(new URL("../../python/", import.meta.url));
const shipped = fileURLToPath(new URL("../../dist/python/", import.meta.url));
mkdirSync(shipped, { recursive: true });
for (const script of ["introspect.py", "drift.py"]) copyFileSync(`${python}${script}`, `${shipped}${script}`);
