// Which classes get generated fast paths (runtime/typed/fast-path.ts): dict state (NEWOBJ +
// BUILD(dict), the common form), 1–30 fields, none of them `name?:`, and every field's type one the
// exact reader and direct writer know — scalars, str, bytes, datetime, optionals and lists of them,
// and other such classes. The rest use the general reader and writer only.
import type { ClassModel, SchemaFileModel, TypeModel } from "../schema/model.ts";

/** Fields are tracked in a 32-bit mask while reading. */
const MAX_FIELDS = 30;

export const classKey = (file: string, name: string) => `${file}#${name}`;

function typeIsFast(t: TypeModel, fast: ReadonlySet<string>): boolean {
  switch (t.kind) {
    case "str":
    case "int":
    case "bigint":
    case "float":
    case "bool":
    case "bytes":
    case "datetime":
    case "float64array":
      return true;
    case "optional":
    case "list":
      return typeIsFast(t.item, fast);
    case "class":
      return fast.has(classKey(t.file, t.name));
    default:
      return false;
  }
}

function shapeIsFast(c: ClassModel): boolean {
  return c.state === "dict" && c.fields.length >= 1 && c.fields.length <= MAX_FIELDS && c.fields.every((f) => !f.optional);
}

/** The classes (by classKey) with fast paths: the largest set closed under their field types. */
export function fastClasses(files: readonly SchemaFileModel[]): Set<string> {
  const classes = files.flatMap((f) => f.classes.map((c) => ({ key: classKey(f.path, c.name), c })));
  const fast = new Set(classes.filter(({ c }) => shapeIsFast(c)).map(({ key }) => key));
  // Drop classes that use a dropped one until nothing changes (a cycle of fast classes stays fast).
  for (let changed = true; changed; ) {
    changed = false;
    for (const { key, c } of classes) {
      if (fast.has(key) && !c.fields.every((f) => typeIsFast(f.type, fast))) {
        fast.delete(key);
        changed = true;
      }
    }
  }
  return fast;
}
