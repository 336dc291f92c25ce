// Writes the generated module for one schema file: per class, field codecs composed once at module
// level, straight-line toPy / fromPy functions, and dumpsC / loadsC / dumpC / loadC. Per enum, its
// codec and the same four functions. Output is deterministic (no timestamps) and formatted by the
// caller with prettier.
import { dirname, relative } from "node:path";
import { withArticle } from "../../runtime/format/indefinite-article.ts";
import type { ClassModel, FieldModel, SchemaFileModel, TypeModel } from "../schema/model.ts";
import { classKey } from "./fast-classes.ts";

const RUNTIME_IMPORT = "typed-pickle";

/**
 * How the generated module's relative imports (the schema file, other generated modules) end:
 * "js" (the default: `../schemas/user.js`, which NodeNext, Node16 and Bundler resolution all accept
 * and which still names the file after tsc), "ts" (`user.ts`, for allowImportingTsExtensions or
 * runtimes that run TypeScript directly), "none" (`user`, for bundlers and Bundler resolution).
 */
export type ImportExtension = "js" | "ts" | "none";

const IMPORT_EXTENSIONS: Record<ImportExtension, string> = { js: ".js", ts: ".ts", none: "" };

export interface EmitOptions {
  /** Classes with fast paths (fast-classes.ts); none when absent. */
  fast?: ReadonlySet<string>;
  /** How relative import specifiers end; "js" when absent. */
  importExtension?: ImportExtension;
}

/** "An Order" at the start of a sentence. */
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const CONSTANT = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** A TypeScript string literal. */
const lit = (s: string) => JSON.stringify(s);

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
  /** Codec names imported from other generated modules: module → names. */
  foreign: Map<string, Set<string>>;
  /** Classes with fast paths (fast-classes.ts). */
  fast: ReadonlySet<string>;
  /** The module's one lazy reference per class its fields name: codec name → constant. */
  refs: Map<string, string>;
}

function codecExpression(t: TypeModel, ctx: EmitContext): string {
  switch (t.kind) {
    case "str":
    case "bool":
    case "int":
    case "bigint":
    case "float":
    case "bytes":
    case "bytearray":
    case "datetime":
    case "date":
    case "time":
    case "timedelta":
    case "any":
      return `T.${t.kind}`;
    case "decimal":
      return "T.decimal";
    case "float64array":
      return "T.float64Array";
    case "uuid":
      return "T.uuid";
    case "list":
    case "set":
    case "frozenset":
    case "optional":
      return `T.${t.kind}(${codecExpression(t.item, ctx)})`;
    case "tuple":
      return `T.tuple(${t.items.map((i) => codecExpression(i, ctx)).join(", ")})`;
    case "dict":
      return `T.dict(${codecExpression(t.key, ctx)}, ${codecExpression(t.value, ctx)})`;
    case "record":
      return `T.record(${codecExpression(t.value, ctx)})`;
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
      const ref = `${CONSTANT(t.name)}_REF`;
      ctx.refs.set(name, ref);
      return ref;
    }
  }
}

function pythonType(t: TypeModel): string {
  switch (t.kind) {
    case "list":
      return `list[${pythonType(t.item)}]`;
    case "set":
      return `set[${pythonType(t.item)}]`;
    case "frozenset":
      return `frozenset[${pythonType(t.item)}]`;
    case "optional":
      return `Optional[${pythonType(t.item)}]`;
    case "tuple":
      return `tuple[${t.items.map(pythonType).join(", ")}]`;
    case "dict":
      return `dict[${pythonType(t.key)}, ${pythonType(t.value)}]`;
    case "record":
      return `dict[str, ${pythonType(t.value)}]`;
    case "class":
    case "enum":
      return t.name;
    case "bigint":
      return "int";
    case "decimal":
      return "Decimal";
    case "uuid":
      return "UUID";
    case "any":
      return "object";
    case "float64array":
      return "list[float]";
    default:
      return t.kind;
  }
}

const STATE_DOC: Record<ClassModel["state"], string> = {
  dict: "__dict__ state: NEWOBJ + BUILD(dict)",
  slots: "__slots__ state: NEWOBJ + BUILD((None, {slot: value}))",
  tuple: "tuple state: NEWOBJ + BUILD((fields…)) (a __getstate__ returning a tuple)",
  args: "constructor arguments: NEWOBJ(cls, (fields…)), no BUILD (namedtuple-style)",
  reduce: "reduce: cls(*fields) through REDUCE",
};

function fieldComment(f: FieldModel): string {
  const renamed = f.tsName === f.pyName ? "" : ` (TypeScript: ${f.tsName})`;
  return `// ${f.pyName}: ${pythonType(f.type)}${renamed}`;
}

