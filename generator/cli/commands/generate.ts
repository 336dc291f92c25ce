// `typed-pickle generate [--schemas DIR] [--out DIR] [--check] [--watch] [--import-extension js|ts|none]`.
// Exit 0: up to date (or written). Exit 1: diagnostics, or --check found stale files. Exit 2: usage,
// or no schemas directory. The generator (ts-morph, prettier) loads only when this command runs.
import { watch } from "node:fs";
import { relative, resolve } from "node:path";
import type { GenerateOptions, GenerateResult } from "../../index.ts";
import { command } from "../command-spec.ts";
import { errorText, reportInternalError } from "../input.ts";

interface Args {
  schemas: string;
  out: string;
  check: boolean;
  watch: boolean;
  importExtension: NonNullable<GenerateOptions["importExtension"]>;
}

/** "1 file", "3 files". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

async function once(args: Args): Promise<number> {
  const { generate, formatDiagnostic } = await import("../../index.ts");
  const cwd = process.cwd();
  const shown = (path: string) => relative(cwd, path) || ".";
  let result: GenerateResult;
  try {
    result = await generate({ schemas: args.schemas, out: args.out, check: args.check, importExtension: args.importExtension, cwd });
  } catch (e) {
    if (!(e instanceof Error && e.name === "SchemasNotFoundError")) throw e;
    process.stderr.write(`typed-pickle: ${errorText(e)}\n`);
    return 2;
  }
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
    process.stderr.write(`${count(result.diagnostics.length, "error")}\n`);
    return 1;
  }
  if (result.classes + result.enums === 0) {
    process.stderr.write(
      `warning: no @pyclass class or pyenum() enum in ${shown(resolve(cwd, args.schemas))} (${count(result.schemaFiles, "schema file")} read); ` +
        `nothing to generate. Schema classes need @pyclass from "typed-pickle".\n`,
    );
  }
  const files = result.files.length;
  if (args.check) {
    for (const path of result.stale) process.stderr.write(`stale: ${shown(path)}\n`);
    if (result.stale.length > 0) {
      const n = result.stale.length;
      process.stderr.write(`${count(n, "generated file")} ${n === 1 ? "is" : "are"} out of date; run 'typed-pickle generate'\n`);
      return 1;
    }
    process.stdout.write(`${count(files, "generated file")} ${files === 1 ? "is" : "are"} up to date\n`);
    return 0;
  }
  const written = new Set(result.files);
  const removed = result.stale.filter((p) => !written.has(p)).length;
  process.stdout.write(`${count(files, "file")} generated, ${result.stale.length - removed} written${removed > 0 ? `, ${removed} removed` : ""}\n`);
  return 0;
}

export const generateCommand = command<Args>({
  name: "generate",
  describe: "generate typed codecs from annotated schema classes",
  positionals: [],
  options: {
    schemas: { type: "string", default: "schemas", describe: "directory of schema files" },
    out: { type: "string", default: "generated", describe: "directory for generated modules" },
    check: { type: "boolean", default: false, describe: "write nothing; exit 1 when generated files are stale" },
    watch: { type: "boolean", default: false, describe: "regenerate on every schema change" },
    "import-extension": { type: "string", default: "js", choices: ["js", "ts", "none"], describe: "how relative imports in generated code end: .js, .ts or no extension" },
  },
  run: async (args) => {
    if (args.check && args.watch) {
      process.stderr.write("--check and --watch cannot go together\n");
      process.exitCode = 2;
      return;
    }
    process.exitCode = await once(args);
    if (!args.watch || process.exitCode === 2) return;
    let timer: NodeJS.Timeout | undefined;
    watch(resolve(args.schemas), { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void once(args).then((code) => (process.exitCode = code), reportInternalError), 100);
    });
    process.stdout.write(`watching ${args.schemas} …\n`);
    await new Promise(() => {});
  },
});
