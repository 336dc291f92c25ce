// A schema class as a generated module declares it — Python global, state form, fields, transients,
// afterLoad — compiled once, at module load, into its codec: the general toPy / fromPy walk the table;
// the straight-line fast paths the generator emits (dict state only) are wrapped here with the steps
// every class shares (instance checks, memo, transients, afterLoad), so the emitted code is fields only.
import { PyTuple } from "../model/containers.ts";
import { PyGlobal, PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import { withArticle } from "../format/indefinite-article.ts";
import type { DirectWrite } from "../writer/direct-writer.ts";
import { StrSlot } from "../writer/pickler.ts";
import {
  argsOf,
  dictState,
  expectInstance,
  hasExtras,
  keepExtras,
  missing,
  pydanticState,
  slotState,
  tupleState,
  withExtras,
  withPydanticState,
  withoutConstructor,
} from "./class-codec.ts";
import type { Codec, FromPy, NamedCodec, ToPy } from "./codec.ts";
import type { StateForm } from "./decorators.ts";
import { type ExactReader, readsFieldName } from "./exact-reader.ts";
import { miss } from "./fast-path.ts";

/** A field beyond its codec: its Python name, its default, whether it may be absent. */
export interface FieldSpec<V> {
  codec: Codec<V>;
  /** The attribute's Python name, when it is not the TypeScript one. */
  python?: string;
  /** The value when a pickle lacks the field; a thunk, so that `[]` is fresh per instance as the initializer is. */
  default?: () => V;
  /** Declared `name?:`: not pickled while undefined, left undefined when the pickle lacks it. */
  optional?: true;
}

type Present<V> = Exclude<V, undefined>;

/** The fields in declaration order, by TypeScript name: a codec, or a FieldSpec when there is more to say. */
export type FieldTable<T> = { readonly [K in keyof T]?: Codec<Present<T[K]>> | FieldSpec<Present<T[K]>> };

/** A field codec with both fast paths (the generator emits fast paths only for classes whose fields all have them). */
export type FastCodec<V> = Codec<V> & Required<Pick<Codec<V>, "write" | "read">>;
export type FastCodecs<T> = { readonly [K in keyof T]-?: FastCodec<Present<T[K]>> };
export type FieldKeys<T> = { readonly [K in keyof T]-?: StrSlot };

/**
 * The emitted fast paths of a dict-state class: the fields only. `write` writes each field's key and
 * value in the table's order; `read` reads the state dict's entries in whatever order the pickle has
 * them and sets every field (a miss on a key it does not know, or a required field absent).
 */
export interface FastFields<T> {
  write(value: T, w: DirectWrite, f: FastCodecs<T>, k: FieldKeys<T>): void;
  read(r: ExactReader, value: T, f: FastCodecs<T>): void;
}

/** The methods of T that take no arguments: what `afterLoad` may name. */
type NoArgMethod<T> = { [K in keyof T]: T[K] extends () => unknown ? K : never }[keyof T];

export interface ClassTable<T> {
  module: string;
  qualname: string;
  state: StateForm;
  fields: FieldTable<T>;
  /** Sets the members that are never pickled, on every loaded instance. */
  transients?: (value: T) => void;
  /** A method run once the whole value is loaded (the @afterLoad one). */
  afterLoad?: NoArgMethod<T>;
  fast?: FastFields<T>;
}

const hasFastPaths = <V>(c: Codec<V>): c is FastCodec<V> => c.write !== undefined && c.read !== undefined;

interface Field {
  ts: string;
  python: string;
  codec: Codec<unknown>;
  default: (() => unknown) | undefined;
  optional: boolean;
}

function fieldsOf(table: FieldTable<unknown>): Field[] {
  return Object.entries(table as Record<string, Codec<unknown> | FieldSpec<unknown>>).map(([ts, spec]) => {
    const full: FieldSpec<unknown> = "codec" in spec ? spec : { codec: spec };
    return { ts, python: full.python ?? ts, codec: full.codec, default: full.default, optional: full.optional === true };
  });
}

type Instance = Record<string, unknown>;

/** The codec of a schema class, compiled from its table. */
export function classCodec<T extends object>(cls: abstract new (...args: never[]) => T, table: ClassTable<T>): NamedCodec<T> {
  const global = new PyGlobal(table.module, table.qualname);
  const fields = fieldsOf(table.fields as FieldTable<unknown>);
  const Make = withoutConstructor(cls);
  const { state, transients } = table;
  const afterLoad = table.afterLoad as string | undefined;
  const names: ReadonlySet<string> = new Set(fields.map((f) => f.python));
  const notInstance = `expected ${withArticle(cls.name)} instance`;
  const keyed = state === "dict" || state === "slots" || state === "pydantic";

  function toPy(value: T, ctx: ToPy): PyValue {
    if (!(value instanceof cls)) ctx.fail(notInstance);
    // Shared per codec (codec.ts, Converted): the same instance met again is written once.
    const known = ctx.seen.get(codec, value);
    if (known !== undefined) return known;
    const v = value as Instance;
    if (!keyed && state !== "tuple") {
      // Constructor arguments: the object is made after them, as Python's reduction is.
      const args: PyValue[] = [];
      for (const f of fields) {
        ctx.trail.in(f.python);
        args.push(f.codec.toPy(v[f.ts], ctx));
        ctx.trail.out();
      }
      const o = new PyObject(global, args, null, state === "args" ? "newobj" : "reduce");
      ctx.seen.set(codec, value, o);
      return o;
    }
    const o = new PyObject(global, [], null, "newobj");
    ctx.seen.set(codec, value, o);
    const entries = new Map<PyValue, PyValue>();
    const items: PyValue[] = [];
    for (const f of fields) {
      const x = v[f.ts];
      if (f.optional && x === undefined) continue;
      ctx.trail.in(f.python);
      const py = f.codec.toPy(x, ctx);
      if (keyed) entries.set(f.python, py);
      else items.push(py);
      ctx.trail.out();
    }
    if (state === "dict") o.state = withExtras(value, entries);
    else if (state === "slots") o.state = new PyTuple([null, withExtras(value, entries)]);
    else if (state === "pydantic") o.state = withPydanticState(value, withExtras(value, entries));
    else o.state = new PyTuple(items);
    return o;
  }

  function fromPy(input: PyValue, ctx: FromPy): T {
    const o = expectInstance(input, global, ctx);
    const known = ctx.seen.get(codec, o);
    if (known !== undefined) return known as T;
    const previous = ctx.enter(o);
    const value = new Make();
    const v = value as Instance;
    ctx.seen.set(codec, o, value);
    // The state is taken apart before the first field's trail step: its errors are the object's
    // (`Money: expected 2 constructor arguments`). Then one step, moved from field to field.
    if (keyed) {
      const entries = state === "dict" ? dictState(o, ctx) : state === "slots" ? slotState(o, ctx) : pydanticState(o, ctx, value);
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (i === 0) ctx.trail.in(f.python);
        else ctx.trail.at(f.python);
        const item = entries.get(f.python);
        if (item !== undefined) v[f.ts] = f.codec.fromPy(item, ctx);
        else if (f.default !== undefined) v[f.ts] = f.default();
        else if (!f.optional) v[f.ts] = missing(ctx);
      }
      if (fields.length > 0) ctx.trail.out();
      keepExtras(value, entries, names, ctx);
    } else {
      const parts = state === "tuple" ? tupleState(o, fields.length, ctx) : argsOf(o, fields.length, ctx);
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (i === 0) ctx.trail.in(f.python);
        else ctx.trail.at(f.python);
        v[f.ts] = f.codec.fromPy(parts[i]!, ctx);
      }
      if (fields.length > 0) ctx.trail.out();
    }
    if (transients) transients(value);
    if (afterLoad !== undefined) ctx.later(() => (v[afterLoad] as () => void).call(value));
    ctx.leave(previous);
    return value;
  }

  const codec: NamedCodec<T> = {
    describe: global.qualifiedName,
    global,
    toPy,
    fromPy,
    parts: () => fields.map((f) => f.codec),
  };
  if (table.fast) Object.assign(codec, fastPaths(table.fast, fields, global, cls, Make, codec, transients, afterLoad));
  return codec;
}

