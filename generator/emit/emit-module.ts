// Writes the generated module for one schema file. Per class: its table (Python global, state form,
// fields, transients, afterLoad), which the runtime compiles into the general toPy / fromPy
// (runtime/typed/class-table.ts), and, where every field has them, the straight-line fast paths —
// fields only, the shared steps around them being the runtime's. Per enum: its codec. Then
// dumpsX / loadsX / dumpX / loadX for each. Output is deterministic (no timestamps) and formatted by
// the caller with prettier.
import { dirname, relative } from "node:path";
import type { ClassModel, FieldModel, SchemaFileModel, TypeModel } from "../schema/model.ts";
import { type FastVerdicts, classKey } from "./fast-classes.ts";
import { RuntimeImports } from "./runtime-imports.ts";

const RUNTIME_IMPORT = "typed-pickle";

/**
 * How the generated module's relative imports (the schema file, other generated modules) end:
 * "js" (the default: `../schemas/user.js`, which NodeNext, Node16 and Bundler resolution all accept
 * and which still names the file after tsc), "ts" (`user.ts`, for allowImportingTsExtensions or
 * runtimes that run TypeScript directly), "none" (`user`, for bundlers and Bundler resolution).
 */
export type ImportExtension = "js" | "ts" | "none";

// Partial: the option may come from JavaScript or the command line with any value.
const IMPORT_EXTENSIONS: Partial<Record<string, string>> = { js: ".js", ts: ".ts", none: "" };

export interface EmitOptions {
  /** Which classes have fast paths, and why the others have none (fast-classes.ts); none when absent. */
  fast?: FastVerdicts;
  /** How relative import specifiers end; "js" when absent. */
  importExtension?: ImportExtension;
}

const CONSTANT = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** A TypeScript string literal. */
const lit = (s: string) => JSON.stringify(s);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `name` as an object literal key. */
const key = (name: string) => (IDENTIFIER.test(name) ? name : lit(name));