/** The direct write of one field's value (scalars inline, the rest through the field's codec). */
function fastWrite(t: TypeModel, expr: string, codec: string): string {
  switch (t.kind) {
    case "str":
      return `w.writeStr(typeof ${expr} === "string" ? ${expr} : miss());`;
    case "int":
      return `w.writeInt(Number.isSafeInteger(${expr}) ? ${expr} : miss());`;
    case "float":
      return `w.writeFloat(typeof ${expr} === "number" ? ${expr} : miss());`;
    case "bool":
      return `w.writeBool(typeof ${expr} === "boolean" ? ${expr} : miss());`;
    default:
      return `${codec}.write!(${expr}, w);`;
  }
}

/** The exact read of one field's value. */
function fastRead(t: TypeModel, codec: string): string {
  switch (t.kind) {
    case "str":
    case "int":
    case "bigint":
    case "float":
    case "bool":
    case "bytes":
    case "datetime":
      return `r.${t.kind}()`;
    default:
      return `${codec}.read!(r)`;
  }
}

/**
 * write/read for a class with fast paths: the exact opcodes of NEWOBJ + BUILD(dict), fields in the
 * schema's order on write and in any order on read (the pickle's dict order is the Python object's).
 */
function emitFastPaths(c: ClassModel, G: string, get: (f: FieldModel) => string): string {
  const codec = `${c.name}Codec`;
  const n = c.fields.length;
  const write: string[] = [`if (!(value instanceof ${c.name}) || hasExtras(value)) miss();`, `if (!w.beginDictInstance(value, ${G}, ${n})) return;`];
  c.fields.forEach((f, i) => write.push(fieldComment(f), `w.writeKey(${G}_KEYS[${i}]!);`, fastWrite(f.type, `value.${f.tsName}`, get(f))));
  write.push(`w.endDictInstance(${n});`);

  const read: string[] = [
    `const known = r.ref(${codec});`,
    `if (known !== undefined) return known as ${c.name};`,
    `r.newobj(${G});`,
    `const value = new ${G}_NEW();`,
    `r.remember(value, ${codec});`,
  ];
  c.fields.forEach((f, i) => read.push(`let f${i}!: ${c.name}[${lit(f.tsName)}];`));
  read.push("let seen = 0;", "const batch = r.stateBegin();", "for (let key = r.stateKey(batch); key !== null; key = r.stateKey(batch)) {", "switch (key) {");
  c.fields.forEach((f, i) => {
    read.push(`case ${lit(f.pyName)}:`, fieldComment(f));
    read.push(`if (seen & ${1 << i}) miss();`, `seen |= ${1 << i};`, `f${i} = ${fastRead(f.type, get(f))};`, "break;");
  });
  read.push("default:", "miss();", "}", "}");
  const required = c.fields.reduce((mask, f, i) => (f.initializer === undefined ? mask | (1 << i) : mask), 0);
  if (required !== 0) read.push(`if ((seen & ${required}) !== ${required}) miss();`);
  c.fields.forEach((f, i) => {
    read.push(f.initializer === undefined ? `value.${f.tsName} = f${i};` : `value.${f.tsName} = seen & ${1 << i} ? f${i} : ${f.initializer};`);
  });
  for (const t of c.transients) read.push(`value.${t.name} = ${t.initializer}; // transient: never pickled`);
  if (c.afterLoad) read.push(`r.later(() => value.${c.afterLoad}());`);
  read.push("return value;");
  return `
  write(value, w) {
    ${write.join("\n    ")}
  },
  read(r) {
    ${read.join("\n    ")}
  },`;
}

