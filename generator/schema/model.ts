// What the generator learns from a schema file: classes, their fields and Python names, enums.
import type * as T from "../../runtime/typed/codec.ts";
import type { Codec } from "../../runtime/typed/codec.ts";
import type { StateForm } from "../../runtime/typed/decorators.ts";

/**
 * The leaf field types: the codecs of the runtime's type table (`T.str`, `T.float64Array`, …,
 * runtime/typed/codec.ts), by name. The codec says everything else about its type: the Python
 * name, the fast paths, the globals it needs allowed.
 */
export type LeafKind = { [K in keyof typeof T]: (typeof T)[K] extends Codec<unknown> ? K : never }[keyof typeof T];

/** A field's type, as the mapping table names it. */
export type TypeModel =
  | { kind: LeafKind }
  | { kind: "list" | "set" | "frozenset" | "optional"; item: TypeModel }
  | { kind: "tuple"; items: TypeModel[] }
  | { kind: "dict"; key: TypeModel; value: TypeModel }
  | { kind: "record"; value: TypeModel }
  | { kind: "class"; name: string; file: string }
  | { kind: "enum"; name: string; file: string };

export interface FieldModel {
  tsName: string;
  pyName: string;
  type: TypeModel;
  /** Written `name?: T`: may be absent in the pickle (and is then left undefined). */
  optional: boolean;
  /** The initializer's source text: the value when an older pickle lacks the field. */
  initializer?: string;
}

export interface ClassModel {
  name: string;
  module: string;
  qualname: string;
  state: StateForm;
  fields: FieldModel[];
  /** Members without @field that have an initializer: set on load, never pickled. */
  transients: { name: string; initializer: string }[];
  afterLoad?: string;
}

export interface EnumModel {
  name: string;
  module: string;
  qualname: string;
}

export interface SchemaFileModel {
  /** Path relative to the repository (or project) root, with forward slashes. */
  path: string;
  absolutePath: string;
  classes: ClassModel[];
  enums: EnumModel[];
  /** Names the generated module must import from the schema file (initializers may use them). */
  imports: Set<string>;
}