/** Property `name` of `object`. */
const member = (object: string, name: string) => (IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${lit(name)}]`);

/** Words that cannot name a local variable (or that the fast paths' own names would shadow). */
const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof let new null return super switch this throw true try typeof var void while with yield await implements interface package private protected public static arguments eval undefined NaN Infinity".split(
    " ",
  ),
);

/** Where the generated module for a schema file goes: schemas/a/b.ts → <out>/a/b.ts. */
export function outputPath(schemaRelative: string, schemasDir: string, outDir: string): string {
  return `${outDir}/${relative(schemasDir, schemaRelative).split("\\").join("/")}`;
}

/** The specifier `fromFile` imports `toFile` (a .ts file) by, ending as `extension` says. */
function importPath(fromFile: string, toFile: string, extension: ImportExtension): string {
  const ending = IMPORT_EXTENSIONS[extension];
  if (ending === undefined) throw new TypeError(`importExtension must be "js", "ts" or "none", not ${JSON.stringify(extension)}`);
  const path = relative(dirname(fromFile), toFile).split("\\").join("/").replace(/\.ts$/, ending);
  return path.startsWith(".") ? path : `./${path}`;
}

interface EmitContext {
  /** Generated module path (relative to the root) of each schema file. */
  outputOf: (schemaPath: string) => string;
  self: SchemaFileModel;
  runtime: RuntimeImports;
  /** Codec names imported from other generated modules: module → names. */
  foreign: Map<string, Set<string>>;
  fast: FastVerdicts;
  /** The module's one lazy reference per class its fields name: codec name → constant. */
  refs: Map<string, string>;
}

/** The codec of a field type, as runtime calls: `T.list(T.str)`. */
function codecExpression(t: TypeModel, ctx: EmitContext): string {
  const T = ctx.runtime.value("T");
  switch (t.kind) {
    case "list":
    case "set":
    case "frozenset":
    case "optional":
      return `${T}.${t.kind}(${codecExpression(t.item, ctx)})`;
    case "tuple":
      return `${T}.tuple(${t.items.map((i) => codecExpression(i, ctx)).join(", ")})`;
    case "dict":
      return `${T}.dict(${codecExpression(t.key, ctx)}, ${codecExpression(t.value, ctx)})`;
    case "record":
      return `${T}.record(${codecExpression(t.value, ctx)})`;
    case "class":
    case "enum": {
      const name = `${t.name}Codec`;
      if (t.file !== ctx.self.path) {
        const module = ctx.outputOf(t.file);
        if (!ctx.foreign.has(module)) ctx.foreign.set(module, new Set());
        ctx.foreign.get(module)!.add(name);
      }
      // An enum of this module is defined above its classes. One from another module is reached
      // lazily, as classes are: generated modules that import each other form an ES module cycle,
      // and the one evaluated first would read the other's codec before it is defined.
      if (t.kind === "enum" && t.file === ctx.self.path) return name;
      // One lazy reference per class and module: fields of one type then share their list and
      // dict codecs (T.list interns by item codec), and so shared lists stay shared.
      const ref = CONSTANT(t.name);
      ctx.refs.set(name, ref);
      return ref;
    }
    default:
      // A leaf kind is its codec's name in the runtime's type table.
      return `${T}.${t.kind}`;
  }
}

const STATE_DOC: Record<ClassModel["state"], string> = {
  dict: "__dict__ state: NEWOBJ + BUILD(dict)",
  slots: "__slots__ state: NEWOBJ + BUILD((None, {slot: value}))",
  tuple: "tuple state: NEWOBJ + BUILD((fields…)) (a __getstate__ returning a tuple)",
  args: "constructor arguments: NEWOBJ(cls, (fields…)), no BUILD (namedtuple-style)",
  reduce: "reduce: cls(*fields) through REDUCE",
  pydantic: "pydantic v2 model: NEWOBJ + BUILD({'__dict__': fields, '__pydantic_fields_set__': …})",
};

/** One entry of the fields table. */
function fieldEntry(f: FieldModel, ctx: EmitContext): string {
  const codec = codecExpression(f.type, ctx);
  const spec = [`codec: ${codec}`];
  if (f.pyName !== f.tsName) spec.push(`python: ${lit(f.pyName)}`);
  if (f.optional) spec.push("optional: true");
  else if (f.initializer !== undefined) spec.push(`default: () => ${f.initializer}`);
  return `${key(f.tsName)}: ${spec.length === 1 ? codec : `{ ${spec.join(", ")} }`},`;
}

/** The fast paths of a dict-state class whose every field has them: its fields, written and read. */
function fastFields(c: ClassModel, it: string): string {
  // Locals named after the fields, unless a name is taken (a keyword, the paths' own names, or a
  // name an initializer uses).
  const taken = new Set([...RESERVED, "r", "f", "batch", "key", "miss", it]);
  for (const f of c.fields) for (const word of f.initializer?.match(/[A-Za-z_$][\w$]*/g) ?? []) taken.add(word);
  const local = new Map<FieldModel, string>();
  for (const f of c.fields) {
    let name = IDENTIFIER.test(f.tsName) ? f.tsName : `field${local.size}`;
    while (taken.has(name)) name += "_";
    taken.add(name);
    local.set(f, name);
  }
  const write = c.fields.flatMap((f) => [`w.writeKey(${member("k", f.tsName)});`, `${member("f", f.tsName)}.write(${member(it, f.tsName)}, w);`]);
  const reads = c.fields.map((f, i) => `${i === 0 ? "" : "else "}if (key === ${lit(f.pyName)}) ${local.get(f)} = ${member("f", f.tsName)}.read(r);`);
  const required = c.fields.filter((f) => f.initializer === undefined).map((f) => `${local.get(f)} === undefined`);
  const assign = c.fields.map((f) => {
    const v = local.get(f)!;
    return `${member(it, f.tsName)} = ${f.initializer === undefined ? v : `${v} === undefined ? ${f.initializer} : ${v}`};`;
  });
  return `
  fast: {
    write(${it}, w, f, k) {
      ${write.join("\n")}
    },
    read(r, ${it}, f) {
      let ${[...local.values()].join(", ")};
      const batch = r.stateBegin();
      for (let key = r.stateKey(batch); key !== null; key = r.stateKey(batch)) {
        ${reads.join("\n")}
        else miss();
      }
      ${required.length > 0 ? `if (${required.join(" || ")}) miss();` : ""}
      ${assign.join("\n")}
    },
  },`;
}

/** The name of the instance in a class's transients and fast paths: `user` for a User. */
function instanceName(c: ClassModel): string {
  const name = c.name.charAt(0).toLowerCase() + c.name.slice(1);
  return RESERVED.has(name) || ["r", "w", "f", "k", "batch", "key", "miss"].includes(name) ? "value" : name;
}

function emitClass(c: ClassModel, ctx: EmitContext): string {
  const codec = `${c.name}Codec`;
  const it = instanceName(c);
  const fields = c.fields.map((f) => fieldEntry(f, ctx)).join("\n");
  const k = classKey(ctx.self.path, c.name);
  const verdict: string | null = ctx.fast.has(k) ? (ctx.fast.get(k) ?? null) : "fast paths not computed";
  const table = [`module: ${lit(c.module)},`, `qualname: ${lit(c.qualname)},`, `state: ${lit(c.state)},`, `fields: {\n${fields}\n},`];
  if (c.transients.length > 0) {
    const sets = c.transients.map((t) => `${member(it, t.name)} = ${t.initializer};`).join("\n");
    table.push(`transients: (${it}) => {\n${sets}\n},`);
  }
  if (c.afterLoad) table.push(`afterLoad: ${lit(c.afterLoad)},`);
  const fast = verdict === null ? (ctx.runtime.value("miss"), fastFields(c, it)) : "";
  const why = verdict === null ? "" : `// No fast paths (${verdict}): the general reader and writer only.\n`;
  return `
// ---- ${c.name} ↔ ${c.module}.${c.qualname} (${STATE_DOC[c.state]})

${why}export const ${codec}: ${ctx.runtime.type("NamedCodec")}<${c.name}> = ${ctx.runtime.value("classCodec")}(${c.name}, {
  ${table.join("\n")}${fast}
});
${rootFunctions(c.name, ctx)}`;
}

