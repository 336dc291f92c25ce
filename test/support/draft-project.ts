// A drafted schema file (from `infer` or `import-python`) put to work inside the repository: written,
// generated, and type-checked under the repository's own strict flags.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";
import * as assert from "uvu/assert";
import { formatDiagnostic, generate } from "../../generator/generate.ts";
import { REPO } from "./cli.ts";

/** The TypeScript errors in `files` under the repository's own strict flags. */
export function typeErrors(files: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(files, config.options);
  return files
    .flatMap((f) => [...program.getSyntacticDiagnostics(program.getSourceFile(f)), ...program.getSemanticDiagnostics(program.getSourceFile(f))])
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/**
 * Writes `schemaText` as `<sub>/schemas/<name>.ts` (sub inside the repository, so the generated module
 * resolves "typed-pickle") and generates it into `<sub>/generated`; the two files' paths.
 */
export async function generateDraft(sub: string, name: string, schemaText: string): Promise<{ schema: string; module: string }> {
  const schema = join(REPO, sub, `schemas/${name}.ts`);
  mkdirSync(dirname(schema), { recursive: true });
  writeFileSync(schema, schemaText);
  const { diagnostics, outputs } = await generate({ root: REPO, schemas: `${sub}/schemas`, out: `${sub}/generated` });
  assert.equal(diagnostics.map(formatDiagnostic), []);
  for (const [path, text] of outputs) {
    mkdirSync(dirname(join(REPO, path)), { recursive: true });
    writeFileSync(join(REPO, path), text);
  }
  return { schema, module: join(REPO, sub, `generated/${name}.ts`) };
}
