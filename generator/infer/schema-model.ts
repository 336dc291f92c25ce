// The neutral model of a schema file a command drafts (infer from pickles; import-python from
// the classes): classes, enums, fields, types and the comments that explain them. schema-text.ts
// writes it as TypeScript source; nothing here knows where the facts came from.
import type { StateForm } from "../../runtime/typed/decorators.ts";

/** The schema types that are a name alone (typed-pickle's aliases, or TypeScript's own). */
export type NamedType = "string" | "boolean" | "int" | "bigint" | "float" | "bytes" | "bytearray" | "datetime" | "date" | "time" | "timedelta" | "Decimal" | "UUID" | "Any";

export type SchemaType =
  | { kind: "named"; name: NamedType }
  | { kind: "list" | "set" | "frozenset"; item: SchemaType }
  | { kind: "map"; key: SchemaType; value: SchemaType }
  | { kind: "tuple"; items: SchemaType[] }
  /** Another class or enum of the model, by its TypeScript name. */
  | { kind: "ref"; name: string }
  | { kind: "nullable"; inner: SchemaType };

/** A default a schema field can hold as a literal: a plain value, or an empty list. */
export type FieldDefault = { value: string | number | boolean | null } | { emptyList: true };

export interface SchemaField {
  /** The TypeScript property name (an identifier). */
  name: string;
  /** The Python attribute's name where it differs (written as `@field({ name })`). */
  pythonName?: string | undefined;
  type: SchemaType;
  optional: boolean;
  /** The initializer (`name: T = <literal>`), where the Python side gives a simple default. */
  default?: FieldDefault | undefined;
  /** Comment lines above the field (plain text; the writer makes them safe). */
  comments: string[];
}

export interface SchemaClass {
  /** The TypeScript class name (an identifier). */
  name: string;
  module: string;
  qualname: string;
  state: StateForm;
  comments: string[];
  fields: SchemaField[];
}

export interface SchemaEnum {
  name: string;
  module: string;
  qualname: string;
  comments: string[];
  members: { name: string; value: string | number }[];
}

export interface SchemaModel {
  /** The file's opening comment lines. */
  header: string[];
  enums: SchemaEnum[];
  classes: SchemaClass[];
}