/** dumpsX / loadsX / dumpX / loadX for a class or enum at the root of a pickle. */
function rootFunctions(name: string, ctx: EmitContext): string {
  return `export const { dumps: dumps${name}, loads: loads${name}, dump: dump${name}, load: load${name} } = ${ctx.runtime.value("functionsFor")}(${name}Codec);\n`;
}

/** The generated module's source text (before formatting). */
export function emitModule(file: SchemaFileModel, outputOf: (schemaPath: string) => string, options: EmitOptions = {}): string {
  const { fast = new Map<string, string | null>(), importExtension = "js" } = options;
  const ctx: EmitContext = { outputOf, self: file, runtime: new RuntimeImports(), foreign: new Map(), fast, refs: new Map() };
  const myPath = outputOf(file.path);
  const enums = file.enums.map(
    (e) => `
// ---- ${e.name} ↔ ${e.module}.${e.qualname} (enum.Enum: cls(value) through REDUCE)

export const ${e.name}Codec: ${ctx.runtime.type("NamedCodec")}<${e.name}> = ${ctx.runtime.value("T")}.enumeration<${e.name}>(new ${ctx.runtime.value("PyGlobal")}(${lit(e.module)}, ${lit(e.qualname)}), ${e.name});
${rootFunctions(e.name, ctx)}`,
  );
  const classes = file.classes.map((c) => emitClass(c, ctx));
  const schemaImports = [...new Set([...file.classes.map((c) => c.name), ...file.enums.map((e) => e.name), ...file.imports])].sort();
  const foreign = [...ctx.foreign]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([module, names]) => `import { ${[...names].sort().join(", ")} } from ${lit(importPath(myPath, module, importExtension))};`);
  const refs = [...ctx.refs]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, ref]) => `const ${ref} = ${ctx.runtime.value("T")}.lazy(() => ${name});\n`)
    .join("");
  const lazies = refs ? `\n// Classes (and other modules' enums) the fields name, resolved at first use: they may be defined below, or refer back.\n${refs}` : "";
  return `// @generated by typed-pickle from ${file.path} — do not edit
// Per class: its table, which the runtime compiles into the codec, and where every field allows,
// fast paths that write and read the exact opcodes CPython uses. dumpsX/loadsX take bytes,
// dumpX/loadX files and streams.
import { ${ctx.runtime.specifiers().join(", ")} } from ${lit(RUNTIME_IMPORT)};
import { ${schemaImports.join(", ")} } from ${lit(importPath(myPath, file.path, importExtension))};
${foreign.join("\n")}
${lazies}${enums.join("")}${classes.join("")}`;
}
