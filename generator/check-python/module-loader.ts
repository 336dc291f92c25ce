// Runs generated modules that exist only in memory, with the schema files they import, under plain
// Node as well as tsx: each TypeScript file is transpiled on its own (TypeScript's transpileModule,
// the one ts-morph ships) to CommonJS and evaluated with a require that hands out this process's
// typed-pickle runtime for "typed-pickle". So the codec check --python loads with is exactly the one
// `generate` writes, fast paths included, without writing a file or needing a TypeScript loader.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, resolve } from "node:path";
import { ts } from "ts-morph";
import * as runtime from "../../runtime/index.node.ts";

type Exports = Record<string, unknown>;

const COMPILER_OPTIONS: import("ts-morph").ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  // Schema decorators are typed to work either way; these are the ones every TypeScript version emits the same.
  experimentalDecorators: true,
  esModuleInterop: true,
};

export class ModuleLoader {
  readonly #cache = new Map<string, { exports: Exports }>();

  /** `files`: TypeScript sources held in memory, by absolute path; any other .ts file is read from disk. */
  constructor(private readonly files: ReadonlyMap<string, string>) {}

  /** The exports of the TypeScript module at `path` (absolute), evaluated once. */
  load(path: string): Exports {
    const cached = this.#cache.get(path);
    if (cached) return cached.exports;
    const source = this.files.get(path) ?? readFileSync(path, "utf8");
    const { outputText } = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName: path });
    const module = { exports: {} as Exports };
    // Cached before it runs: modules that import each other get the other's exports as they stand (as CommonJS does).
    this.#cache.set(path, module);
    const evaluate = new Function("exports", "require", "module", "__filename", "__dirname", outputText) as (...args: unknown[]) => void;
    evaluate(module.exports, (specifier: string) => this.#require(specifier, path), module, path, dirname(path));
    return module.exports;
  }

  #require(specifier: string, from: string): unknown {
    if (specifier === "typed-pickle") return runtime;
    if (specifier.startsWith(".") || isAbsolute(specifier)) {
      const target = resolve(dirname(from), specifier);
      const ts = this.#typeScriptFile(target);
      if (ts !== undefined) return this.load(ts);
    }
    return createRequire(from)(specifier);
  }

  /** The .ts file an import of `target` means (`./user.js`, `./user.ts` or `./user`), if there is one. */
  #typeScriptFile(target: string): string | undefined {
    const stem = target.replace(/\.(?:js|ts)$/, "");
    return [`${stem}.ts`, `${target}/index.ts`].find((p) => this.files.has(p) || existsSync(p));
  }
}
