// Recognising typed-pickle's own names in a schema — the decorators, the schema type aliases, the
// value-model classes — however the schema reaches them: this repository's runtime/ sources, an
// installed package's dist/runtime/*.d.ts, through the index's re-exports, renamed imports
// (`import { pyclass as pc }`) or a namespace import (`tp.pyclass`). A name is followed to its
// declaration; the declaration counts when its file lies under `runtime/` inside a package whose
// package.json is named "typed-pickle" (so a copy with another name, or a user's own `pyclass`, does not).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Node } from "ts-morph";

const PACKAGE_NAME = "typed-pickle";

/** The declaration a name resolves to, through imports, re-exports and namespace members. */
export function declarationOf(node: Node): Node | undefined {
  // `tp.pyclass` and `tp.int`: the symbol is the right-hand name's.
  const name = Node.isPropertyAccessExpression(node) ? node.getNameNode() : Node.isQualifiedName(node) ? node.getRight() : node;
  const symbol = name.getSymbol();
  if (!symbol) return undefined;
  const target = symbol.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol;
  return target.getDeclarations()[0];
}

/** Directory → whether its package.json (the nearest one at or above it) is typed-pickle's root. */
const packageRoots = new Map<string, string | null>();

/** The typed-pickle package root at or above `dir`: the nearest package.json decides. */
function packageRootOf(dir: string): string | null {
  const cached = packageRoots.get(dir);
  if (cached !== undefined) return cached;
  let found: string | null;
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown }).name;
  } catch {
    name = undefined;
  }
  if (name !== undefined) found = name === PACKAGE_NAME ? dir : null;
  else found = dirname(dir) === dir ? null : packageRootOf(dirname(dir));
  packageRoots.set(dir, found);
  return found;
}

/**
 * Where a declaration sits in typed-pickle's runtime, without extension: "typed/decorators",
 * "model/datetime"… (from runtime/typed/decorators.ts or dist/runtime/typed/decorators.d.ts);
 * undefined for anything outside the package.
 */
export function runtimeModuleOf(decl: Node): string | undefined {
  const file = decl.getSourceFile().getFilePath(); // absolute, forward slashes
  const root = packageRootOf(dirname(file));
  if (root === null) return undefined;
  const inPackage = file.slice(root.length + 1).replace(/(\.d)?\.[cm]?tsx?$/, "");
  return /(?:^|\/)runtime\/(.+)$/.exec(inPackage)?.[1];
}

/** The runtime name (e.g. "pyclass", "int") a schema name stands for, when it is one from `module`. */
export function runtimeName(node: Node, module: (where: string) => boolean): string | undefined {
  const decl = declarationOf(node);
  const where = decl && runtimeModuleOf(decl);
  if (where === undefined || !module(where)) return undefined;
  return (decl as Node & { getName?: () => string | undefined }).getName?.();
}

export const isDecoratorsModule = (where: string) => where === "typed/decorators";
export const isModelModule = (where: string) => where.startsWith("model/");
export const isNumpyTypesModule = (where: string) => where === "typed/numpy-types";