function emitClass(c: ClassModel, ctx: EmitContext): string {
  const G = CONSTANT(c.name);
  const codec = `${c.name}Codec`;
  const F = `${G}_FIELDS`;
  const fieldCodecs = c.fields.map((f) => `  ${lit(f.pyName)}: ${codecExpression(f.type, ctx)},`).join("\n");
  const get = (f: FieldModel) => `${F}[${lit(f.pyName)}]`;
  const keyed = c.state === "dict" || c.state === "slots";

  // toPy
  const toPy: string[] = [];
  toPy.push(`if (!(value instanceof ${c.name})) ctx.fail(${lit(`expected ${withArticle(c.name)} instance`)});`);
  // Shared per codec (codec.ts, Converted): the same instance met again is written once.
  toPy.push(`const known = ctx.seen.get(${codec}, value);`, "if (known !== undefined) return known;");
  if (c.state === "args" || c.state === "reduce") {
    toPy.push("const args: PyValue[] = [];");
    for (const f of c.fields) {
      toPy.push(fieldComment(f), `ctx.trail.in(${lit(f.pyName)});`, `args.push(${get(f)}.toPy(value.${f.tsName}, ctx));`, "ctx.trail.out();");
    }
    toPy.push(`const o = new PyObject(${G}, args, null, ${lit(c.state === "args" ? "newobj" : "reduce")});`, `ctx.seen.set(${codec}, value, o);`, "return o;");
  } else {
    toPy.push(`const o = new PyObject(${G}, [], null, "newobj");`, `ctx.seen.set(${codec}, value, o);`);
    toPy.push(keyed ? "const state = new Map<PyValue, PyValue>();" : "const state: PyValue[] = [];");
    for (const f of c.fields) {
      toPy.push(fieldComment(f));
      const set = keyed ? `state.set(${lit(f.pyName)}, ${get(f)}.toPy(value.${f.tsName}, ctx));` : `state.push(${get(f)}.toPy(value.${f.tsName}, ctx));`;
      const body = [`ctx.trail.in(${lit(f.pyName)});`, set, "ctx.trail.out();"];
      if (f.optional) toPy.push(`if (value.${f.tsName} !== undefined) {`, ...body, "}");
      else toPy.push(...body);
    }
    if (c.state === "dict") toPy.push("o.state = withExtras(value, state);");
    else if (c.state === "slots") toPy.push("o.state = new PyTuple([null, withExtras(value, state)]);");
    else toPy.push("o.state = new PyTuple(state);");
    toPy.push("return o;");
  }

  // fromPy
  const fromPy: string[] = [];
  fromPy.push(`const o = expectInstance(input, ${G}, ctx);`, `const known = ctx.seen.get(${codec}, o);`, `if (known !== undefined) return known as ${c.name};`);
  fromPy.push("const previous = ctx.enter(o);", `const value = new ${G}_NEW();`, `ctx.seen.set(${codec}, o, value);`);
  // The state is taken apart before the first field's trail step: its errors are the object's
  // (`Money: expected 2 constructor arguments`). Then one trail step, moved from field to field
  // (ctx.trail.at): a path for messages at the cost of an assignment per field.
  const step = (i: number, f: FieldModel) => (i === 0 ? `ctx.trail.in(${lit(f.pyName)});` : `ctx.trail.at(${lit(f.pyName)});`);
  const leaveStep = c.fields.length > 0 ? ["ctx.trail.out();"] : [];
  if (keyed) {
    fromPy.push(`const state = ${c.state === "dict" ? "dictState" : "slotState"}(o, ctx);`);
    if (c.fields.length > 0) fromPy.push("let item: PyValue | undefined;");
    c.fields.forEach((f, i) => {
      fromPy.push(fieldComment(f), step(i, f), `item = state.get(${lit(f.pyName)});`);
      const read = `${get(f)}.fromPy(item, ctx)`;
      if (f.optional) fromPy.push(`if (item !== undefined) value.${f.tsName} = ${read};`);
      else fromPy.push(`value.${f.tsName} = item !== undefined ? ${read} : ${f.initializer ?? "missing(ctx)"};`);
    });
    fromPy.push(...leaveStep, `keepExtras(value, state, ${G}_NAMES, ctx);`);
  } else {
    const source = c.state === "tuple" ? `tupleState(o, ${c.fields.length}, ctx)` : `argsOf(o, ${c.fields.length}, ctx)`;
    fromPy.push(`const parts = ${source};`);
    c.fields.forEach((f, i) => {
      fromPy.push(fieldComment(f), step(i, f), `value.${f.tsName} = ${get(f)}.fromPy(parts[${i}]!, ctx);`);
    });
    fromPy.push(...leaveStep);
  }
  for (const t of c.transients) fromPy.push(`value.${t.name} = ${t.initializer}; // transient: never pickled`);
  if (c.afterLoad) fromPy.push(`ctx.later(() => value.${c.afterLoad}());`);
  fromPy.push("ctx.leave(previous);", "return value;");

  const fast = ctx.fast.has(classKey(ctx.self.path, c.name)) ? emitFastPaths(c, G, get) : "";
  const names = keyed ? `const ${G}_NAMES: ReadonlySet<string> = new Set(Object.keys(${F}));\n` : "";
  const keys = fast ? `const ${G}_KEYS = Object.keys(${F}).map((k) => new StrSlot(k));\n` : "";
  return `
// ---- ${c.name} ↔ ${c.module}.${c.qualname} (${STATE_DOC[c.state]})

const ${G} = new PyGlobal(${lit(c.module)}, ${lit(c.qualname)});
const ${G}_NEW = withoutConstructor(${c.name});
const ${F} = {
${fieldCodecs}
} as const;
${names}${keys}
export const ${c.name}Codec: NamedCodec<${c.name}> = defineClass<${c.name}>({
  global: ${G},
  state: ${lit(c.state)},
  fields: () => Object.values(${F}),
  toPy(value, ctx) {
    ${toPy.join("\n    ")}
  },
  fromPy(input, ctx) {
    ${fromPy.join("\n    ")}
  },${fast}
});
${rootFunctions(c.name, withArticle(c.name), `the ${c.qualname}`)}`;
}

