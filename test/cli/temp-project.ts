// A throw-away project for CLI tests: a temporary directory with tsconfig.json, a
// node_modules/typed-pickle symlink to this repository (read from sources through the
// typed-pickle-source condition) and the schema files given.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO } from "../support/cli.ts";

/** A @pyclass with two int fields (and `extra` lines in its body). */
export const pointSchema = (extra = "") => `import { field, pyclass, type int } from "typed-pickle";

@pyclass("geo", "Point")
export class Point {
  @field() x!: int;
  @field() y!: int;${extra}
}
`;

/** The project's directory; `schemas` maps paths under schemas/ to their text. */
export function tempProject(schemas: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-project-"));
  const compilerOptions = {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    customConditions: ["typed-pickle-source"],
    skipLibCheck: true,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO, join(dir, "node_modules", "typed-pickle"), "dir");
  for (const [name, text] of Object.entries(schemas)) {
    mkdirSync(dirname(join(dir, "schemas", name)), { recursive: true });
    writeFileSync(join(dir, "schemas", name), text);
  }
  return dir;
}
