// Typed conversion between TypeScript values and the lossless value model, checked field by field.
// Generated codecs are built from these: a codec per field type (composed once, at module level),
// and straight-line toPy / fromPy functions per class.
import { PicklingError, UnpicklingError } from "../errors.ts";
import { PyBytearray, PyFrozenSet, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta } from "../model/datetime.ts";
import { PyGlobal, PyObject } from "../model/objects.ts";
import { PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { typeName } from "../reader/dict-keys.ts";
import { pyRepr } from "../format/repr.ts";
import type { Pickler } from "../writer/pickler.ts";
import type { ExactReader } from "./exact-reader.ts";
import { miss } from "./fast-path.ts";

/** Where a conversion is, for messages: `User.address.zip_code`. */
export class Trail {
  private readonly steps: (string | number)[] = [];
  constructor(root: string) {
    this.steps.push(root);
  }
  in(step: string | number): void {
    this.steps.push(step);
  }
  /** Replaces the innermost step (the next field of the same object): cheaper than out() + in(). */
  at(step: string | number): void {
    this.steps[this.steps.length - 1] = step;
  }
  out(): void {
    this.steps.pop();
  }
  toString(): string {
    let s = "";
    for (const step of this.steps) s += typeof step === "number" ? `[${step}]` : s ? `.${step}` : step;
    return s;
  }
}

/** State of one dump: shared objects stay shared. */
export class ToPy {
  readonly seen = new Map<unknown, PyValue>();
  readonly trail: Trail;
  constructor(root: string) {
    this.trail = new Trail(root);
  }
  fail(reason: string): never {
    throw new PicklingError(reason, this.trail.toString());
  }
}

/** Unknown attributes of a loaded instance, kept to be written back (see `extraFields`). */
export const EXTRA_FIELDS = Symbol.for("typed-pickle.extraFields");
export interface ExtraFields {
  /** The attribute names in the order the pickle had them, known ones included. */
  order: string[];
  values: Map<string, PyValue>;
}

/** State of one load: shared objects stay shared; afterLoad hooks run once the value is whole. */
export class FromPy {
  readonly seen = new Map<object, unknown>();
  readonly trail: Trail;
  private readonly hooks: (() => void)[] = [];
  private offset = -1;
  constructor(
    root: string,
    readonly strict: boolean,
  ) {
    this.trail = new Trail(root);
  }

  fail(reason: string): never {
    throw new UnpicklingError(`${this.trail}: ${reason}`, this.offset);
  }

  expected(what: string, got: PyValue | undefined): never {
    const shown = got === null || typeof got !== "object" ? ` ${clip(pyRepr(got as PyValue), 80)}` : "";
    this.fail(`expected ${what}, got ${typeName(got)}${shown}`);
  }

  /** Enters a Python object: its offset in the pickle labels errors inside it. Returns the previous. */
  enter(obj: PyObject): number {
    const previous = this.offset;
    if (obj.offset >= 0) this.offset = obj.offset;
    return previous;
  }
  leave(previous: number): void {
    this.offset = previous;
  }

  later(hook: () => void): void {
    this.hooks.push(hook);
  }
  runHooks(): void {
    for (const hook of this.hooks) hook();
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + "…" : s;
}

export interface Codec<T> {
  /** The Python type, for messages: "int", "list[str]", "myapp.models.User". */
  readonly describe: string;
  toPy(value: T, ctx: ToPy): PyValue;
  fromPy(value: PyValue, ctx: FromPy): T;
  /** The class and enum codecs inside this one (for the loader's allowlist). */
  parts(): readonly Codec<unknown>[];
  /**
   * The fast paths, where the type has one (fast-path.ts): write the value straight to a pickler
   * (protocol 2+), the bytes toPy + the general writer would give; read it straight from the opcodes
   * CPython writes for it. Both miss on anything else.
   */
  write?(value: T, w: Pickler): void;
  read?(r: ExactReader): T;
}

/** A Python class (or enum) a schema names: the allowlist is built from these. */
export interface NamedCodec<T> extends Codec<T> {
  readonly global: PyGlobal;
  /** Enum members by name, for `getattr(Enum, 'NAME')` pickles. */
  readonly members?: ReadonlyMap<string, string | number>;
}

export function isNamedCodec(c: Codec<unknown>): c is NamedCodec<unknown> {
  return "global" in c;
}

const leaf = <T>(
  describe: string,
  toPy: (v: T, ctx: ToPy) => PyValue,
  fromPy: (v: PyValue, ctx: FromPy) => T,
  fast?: Pick<Codec<T>, "write" | "read">,
): Codec<T> => ({
  describe,
  toPy,
  fromPy,
  parts: () => [],
  ...fast,
});

const got = (v: unknown) => (v === null ? "null" : v === undefined ? "undefined" : Array.isArray(v) ? "an array" : typeof v === "object" ? `a ${(v as object).constructor?.name ?? "object"}` : `${typeof v} ${String(v)}`);

export const str = leaf<string>(
  "str",
  (v, ctx) => (typeof v === "string" ? v : ctx.fail(`expected a string for str, got ${got(v)}`)),
  (v, ctx) => (typeof v === "string" ? v : ctx.expected("str", v)),
  { write: (v, w) => (typeof v === "string" ? w.writeStr(v) : miss()), read: (r) => r.str() },
);

export const bool = leaf<boolean>(
  "bool",
  (v, ctx) => (typeof v === "boolean" ? v : ctx.fail(`expected a boolean for bool, got ${got(v)}`)),
  (v, ctx) => (typeof v === "boolean" ? v : ctx.expected("bool", v)),
  { write: (v, w) => (typeof v === "boolean" ? w.writeBool(v) : miss()), read: (r) => r.bool() },
);

/** Python int in a JS number: exact within ±2^53, refused beyond (declare the field `bigint`). */
export const int = leaf<number>(
  "int",
  (v, ctx) => (Number.isSafeInteger(v) ? BigInt(v) : ctx.fail(`expected a safe integer for int, got ${got(v)} (declare the field bigint for larger values)`)),
  (v, ctx) => {
    if (typeof v !== "bigint") return ctx.expected("int", v);
    if (v > 9007199254740991n || v < -9007199254740991n) ctx.fail(`int ${v} is beyond 2^53 and would lose precision as a number; declare the field bigint`);
    return Number(v);
  },
  { write: (v, w) => (Number.isSafeInteger(v) ? w.writeInt(v) : miss()), read: (r) => r.int() },
);

export const bigint = leaf<bigint>(
  "int",
  (v, ctx) => (typeof v === "bigint" ? v : ctx.fail(`expected a bigint for int, got ${got(v)}`)),
  (v, ctx) => (typeof v === "bigint" ? v : ctx.expected("int", v)),
  { write: (v, w) => (typeof v === "bigint" ? w.saveValue(v) : miss()), read: (r) => r.bigint() },
);

/** Python float. An int in the pickle is accepted where it is exact (int is a float in PEP 484's eyes). */
export const float = leaf<number>(
  "float",
  (v, ctx) => (typeof v === "number" ? v : ctx.fail(`expected a number for float, got ${got(v)}`)),
  (v, ctx) => {
    if (typeof v === "number") return v;
    if (v instanceof PyFloat) return v.value;
    if (typeof v === "bigint" && v <= 9007199254740992n && v >= -9007199254740992n) return Number(v);
    return ctx.expected("float", v);
  },
  { write: (v, w) => (typeof v === "number" ? w.writeFloat(v) : miss()), read: (r) => r.float() },
);

export const bytes = leaf<Uint8Array>(
  "bytes",
  (v, ctx) => (v instanceof Uint8Array && !(v instanceof PyBytearray) ? v : ctx.fail(`expected a Uint8Array for bytes, got ${got(v)}`)),
  (v, ctx) => (v instanceof Uint8Array && !(v instanceof PyBytearray) ? v : ctx.expected("bytes", v)),
  { write: (v, w) => (v instanceof Uint8Array && !(v instanceof PyBytearray) ? w.saveValue(v) : miss()), read: (r) => r.bytes() },
);

export const bytearray = leaf<PyBytearray>(
  "bytearray",
  (v, ctx) => (v instanceof PyBytearray ? v : ctx.fail(`expected a PyBytearray for bytearray, got ${got(v)}`)),
  (v, ctx) => (v instanceof PyBytearray ? v : ctx.expected("bytearray", v)),
);

function instanceLeaf<T>(describe: string, cls: abstract new (...args: never[]) => T, exact?: (v: unknown) => boolean, read?: (r: ExactReader) => T): Codec<T> {
  const ok = exact ?? ((v: unknown) => v instanceof cls);
  return leaf<T>(
    describe,
    (v, ctx) => (ok(v) ? (v as PyValue) : ctx.fail(`expected a ${cls.name} for ${describe}, got ${got(v)}`)),
    (v, ctx) => (ok(v) ? (v as T) : ctx.expected(describe, v)),
    { write: (v, w) => (ok(v) ? w.saveValue(v as PyValue) : miss()), ...(read && { read }) },
  );
}

/** A datetime reads fast when naive (the common case); aware ones take the general reader. */
export const datetime: Codec<PyDateTime> = {
  ...instanceLeaf("datetime.datetime", PyDateTime, undefined, (r) => r.datetime()),
  write: (v, w) => (v instanceof PyDateTime ? w.writeDateTime(v) : miss()),
};
export const date = instanceLeaf("datetime.date", PyDate, (v) => v instanceof PyDate && !(v instanceof PyDateTime));
export const time = instanceLeaf("datetime.time", PyTime);
export const timedelta = instanceLeaf("datetime.timedelta", PyTimeDelta);
export const decimal = instanceLeaf("decimal.Decimal", PyDecimal);
export const uuid = instanceLeaf("uuid.UUID", PyUUID);

/** Any pickle value, unchecked (the escape hatch). */
export const any = leaf<PyValue>(
  "object",
  (v) => v,
  (v) => v,
);

export function optional<T>(inner: Codec<T>): Codec<T | null> {
  return {
    get describe() {
      return `Optional[${inner.describe}]`;
    },
    toPy: (v, ctx) => (v === null ? null : inner.toPy(v, ctx)),
    fromPy: (v, ctx) => (v === null ? null : inner.fromPy(v, ctx)),
    parts: () => [inner],
    ...(inner.write && { write: (v: T | null, w: Pickler) => (v === null ? w.writeNone() : inner.write!(v, w)) }),
    ...(inner.read && { read: (r: ExactReader) => (r.none() ? null : inner.read!(r)) }),
  };
}

export function list<T>(item: Codec<T>): Codec<T[]> {
  const codec: Codec<T[]> = {
    get describe() {
      return `list[${item.describe}]`;
    },
    toPy(v, ctx) {
      if (!Array.isArray(v)) ctx.fail(`expected an array for list, got ${got(v)}`);
      const known = ctx.seen.get(v);
      if (known !== undefined) return known;
      const out: PyValue[] = [];
      ctx.seen.set(v, out);
      for (let i = 0; i < v.length; i++) {
        ctx.trail.in(i);
        out.push(item.toPy(v[i]!, ctx));
        ctx.trail.out();
      }
      return out;
    },
    fromPy(v, ctx) {
      if (!Array.isArray(v)) return ctx.expected(this.describe, v);
      const known = ctx.seen.get(v);
      if (known !== undefined) return known as T[];
      const out: T[] = [];
      ctx.seen.set(v, out);
      for (let i = 0; i < v.length; i++) {
        ctx.trail.in(i);
        out.push(item.fromPy(v[i]!, ctx));
        ctx.trail.out();
      }
      return out;
    },
    parts: () => [item],
  };
  const { write, read } = item;
  if (write) codec.write = (v, w) => writeList(v, w, write);
  // The list's codec is its memo tag: a back-reference is taken only where the same list type is read.
  const simple = item === (str as Codec<unknown>) || item === (int as Codec<unknown>) || item === (float as Codec<unknown>) || item === (bool as Codec<unknown>);
  if (read) codec.read = item === (str as Codec<unknown>) ? (r) => r.list(codec, "str", true) as T[] : (r) => r.list(codec, read, simple);
  return codec;
}

const MARK = 0x28;
const APPEND = 0x61;
const APPENDS = 0x65;
const BATCHSIZE = 1000;

/** batch_list_exact: one item → APPEND; else batches of up to 1000 in MARK … APPENDS. */
function writeList<T>(v: T[], w: Pickler, write: (item: T, w: Pickler) => void): void {
  if (!Array.isArray(v)) miss();
  if (!w.beginList(v)) return;
  const n = v.length;
  if (n === 1) {
    write(v[0]!, w);
    w.writeOp(APPEND);
    return;
  }
  let i = 0;
  while (i < n) {
    w.writeOp(MARK);
    const end = Math.min(n, i + BATCHSIZE);
    for (; i < end; i++) write(v[i]!, w);
    w.writeOp(APPENDS);
  }
}

/**
 * Float64Array ↔ a Python list of floats: the compact form of a large numeric list (no boxed
 * numbers, 8 bytes each). Ints in the pickle are accepted where exact, as T.float does.
 */
export const float64Array: Codec<Float64Array> = {
  describe: "list[float]",
  toPy(v, ctx) {
    if (!(v instanceof Float64Array)) ctx.fail(`expected a Float64Array for list[float], got ${got(v)}`);
    const known = ctx.seen.get(v);
    if (known !== undefined) return known;
    const out = Array.from(v);
    ctx.seen.set(v, out);
    return out;
  },
  fromPy(v, ctx) {
    if (!Array.isArray(v)) return ctx.expected("list[float]", v);
    const known = ctx.seen.get(v);
    if (known !== undefined) return known as Float64Array;
    const out = new Float64Array(v.length);
    ctx.seen.set(v, out);
    for (let i = 0; i < v.length; i++) {
      ctx.trail.in(i);
      out[i] = float.fromPy(v[i]!, ctx);
      ctx.trail.out();
    }
    return out;
  },
  parts: () => [],
  write(v, w) {
    if (!(v instanceof Float64Array)) miss();
    if (!w.beginList(v)) return;
    const n = v.length;
    if (n === 1) {
      w.writeFloat(v[0]!);
      w.writeOp(APPEND);
      return;
    }
    for (let i = 0; i < n; ) {
      const end = Math.min(n, i + BATCHSIZE);
      w.writeOp(MARK);
      w.writeFloats(v, i, end);
      w.writeOp(APPENDS);
      i = end;
    }
  },
  read: (r) => r.float64Array(float64Array),
};

/** A TypeScript tuple type ↔ a Python tuple of exactly that length. */
export function tuple<T extends unknown[]>(...items: { [K in keyof T]: Codec<T[K]> }): Codec<T> {
  const name = () => `tuple[${items.map((c) => c.describe).join(", ")}]`;
  return {
    get describe() {
      return name();
    },
    toPy(v, ctx) {
      if (!Array.isArray(v) || v.length !== items.length) ctx.fail(`expected an array of ${items.length} for ${name()}, got ${got(v)}`);
      return new PyTuple(
        items.map((c, i) => {
          ctx.trail.in(i);
          const out = c.toPy(v[i], ctx);
          ctx.trail.out();
          return out;
        }),
      );
    },
    fromPy(v, ctx) {
      if (!(v instanceof PyTuple) || v.items.length !== items.length) return ctx.expected(name(), v);
      return items.map((c, i) => {
        ctx.trail.in(i);
        const out = c.fromPy(v.items[i]!, ctx);
        ctx.trail.out();
        return out;
      }) as T;
    },
    parts: () => items,
  };
}

function keyToPy(k: PyValue): PyValue {
  return typeof k === "number" && PyFloat.needsBox(k) ? new PyFloat(k) : k;
}

function setCodec<T>(item: Codec<T>, frozen: boolean): Codec<Set<T>> {
  const name = () => `${frozen ? "frozenset" : "set"}[${item.describe}]`;
  return {
    get describe() {
      return name();
    },
    toPy(v, ctx) {
      if (!(v instanceof Set) || (frozen && !(v instanceof PyFrozenSet))) ctx.fail(`expected a ${frozen ? "PyFrozenSet" : "Set"} for ${name()}, got ${got(v)}`);
      const out: Set<PyValue> = frozen ? new PyFrozenSet() : new Set();
      let i = 0;
      for (const m of v) {
        ctx.trail.in(i++);
        out.add(keyToPy(item.toPy(m, ctx)));
        ctx.trail.out();
      }
      return out;
    },
    fromPy(v, ctx) {
      const ok = v instanceof Set && (frozen ? v instanceof PyFrozenSet : !(v instanceof PyFrozenSet));
      if (!ok) return ctx.expected(name(), v);
      const out: Set<T> = frozen ? (new PyFrozenSet() as unknown as Set<T>) : new Set();
      let i = 0;
      for (const m of v) {
        ctx.trail.in(i++);
        out.add(item.fromPy(m, ctx));
        ctx.trail.out();
      }
      return out;
    },
    parts: () => [item],
  };
}

export const set = <T>(item: Codec<T>) => setCodec(item, false);
export const frozenset = <T>(item: Codec<T>) => setCodec(item, true) as unknown as Codec<PyFrozenSet<T & PyValue>>;

/** Map<K, V> ↔ dict. Keys follow Python's equality on load, as the reader's. */
export function dict<K, V>(key: Codec<K>, value: Codec<V>): Codec<Map<K, V>> {
  const name = () => `dict[${key.describe}, ${value.describe}]`;
  return {
    get describe() {
      return name();
    },
    toPy(v, ctx) {
      if (!(v instanceof Map)) ctx.fail(`expected a Map for ${name()}, got ${got(v)}`);
      const known = ctx.seen.get(v);
      if (known !== undefined) return known;
      const out = new Map<PyValue, PyValue>();
      ctx.seen.set(v, out);
      for (const [k, x] of v) {
        ctx.trail.in(String(k));
        out.set(keyToPy(key.toPy(k, ctx)), value.toPy(x, ctx));
        ctx.trail.out();
      }
      return out;
    },
    fromPy(v, ctx) {
      if (!(v instanceof Map)) return ctx.expected(name(), v);
      const known = ctx.seen.get(v);
      if (known !== undefined) return known as Map<K, V>;
      const out = new Map<K, V>();
      ctx.seen.set(v, out);
      for (const [k, x] of v) {
        ctx.trail.in(typeof k === "string" ? k : pyRepr(k, 40));
        out.set(key.fromPy(k, ctx), value.fromPy(x, ctx));
        ctx.trail.out();
      }
      return out;
    },
    parts: () => [key, value],
  };
}

/** Record<string, V> ↔ dict with str keys. Loaded records have no prototype: a "__proto__" key is a key. */
export function record<V>(value: Codec<V>): Codec<Record<string, V>> {
  const name = () => `dict[str, ${value.describe}]`;
  return {
    get describe() {
      return name();
    },
    toPy(v, ctx) {
      if (typeof v !== "object" || v === null || Array.isArray(v)) ctx.fail(`expected an object for ${name()}, got ${got(v)}`);
      const out = new Map<PyValue, PyValue>();
      for (const k of Object.keys(v)) {
        ctx.trail.in(k);
        out.set(k, value.toPy(v[k]!, ctx));
        ctx.trail.out();
      }
      return out;
    },
    fromPy(v, ctx) {
      if (!(v instanceof Map)) return ctx.expected(name(), v);
      const out = Object.create(null) as Record<string, V>;
      for (const [k, x] of v) {
        if (typeof k !== "string") return ctx.expected(`str keys in ${name()}`, k);
        ctx.trail.in(k);
        out[k] = value.fromPy(x, ctx);
        ctx.trail.out();
      }
      return out;
    },
    parts: () => [value],
  };
}

/** A Python enum.Enum subclass ↔ the TypeScript enum's member values. */
export function enumeration<T extends string | number>(global: PyGlobal, enumObject: object): NamedCodec<T> {
  // A numeric TypeScript enum also maps values back to names; those entries are not members.
  const byName = new Map(Object.entries(enumObject as Record<string, T>).filter(([k]) => !/^\d+$/.test(k)));
  const values = new Set<unknown>(byName.values());
  const describe = global.qualifiedName;
  const toValue = (v: T): PyValue => (typeof v === "number" ? BigInt(v) : v);
  return {
    describe,
    global,
    members: byName,
    toPy(v, ctx) {
      if (!values.has(v)) ctx.fail(`${got(v)} is not a member of ${describe}`);
      // Members are singletons in Python: one object per member within a pickle.
      const key = `enum:${describe}:${String(v)}`;
      const known = ctx.seen.get(key);
      if (known !== undefined) return known;
      const obj = new PyObject(global, [toValue(v)], null, "reduce");
      ctx.seen.set(key, obj);
      return obj;
    },
    fromPy(v, ctx) {
      if (!(v instanceof PyObject) || !(v.callable instanceof PyGlobal) || v.callable.qualifiedName !== describe || v.args.length !== 1) {
        return ctx.expected(describe, v);
      }
      const raw = v.args[0];
      const value = typeof raw === "bigint" ? Number(raw) : raw;
      if (!values.has(value)) ctx.fail(`${pyRepr(raw ?? null)} is not a value of ${describe}`);
      return value as T;
    },
    parts: () => [],
  };
}

/** A codec defined later (classes may refer to each other, or to themselves). */
export function lazy<T>(get: () => Codec<T>): Codec<T> {
  let resolved: Codec<T> | undefined;
  const target = () => (resolved ??= get());
  return {
    get describe() {
      return target().describe;
    },
    toPy: (v, ctx) => target().toPy(v, ctx),
    fromPy: (v, ctx) => target().fromPy(v, ctx),
    parts: () => [target()],
    // Forwarded as they are: the target is not known yet (a miss when it has no fast path).
    write: (v, w) => (target().write ?? miss)(v, w),
    read: (r) => (target().read ?? miss)(r),
  };
}