/** The emitted fast paths, wrapped with what every dict-state class does around its fields. */
function fastPaths<T extends object>(
  fast: FastFields<T>,
  fields: readonly Field[],
  global: PyGlobal,
  cls: abstract new (...args: never[]) => T,
  Make: new () => T,
  codec: Codec<T>,
  transients: ((value: T) => void) | undefined,
  afterLoad: string | undefined,
): Pick<Codec<T>, "write" | "read"> {
  const f: Record<string, FastCodec<unknown>> = {};
  const k: Record<string, StrSlot> = {};
  for (const { ts, python, codec } of fields) {
    if (!hasFastPaths(codec)) throw new TypeError(`${global.qualifiedName}.${python}: ${codec.describe} has no fast paths`);
    f[ts] = codec;
    k[ts] = new StrSlot(python);
    readsFieldName(python);
  }
  // Keyed by the table's field names, which are T's (FieldTable<T>).
  const codecs = f as FastCodecs<T>;
  const keys = k as FieldKeys<T>;
  const n = fields.length;
  return {
    write(value, w) {
      if (!(value instanceof cls) || hasExtras(value)) miss();
      if (!w.beginDictInstance(value, global, n)) return;
      fast.write(value, w, codecs, keys);
      w.endDictInstance(n);
    },
    read(r) {
      const known = r.ref(codec);
      if (known !== undefined) return known as T;
      r.newobj(global);
      const value = new Make();
      r.remember(value, codec);
      fast.read(r, value, codecs);
      if (transients) transients(value);
      if (afterLoad !== undefined) r.later(() => ((value as Instance)[afterLoad] as () => void).call(value));
      return value;
    },
  };
}
