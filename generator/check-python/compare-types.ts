// Whether a schema field's type holds what its Python annotation says. The annotation is first mapped
// to a schema type by import-python's mapping (schemaTypeOf), with classes named by their Python
// module.qualname; then it is matched against the type the schema wrote. Where Python says too little
// (Any, an unannotated field) or the schema takes anything (Any), there is nothing to compare.
import type { SchemaType } from "../infer/schema-model.ts";
import type { TypeModel } from "../schema/model.ts";

/** The schema's leaf codec for each named schema type (int also fits a bigint field: the annotation cannot tell the range). */
const LEAVES: Record<string, readonly string[]> = {
  int: ["int", "bigint"],
  float: ["float"],
  string: ["str"],
  boolean: ["bool"],
  bytes: ["bytes"],
  bytearray: ["bytearray"],
  datetime: ["datetime"],
  date: ["date"],
  time: ["time"],
  timedelta: ["timedelta"],
  Decimal: ["decimal"],
  UUID: ["uuid"],
};

/** The Python module.qualname of a schema class or enum (by TypeScript name and schema file). */
export type PythonNameOf = (t: { name: string; file: string }) => string | undefined;

/** Whether `schema` can hold every value of `python` (the mapped annotation). */
export function typeFits(python: SchemaType, schema: TypeModel, pythonNameOf: PythonNameOf): boolean {
  const fits = (p: SchemaType, s: TypeModel) => typeFits(p, s, pythonNameOf);
  if ((python.kind === "named" && python.name === "Any") || schema.kind === "any") return true;
  // A schema's `T | null` holds T as well; a Python Optional needs the schema's null.
  if (schema.kind === "optional") return fits(python.kind === "nullable" ? python.inner : python, schema.item);
  switch (python.kind) {
    case "named":
      return LEAVES[python.name]?.includes(schema.kind) ?? false;
    case "nullable":
      return false;
    case "list":
      if (schema.kind === "float64Array") return python.item.kind === "named" && python.item.name === "float";
      return schema.kind === "list" && fits(python.item, schema.item);
    case "set":
    case "frozenset":
      return schema.kind === python.kind && fits(python.item, schema.item);
    case "map":
      if (schema.kind === "record") return python.key.kind === "named" && python.key.name === "string" && fits(python.value, schema.value);
      return schema.kind === "dict" && fits(python.key, schema.key) && fits(python.value, schema.value);
    case "tuple":
      return schema.kind === "tuple" && schema.items.length === python.items.length && python.items.every((p, i) => fits(p, schema.items[i]!));
    case "ref":
      return (schema.kind === "class" || schema.kind === "enum") && pythonNameOf(schema) === python.name;
  }
}

/** A mapped annotation as a schema would write it (classes by their Python name): `int`, `Map<string, float>`, `myapp.models.Address | null`. */
export function schemaTypeText(t: SchemaType): string {
  switch (t.kind) {
    case "named":
    case "ref":
      return t.name;
    case "list":
      return t.item.kind === "nullable" ? `(${schemaTypeText(t.item)})[]` : `${schemaTypeText(t.item)}[]`;
    case "set":
      return `Set<${schemaTypeText(t.item)}>`;
    case "frozenset":
      return `frozenset<${schemaTypeText(t.item)}>`;
    case "map":
      return `Map<${schemaTypeText(t.key)}, ${schemaTypeText(t.value)}>`;
    case "tuple":
      return `[${t.items.map(schemaTypeText).join(", ")}]`;
    case "nullable":
      return `${schemaTypeText(t.inner)} | null`;
  }
}
