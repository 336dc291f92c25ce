// The catalogue of schema diagnostics, reported in compiler form, all at once:
//   schemas/user.ts:12:3 - error TP104: field 'age' has type 'number'; use int or float
// TP1xx are errors in the schema itself (generate); TP2xx are drift from the Python classes (check --python).
import type { Node } from "ts-morph";
import { relative } from "node:path";

/** Errors in the schema itself (generate, and check before anything else). */
export const SCHEMA_CODES = {
  TP101: "decorator arguments and options must be written as literals",
  TP102: "unsupported field type",
  TP103: "@field must decorate a property",
  TP104: "plain number is ambiguous: int or float (once per field)",
  TP105: "two fields with the same Python name",
  TP106: "Date cannot hold microseconds",
  TP107: "unknown @pyclass option or state form",
  TP108: "@afterLoad must decorate one method without parameters",
  TP109: "enum member values must be string or number literals",
  TP110: "unions other than T | null are not supported",
  TP111: "a field's class is not a @pyclass",
  TP112: "a state form that cannot hold this field",
  TP113: "an initializer refers to something the schema file does not export",
  TP114: "pyenum() must name a TypeScript enum and two string literals",
} as const;

/** Drift (check --python): the schema no longer says what the Python class is. */
export const DRIFT_CODES = {
  TP201: "a field's type is not what its Python annotation maps to",
  TP202: "a schema field the Python class no longer has (renamed or removed)",
  TP203: "a Python field the schema lacks: required (no default), or positional (state args/tuple)",
  TP204: "fields in another order than Python's (state args/tuple: fields are positions)",
  TP205: "a state form other than the one Python pickles with",
  TP206: "an enum member the Python enum no longer has",
  TP207: "an enum member whose value is not the Python member's",
  TP208: "a Python enum member the schema lacks (its pickles cannot load)",
  TP209: "the Python module cannot be imported (once per module)",
  TP210: "the Python module has no such class",
  TP211: "the Python name is not the kind the schema declares (class, enum)",
  TP212: "a pickle of the class built from its defaults does not load through the generated codec",
} as const;

/** The one catalogue: every code with its one-line meaning. */
export const CODES = { ...SCHEMA_CODES, ...DRIFT_CODES } as const;

export type Code = keyof typeof CODES;

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  code: Code | `TS${number}`;
  message: string;
}

export function at(node: Node, code: Code, message: string, root: string): Diagnostic {
  const source = node.getSourceFile();
  const { line, column } = source.getLineAndColumnAtPos(node.getStart());
  return { file: relative(root, source.getFilePath()), line, column, code, message };
}

export function format(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} - error ${d.code}: ${d.message}`;
}
