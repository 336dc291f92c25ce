// The pieces generated class codecs are made of: checking that a pickled object is an instance of
// the expected class, taking its state apart in each state form, keeping unknown attributes, and
// building instances without running their constructor (Python's __new__ + BUILD).
import { PyTuple } from "../model/containers.ts";
import { PyGlobal, PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import type { DirectWrite } from "../writer/direct-writer.ts";
import type { StateForm } from "./decorators.ts";
import type { ExactReader } from "./exact-reader.ts";
import { type Codec, EXTRA_FIELDS, type ExtraFields, type FromPy, type NamedCodec, type ToPy } from "./codec.ts";
import { isPydanticState, isSlotState, readsAs, wrongForm } from "./state-forms.ts";

export interface ClassDefinition<T> {
  global: PyGlobal;
  state: StateForm;
  /** The field codecs, for the allowlist (a function: codecs may refer to each other). */
  fields: () => readonly Codec<unknown>[];
  toPy(value: T, ctx: ToPy): PyValue;
  fromPy(value: PyValue, ctx: FromPy): T;
  /** The fast paths (fast-path.ts), generated for classes whose every field type has them. */
  write?(value: T, w: DirectWrite): void;
  read?(r: ExactReader): T;
}

export function defineClass<T>(definition: ClassDefinition<T>): NamedCodec<T> {
  return {
    describe: definition.global.qualifiedName,
    global: definition.global,
    toPy: definition.toPy,
    fromPy: definition.fromPy,
    parts: definition.fields,
    ...(definition.write && { write: definition.write }),
    ...(definition.read && { read: definition.read }),
  };
}

/**
 * A constructor that makes instances of `cls` without running its constructor (Python's
 * `cls.__new__(cls)`): same prototype, so `instanceof` and methods work. Faster than
 * Object.create(cls.prototype): V8 sizes the instances' property storage for this constructor.
 */
export function withoutConstructor<T>(cls: abstract new (...args: never[]) => T): new () => T {
  const make = function (this: object) {} as unknown as new () => T;
  make.prototype = cls.prototype;
  return make;
}

/** True when a loaded instance kept attributes the schema does not know (written back by toPy). */
export function hasExtras(instance: object): boolean {
  return (instance as { [EXTRA_FIELDS]?: ExtraFields })[EXTRA_FIELDS] !== undefined;
}

/** The pickled object, checked to be an instance of `global`. */
export function expectInstance(v: PyValue, global: PyGlobal, ctx: FromPy): PyObject {
  if (v instanceof PyObject && v.callable instanceof PyGlobal && v.callable.module === global.module && v.callable.name === global.name) return v;
  return ctx.expected(global.qualifiedName, v);
}

/**
 * `__dict__` state: a dict with str keys (or none at all: an instance without attributes). A pickle
 * in another form (constructor arguments, slot or tuple state) is refused naming the form to declare.
 */
export function dictState(o: PyObject, ctx: FromPy): Map<string, PyValue> {
  if (!readsAs(o, "dict")) wrongForm(o, "dict", ctx, () => ctx.expected("a dict of attributes as state", o.state ?? null));
  const state = o.state;
  if (!(state instanceof Map)) return new Map();
  for (const k of state.keys()) if (typeof k !== "string") ctx.expected("str attribute names", k);
  return state as Map<string, PyValue>;
}

/** `__slots__` state: (None or a dict, {slot: value}); a dict alone, or none, is read too. */
export function slotState(o: PyObject, ctx: FromPy): Map<string, PyValue> {
  const state = o.state;
  if (!readsAs(o, "slots")) wrongForm(o, "slots", ctx, () => ctx.expected("slot state (None, {slot: value})", state ?? null));
  if (!isSlotState(state)) return dictState(o, ctx);
  const merged = new Map<string, PyValue>();
  for (const part of state.items) {
    if (part === null) continue;
    for (const [k, v] of part as Map<PyValue, PyValue>) {
      if (typeof k !== "string") return ctx.expected("str slot names", k);
      merged.set(k, v);
    }
  }
  return merged;
}

/** A tuple state (a `__getstate__` returning a tuple) of exactly `n` items. */
export function tupleState(o: PyObject, n: number, ctx: FromPy): readonly PyValue[] {
  const state = o.state;
  if (!readsAs(o, "tuple") || !(state instanceof PyTuple) || state.items.length !== n) {
    return wrongForm(o, "tuple", ctx, () => ctx.expected(`a tuple of ${n} as state`, state ?? null));
  }
  return state.items;
}

/** Constructor arguments (namedtuple-style NEWOBJ, or REDUCE): exactly `n`, and no state. */
export function argsOf(o: PyObject, n: number, ctx: FromPy): readonly PyValue[] {
  if (!readsAs(o, "args") || o.args.length !== n) {
    wrongForm(o, "args", ctx, () => ctx.fail(`expected ${n} constructor arguments, got ${o.args.length}`));
  }
  return o.args;
}

/** A required field the pickle does not have. */
export function missing(ctx: FromPy): never {
  return ctx.fail("missing (the pickle has no such attribute and the field has no default)");
}

/**
 * Attributes the schema does not know (the Python class gained one) are kept on the instance and
 * written back in their place; with `strict`, they are an error.
 */
export function keepExtras(instance: object, state: Map<string, PyValue>, known: ReadonlySet<string>, ctx: FromPy): void {
  if (state.size <= known.size) {
    // The common case: every attribute known (a quick check before walking the keys).
    let all = true;
    for (const k of state.keys()) if (!known.has(k)) all = false;
    if (all) return;
  }
  let extras: ExtraFields | undefined;
  for (const [k, v] of state) {
    if (known.has(k)) continue;
    if (ctx.strict) ctx.fail(`unknown attribute '${k}' (strict)`);
    extras ??= { order: [...state.keys()], values: new Map() };
    extras.values.set(k, v);
  }
  if (extras) Object.defineProperty(instance, EXTRA_FIELDS, { value: extras, enumerable: false, configurable: true, writable: true });
}

/** The state dict to write: known fields, with any kept unknown ones back in their original places. */
export function withExtras(instance: object, state: Map<PyValue, PyValue>): Map<PyValue, PyValue> {
  const extras = (instance as { [EXTRA_FIELDS]?: ExtraFields })[EXTRA_FIELDS];
  if (!extras) return state;
  const out = new Map<PyValue, PyValue>();
  for (const k of extras.order) {
    if (state.has(k)) out.set(k, state.get(k)!);
    else if (extras.values.has(k)) out.set(k, extras.values.get(k)!);
  }
  for (const [k, v] of state) if (!out.has(k)) out.set(k, v);
  return out;
}

/** What a pydantic model's state holds beside its fields, kept on a loaded instance and written back. */
export const PYDANTIC_STATE = Symbol.for("typed-pickle.pydanticState");
export interface PydanticState {
  /** `__pydantic_fields_set__`: the fields set explicitly (in the pickle's order, so a round trip keeps the bytes). */
  fieldsSet: Set<PyValue>;
  /** `__pydantic_extra__`: None, or the extra attributes of a model with extra='allow'. */
  extra: PyValue;
  /** `__pydantic_private__`: None, or the private attributes. */
  private: PyValue;
}

/**
 * A pydantic v2 model's state: its fields (the `__dict__` entry, str keys), with the rest kept on
 * `instance` (PYDANTIC_STATE). A pickle in another form is refused naming the form to declare.
 */
export function pydanticState(o: PyObject, ctx: FromPy, instance: object): Map<string, PyValue> {
  const state = o.state;
  if (!readsAs(o, "pydantic") || !isPydanticState(state)) {
    return wrongForm(o, "pydantic", ctx, () => ctx.expected("a pydantic model's state {'__dict__': …, '__pydantic_fields_set__': …, …}", state ?? null));
  }
  const fields = state.get("__dict__") as Map<PyValue, PyValue>;
  for (const k of fields.keys()) if (typeof k !== "string") ctx.expected("str attribute names", k);
  const kept: PydanticState = {
    fieldsSet: state.get("__pydantic_fields_set__") as Set<PyValue>,
    extra: state.get("__pydantic_extra__") ?? null,
    private: state.get("__pydantic_private__") ?? null,
  };
  Object.defineProperty(instance, PYDANTIC_STATE, { value: kept, enumerable: false, configurable: true, writable: true });
  return fields as Map<string, PyValue>;
}

/**
 * The state to write for a pydantic model whose fields are `fields`: what was loaded with it, or for
 * an instance made in TypeScript, every field set explicitly, no extras, no private attributes.
 */
export function withPydanticState(instance: object, fields: Map<PyValue, PyValue>): Map<PyValue, PyValue> {
  const kept = (instance as { [PYDANTIC_STATE]?: PydanticState })[PYDANTIC_STATE];
  return new Map<PyValue, PyValue>([
    ["__dict__", fields],
    ["__pydantic_extra__", kept ? kept.extra : null],
    ["__pydantic_fields_set__", kept ? kept.fieldsSet : new Set(fields.keys())],
    ["__pydantic_private__", kept ? kept.private : null],
  ]);
}
