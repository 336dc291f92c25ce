// Writes a SchemaModel as a schema file's TypeScript source, formatted with the project's prettier
// config as the generator formats its output. Everything from outside (Python names, values,
// comments) reaches the source only as a JSON string literal, a checked identifier, or a comment
// line with its line breaks escaped: a hostile name cannot become code.
import * as prettier from "prettier";
import type { FieldDefault, NamedType, SchemaModel, SchemaType } from "./schema-model.ts";

/** Names a schema file imports from "typed-pickle" as types (the rest are TypeScript's). */
const IMPORTED_TYPES = new Set<string>(["int", "float", "bytes", "bytearray", "datetime", "date", "time", "timedelta", "Decimal", "UUID", "Any", "frozenset"]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Refuses a name that is not a plain identifier (the model's builder makes them so; this is the last guard). */
function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a TypeScript identifier: ${JSON.stringify(name)}`);
  return name;
}

/** A comment line: line terminators and other control characters escaped, so the comment ends where the line does. */
export const commentLine = (text: string) => "// " + text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

const literal = (s: string) => JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16));

function typeText(t: SchemaType, used: Set<string>): string {
  const inner = (x: SchemaType) => {
    const s = typeText(x, used);
    return x.kind === "nullable" ? `(${s})` : s;
  };
  switch (t.kind) {
    case "named":
      if (IMPORTED_TYPES.has(t.name)) used.add(t.name satisfies NamedType);
      return t.name;
    case "list":
      return `${inner(t.item)}[]`;
    case "set":
      return `Set<${typeText(t.item, used)}>`;
    case "frozenset":
      used.add("frozenset");
      return `frozenset<${typeText(t.item, used)}>`;
    case "map":
      return `Map<${typeText(t.key, used)}, ${typeText(t.value, used)}>`;
    case "tuple":
      return `[${t.items.map((x) => typeText(x, used)).join(", ")}]`;
    case "ref":
      return identifier(t.name);
    case "nullable":
      return `${typeText(t.inner, used)} | null`;
  }
}

/** A field's initializer as source: only a finite number, a JSON string literal, true/false/null or `[]`. */
function defaultText(d: FieldDefault): string {
  if ("emptyList" in d) return "[]";
  const v = d.value;
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`not a literal default: ${v}`);
  return typeof v === "string" ? literal(v) : String(v);
}

/** The schema file's source, unformatted. */
export function schemaSource(model: SchemaModel): string {
  const used = new Set<string>();
  const values = new Set<string>();
  const body: string[] = [];
  for (const e of model.enums) {
    values.add("pyenum");
    body.push("", ...e.comments.map(commentLine), `export enum ${identifier(e.name)} {`);
    for (const m of e.members) body.push(`  ${identifier(m.name)} = ${typeof m.value === "number" ? String(m.value) : literal(m.value)},`);
    body.push("}", `pyenum(${e.name}, ${literal(e.module)}, ${literal(e.qualname)});`);
  }
  for (const c of model.classes) {
    values.add("pyclass");
    values.add("field");
    const options = c.state === "dict" ? "" : `, { state: ${literal(c.state)} }`;
    body.push("", ...c.comments.map(commentLine), `@pyclass(${literal(c.module)}, ${literal(c.qualname)}${options})`, `export class ${identifier(c.name)} {`);
    for (const f of c.fields) {
      const options = f.pythonName === undefined ? "" : `{ name: ${literal(f.pythonName)} }`;
      body.push(
        ...f.comments.map((line) => "  " + commentLine(line)),
        `  @field(${options}) ${identifier(f.name)}${f.default ? "" : f.optional ? "?" : "!"}: ${typeText(f.type, used)}${f.default ? ` = ${defaultText(f.default)}` : ""};`,
      );
    }
    body.push("}");
  }
  const names = [...[...values].sort(), ...[...used].sort().map((n) => `type ${n}`)];
  return [...model.header.map(commentLine), `import { ${names.join(", ")} } from "typed-pickle";`, ...body, ""].join("\n");
}

/** The source formatted as the project formats TypeScript (its prettier config, found from `path`). */
export async function formatSchemaSource(source: string, path: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(source, { printWidth: 120, ...options, parser: "typescript" });
}
