// From introspect.py's description of Python classes to the neutral schema model (the one `infer`
// writes): TypeScript names for the classes, fields and members (valid, unique, not shadowing the
// file's imports), a schema type per annotation, literal defaults, and a TODO wherever Python did not
// say enough. Names that are not plain Python identifiers are refused here, before the writer.
import { camelCase, classNames, unique, withPlainNames } from "../infer/draft.ts";
import type { FieldDefault, SchemaClass, SchemaEnum, SchemaField, SchemaModel, SchemaType } from "../infer/schema-model.ts";
import type { Introspection, PyType } from "./run-introspect.ts";

const LEAF: Record<string, SchemaType> = {
  int: { kind: "named", name: "int" },
  float: { kind: "named", name: "float" },
  str: { kind: "named", name: "string" },
  bool: { kind: "named", name: "boolean" },
  bytes: { kind: "named", name: "bytes" },
  bytearray: { kind: "named", name: "bytearray" },
  datetime: { kind: "named", name: "datetime" },
  date: { kind: "named", name: "date" },
  time: { kind: "named", name: "time" },
  timedelta: { kind: "named", name: "timedelta" },
  Decimal: { kind: "named", name: "Decimal" },
  UUID: { kind: "named", name: "UUID" },
};

/** How a kind of Python class introspect.py names reads in a message ("a dataclass in Python"). */
export const KIND_TEXT: Record<string, string> = {
  plain: "a plain class",
  dataclass: "a dataclass",
  namedtuple: "a namedtuple",
  attrs: "an attrs class",
  pydantic: "a pydantic model",
  enum: "an enum",
};

/** The state forms introspect.py may name (anything else in its output is not trusted). */
const STATES = new Set<string>(["dict", "slots", "tuple", "args", "reduce", "pydantic"]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The default as the model holds it: only a number, string, boolean, null or an empty list (anything else: none). */
function literalDefault(d: unknown): FieldDefault | undefined {
  if (typeof d !== "object" || d === null) return undefined;
  if ("emptyList" in d) return d.emptyList === true ? { emptyList: true } : undefined;
  const v = "value" in d ? d.value : undefined;
  return v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)) ? { value: v } : undefined;
}

const keyOf = (module: unknown, qualname: unknown) => `${String(module)}.${String(qualname)}`;

/**
 * The schema type of a Python annotation: the one mapping from Python types to schema types (import-python
 * drafts with it, check --python compares with it). `refName` names a class the annotation reaches
 * (undefined: it is left out, and Any); `todo` hears each reason a part became Any.
 */
export function schemaTypeOf(t: PyType, refName: (module: string, qualname: string) => string | undefined, todo: string[]): SchemaType {
  const typeOf = (x: PyType) => schemaTypeOf(x, refName, todo);
  const any = (why: string): SchemaType => (todo.push(`TODO: ${why}; Any for now`), { kind: "named", name: "Any" });
  switch (t?.k) {
    case "list":
    case "set":
    case "frozenset":
      return { kind: t.k, item: typeOf(t.item) };
    case "map":
      return { kind: "map", key: typeOf(t.key), value: typeOf(t.value) };
    case "tuple":
      return Array.isArray(t.items) ? { kind: "tuple", items: t.items.map(typeOf) } : any("a tuple of unknown items");
    case "nullable": {
      const inner = typeOf(t.inner);
      return inner.kind === "named" && inner.name === "Any" ? inner : { kind: "nullable", inner };
    }
    case "ref": {
      const name = refName(String(t.module), String(t.qualname));
      return name === undefined ? any(`${keyOf(t.module, t.qualname)} is left out (not a plain Python name)`) : { kind: "ref", name };
    }
    case "any":
      return any(`annotated ${String(t.what)}`);
    default: {
      const leaf = typeof t?.k === "string" && Object.hasOwn(LEAF, t.k) ? LEAF[t.k] : undefined;
      return leaf ?? any(`an unknown type ${JSON.stringify(t)}`);
    }
  }
}

/** The schema model of the classes Python described; `warn` hears what was left out or guessed. */
export function toSchemaModel(doc: Introspection, warn: (message: string) => void): SchemaModel {
  const kept = withPlainNames(doc.classes, warn);
  const tsNames = classNames(kept);

  const typeOf = (t: PyType, todo: string[]) => schemaTypeOf(t, (module, qualname) => tsNames.get(keyOf(module, qualname)), todo);

  const enums: SchemaEnum[] = [];
  const classes: SchemaClass[] = [];
  for (const c of kept) {
    const name = tsNames.get(keyOf(c.module, c.qualname))!;
    const comments = (Array.isArray(c.comments) ? c.comments : []).map(String);
    if (c.kind === "enum") {
      const members = new Set<string>();
      enums.push({
        name,
        module: c.module,
        qualname: c.qualname,
        comments,
        members: (c.members ?? []).map((m) => ({
          name: unique(IDENTIFIER.test(String(m.name)) ? String(m.name) : camelCase(String(m.name)), members),
          value: typeof m.value === "number" && Number.isSafeInteger(m.value) ? m.value : String(m.value),
        })),
      });
      continue;
    }
    comments.unshift(`${KIND_TEXT[c.kind] ?? "a class"} in Python`);
    if (c.getstate?.length) {
      const why = `TODO: ${c.qualname} defines ${c.getstate.join(", ")}: what it pickles cannot be read from the class; the fields are its annotations, drafted as "${c.state ?? "dict"}" — check them against a real pickle (typed-pickle infer)`;
      comments.push(why);
      warn(`${c.module}.${c.qualname}: ${why.slice("TODO: ".length)}`);
    }
    const fieldNames = new Set<string>(["constructor"]);
    const fields = (c.fields ?? []).map((f): SchemaField => {
      const python = String(f.name);
      const tsName = unique(camelCase(python), fieldNames);
      const todo: string[] = [];
      const type = typeOf(f.type, todo);
      const note = f.note === undefined ? [] : [`TODO: ${String(f.note)}: no initializer written`];
      return { name: tsName, pythonName: tsName === python ? undefined : python, type, optional: false, default: literalDefault(f.default), comments: [...new Set(todo), ...note] };
    });
    if (fields.length === 0) comments.push("TODO: no annotations, __slots__ or fields found: add the attributes its pickles hold");
    const state = c.state !== undefined && STATES.has(c.state) ? c.state : "dict";
    classes.push({ name, module: c.module, qualname: c.qualname, state, comments, fields });
  }
  return { header: ["Drafted by `typed-pickle import-python` from the Python classes (importing them ran their module's code). Check every TODO."], enums, classes };
}
