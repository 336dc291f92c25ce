// Which classes get emitted fast paths (runtime/typed/fast-path.ts), and for the others, why not.
// A field type has fast paths when its runtime codec has both `read` and `write` — the codecs are
// the one home of that fact: the generator builds them (runtime/typed/codec.ts) and asks. A class
// has them when its state is a dict (NEWOBJ + BUILD(dict), the common form), it has fields, none
// declared `name?:`, and every field's type has them — other classes' included, so the set is the
// largest one closed under the field types.
import * as T from "../../runtime/typed/codec.ts";
import type { Codec } from "../../runtime/typed/codec.ts";
import { miss } from "../../runtime/typed/fast-path.ts";
import type { ClassModel, SchemaFileModel, TypeModel } from "../schema/model.ts";

export const classKey = (file: string, name: string) => `${file}#${name}`;

/** Per class (by classKey): null when it has fast paths, else the reason it has none, for a comment. */
export type FastVerdicts = ReadonlyMap<string, string | null>;

/** A stand-in for a class's codec: it has fast paths when the class does. */
function classStandIn(name: string, fast: boolean, why: string): Codec<unknown> {
  const stub: Codec<unknown> = { describe: fast ? name : `${name} (${why})`, toPy: miss, fromPy: miss, parts: () => [] };
  return fast ? { ...stub, write: miss, read: miss } : stub;
}

/** The runtime codec of a field type (classes and enums as stand-ins). */
function codecOf(t: TypeModel, fast: ReadonlySet<string>): Codec<unknown> {
  switch (t.kind) {
    case "list":
      return T.list(codecOf(t.item, fast));
    case "set":
      return T.set(codecOf(t.item, fast));
    case "frozenset":
      return T.frozenset(codecOf(t.item, fast));
    case "optional":
      return T.optional(codecOf(t.item, fast));
    case "tuple":
      return T.tuple(...t.items.map((i) => codecOf(i, fast)));
    case "dict":
      return T.dict(codecOf(t.key, fast), codecOf(t.value, fast));
    case "record":
      return T.record(codecOf(t.value, fast));
    case "class":
      return classStandIn(t.name, fast.has(classKey(t.file, t.name)), "general path");
    case "enum":
      return classStandIn(t.name, false, "an enum");
    default:
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: a leaf kind is its codec's name in the type table (the generator is not bundled)
      return T[t.kind] as Codec<unknown>;
  }
}

const hasFastPaths = (c: Codec<unknown>) => c.read !== undefined && c.write !== undefined;

/** Why `c` has no fast paths, given the classes that have them; null when it has. */
function reasonAgainst(c: ClassModel, fast: ReadonlySet<string>): string | null {
  if (c.state !== "dict") return `${c.state} state`;
  if (c.fields.length === 0) return "no fields";
  const optional = c.fields.find((f) => f.optional);
  if (optional) return `'${optional.tsName}?:' may be absent`;
  for (const f of c.fields) {
    const codec = codecOf(f.type, fast);
    if (!hasFastPaths(codec)) return `${f.tsName} is ${codec.describe}`;
  }
  return null;
}

/** Each class's verdict: fast paths, or the reason it has none. */
export function fastClasses(files: readonly SchemaFileModel[]): FastVerdicts {
  const classes = files.flatMap((f) => f.classes.map((c) => ({ key: classKey(f.path, c.name), c })));
  const fast = new Set(classes.map(({ key }) => key));
  const verdicts = new Map<string, string | null>();
  // Drop classes that cannot have them until nothing changes (a cycle of fast classes stays fast).
  for (let changed = true; changed;) {
    changed = false;
    for (const { key, c } of classes) {
      const reason = reasonAgainst(c, fast);
      verdicts.set(key, reason);
      if (reason !== null && fast.delete(key)) changed = true;
    }
  }
  return verdicts;
}
