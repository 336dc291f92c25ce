// The catalogue of schema diagnostics, reported in compiler form, all at once:
//   schemas/user.ts:12:3 - error TP104: field 'age' has type 'number'; use int or float
import type { Node } from "ts-morph";
import { relative } from "node:path";

export const CODES = {
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