/**
 * dumpsX / loadsX / dumpX / loadX for a class or enum at the root of a pickle. `one` says what a
 * value is ("an Order", "a Color member"); `python` what Python pickles ("the Order").
 */
function rootFunctions(name: string, one: string, python: string): string {
  const codec = `${name}Codec`;
  return `
/** The pickle of ${one}, as Python's \`pickle.dumps\` of ${python} would be. */
export function dumps${name}(value: ${name}, options?: TypedDumpOptions): Uint8Array {
  return dumpsTyped(${codec}, value, options);
}

/** ${capitalized(one)} from a pickle; only the schema's classes and the standard reductions may appear. */
export function loads${name}(data: Uint8Array, options?: TypedLoadOptions): ${name} {
  return loadsTyped(${codec}, data, options);
}

/** Writes ${one} to a file (atomically: temp file, fsync, rename) or a stream. */
export function dump${name}(value: ${name}, target: string | WritableLike, options?: TypedDumpOptions): Promise<void> {
  return dumpTyped(${codec}, value, target, options);
}

/** Reads ${one} from a file or stream. */
export function load${name}(source: string | ByteSource, options?: TypedLoadOptions): Promise<${name}> {
  return loadTyped(${codec}, source, options);
}
`;
}

/** The generated module's source text (before formatting). */
export function emitModule(file: SchemaFileModel, outputOf: (schemaPath: string) => string, options: EmitOptions = {}): string {
  const { fast = new Set<string>(), importExtension = "js" } = options;
  const ctx: EmitContext = { outputOf, self: file, foreign: new Map(), fast, refs: new Map() };
  const myPath = outputOf(file.path);
  const enums = file.enums.map(
    (e) => `
// ---- ${e.name} ↔ ${e.module}.${e.qualname} (enum.Enum: cls(value) through REDUCE)

export const ${e.name}Codec: NamedCodec<${e.name}> = T.enumeration<${e.name}>(new PyGlobal(${lit(e.module)}, ${lit(e.qualname)}), ${e.name});
${rootFunctions(e.name, `${withArticle(e.name)} member`, `the ${e.qualname} member`)}`,
  );
  const classes = file.classes.map((c) => emitClass(c, ctx));
  const schemaImports = [...new Set([...file.classes.map((c) => c.name), ...file.enums.map((e) => e.name), ...file.imports])].sort();
  const foreign = [...ctx.foreign]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([module, names]) => `import { ${[...names].sort().join(", ")} } from ${lit(importPath(myPath, module, importExtension))};`);
  const refs = [...ctx.refs]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, ref]) => `const ${ref} = T.lazy(() => ${name});\n`)
    .join("");
  const lazies = refs ? `\n// Classes (and other modules' enums) the fields name, resolved at first use: they may be defined below, or refer back.\n${refs}` : "";
  const body = lazies + enums.join("") + classes.join("");
  const typeNames = ["ByteSource", "NamedCodec", "PyValue", "TypedDumpOptions", "TypedLoadOptions", "WritableLike"];
  const valueNames = ["PyGlobal", "PyObject", "PyTuple", "StrSlot", "T", "argsOf", "defineClass", "dictState", "dumpTyped", "dumpsTyped", "expectInstance", "hasExtras", "keepExtras", "loadTyped", "loadsTyped", "miss", "missing", "slotState", "tupleState", "withExtras", "withoutConstructor"];
  const used = (name: string) => new RegExp(`\\b${name}\\b`).test(body);
  const runtime = [...typeNames.filter(used).map((n) => `type ${n}`), ...valueNames.filter(used)];
  return `// @generated by typed-pickle from ${file.path} — do not edit
import { ${runtime.join(", ")} } from ${lit(RUNTIME_IMPORT)};
import { ${schemaImports.join(", ")} } from ${lit(importPath(myPath, file.path, importExtension))};
${foreign.join("\n")}
${body}`;
}
