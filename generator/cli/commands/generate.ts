// `typed-pickle generate [--schemas DIR] [--out DIR] [--check] [--watch]`.
// Exit 0: up to date (or written). Exit 1: diagnostics, or --check found stale files. Exit 2: usage.
import { watch } from "node:fs";
import { resolve } from "node:path";
import type { CommandModule } from "yargs";
import { formatDiagnostic, generate, staleFiles, writeOutputs } from "../../generate.ts";

interface Args {
  schemas: string;
  out: string;
  check: boolean;
  watch: boolean;
}

async function once(args: Args): Promise<number> {
  const root = process.cwd();
  const result = await generate({ root, schemas: args.schemas, out: args.out });
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
    process.stderr.write(`${result.diagnostics.length} error${result.diagnostics.length === 1 ? "" : "s"}\n`);
    return 1;
  }
  if (args.check) {
    const stale = staleFiles(root, args.out, result.outputs);
    for (const path of stale) process.stderr.write(`stale: ${path}\n`);
    if (stale.length > 0) {
      process.stderr.write(`${stale.length} generated file${stale.length === 1 ? " is" : "s are"} out of date; run 'typed-pickle generate'\n`);
      return 1;
    }
    process.stdout.write(`${result.outputs.size} generated files are up to date\n`);
    return 0;
  }
  const changed = writeOutputs(root, args.out, result.outputs);
  process.stdout.write(`${result.outputs.size} generated files, ${changed.length} written\n`);
  return 0;
}

export const generateCommand: CommandModule<object, Args> = {
  command: "generate",
  describe: "generate typed codecs from annotated schema classes",
  builder: (y) =>
    y
      .option("schemas", { type: "string", default: "schemas", describe: "directory of schema files" })
      .option("out", { type: "string", default: "generated", describe: "directory for generated modules" })
      .option("check", { type: "boolean", default: false, describe: "write nothing; exit 1 when generated files are stale" })
      .option("watch", { type: "boolean", default: false, describe: "regenerate on every schema change" }) as never,
  handler: async (args) => {
    if (args.check && args.watch) {
      process.stderr.write("--check and --watch cannot go together\n");
      process.exitCode = 2;
      return;
    }
    process.exitCode = await once(args);
    if (!args.watch) return;
    let timer: NodeJS.Timeout | undefined;
    watch(resolve(args.schemas), { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void once(args).then((code) => (process.exitCode = code)), 100);
    });
    process.stdout.write(`watching ${args.schemas}/ …\n`);
    await new Promise(() => {});
  },
};
