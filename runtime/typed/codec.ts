// Typed conversion between TypeScript values and the lossless value model, checked field by field.
// Generated codecs are built from these: a codec per field type (composed once, at module level),
// and straight-line toPy / fromPy functions per class.
import { PicklingError, UnpicklingError } from "../errors.ts";
import { PyBytearray, PyFrozenSet, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PyGlobal, PyObject } from "../model/objects.ts";
import { PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { typeName } from "../reader/dict-keys.ts";
import { withArticle } from "../format/indefinite-article.ts";
import { pyRepr } from "../format/repr.ts";
import type { GlobalRegistry } from "../reader/globals.ts";
import type { DirectWrite } from "../writer/direct-writer.ts";
import type { ExactReader } from "./exact-reader.ts";
import { miss } from "./fast-path.ts";
import { isCachedStr } from "../writer/global-names.ts";
import { FreshStr } from "../writer/reduction.ts";

/**
 * Where a conversion is, for messages: `User.address.zip_code`, `Order.lines[3]`, `Config.limits['cpu']`.
 * Attribute names follow a dot, indices and dict keys go in brackets (keys as Python's repr): no step
 * is ever empty.
 */
export class Trail {
  private readonly steps: unknown[] = [];
  /** Per step: true when it is a dict key (shown as its repr in brackets). */
  private readonly keys: boolean[] = [];
  constructor(root: string) {
    this.steps.push(root);
    this.keys.push(false);
  }
  /** An attribute name or a list / tuple / set index. */
  in(step: string | number): void {
    this.steps.push(step);
    this.keys.push(false);
  }
  /** A dict key (any key value: formatted only when a message needs it). */
  key(k: unknown): void {
    this.steps.push(k);
    this.keys.push(true);
  }
  /** Replaces the innermost step (the next field of the same object): cheaper than out() + in(). */
  at(step: string | number): void {
    this.steps[this.steps.length - 1] = step;
  }
  out(): void {
    this.steps.pop();
    this.keys.pop();
  }
  toString(): string {
    let s = "";
    const n = this.steps.length;
    for (let i = 0; i < n; i++) {
      if (i === SHOWN_STEPS && n > 2 * SHOWN_STEPS) {
        // A path thousands of steps deep (a long chain of objects): its two ends tell where.
        s += `…(${n - 2 * SHOWN_STEPS} steps)…`;
        i = n - SHOWN_STEPS;
      }
      const step = this.steps[i];
      if (this.keys[i]) s += `[${clip(pyRepr(step as PyValue, 60), 60)}]`;
      else if (typeof step === "number") s += `[${step}]`;
      else s += s ? `.${String(step)}` : String(step);
    }
    return s;
  }
}

/** Steps shown at each end of a very long path. */
const SHOWN_STEPS = 50;

/**
 * What one load or dump has converted, per codec: an object met again by the same codec gives the
 * same result (shared objects stay shared, cycles end), while another codec converts — and checks —
 * it again: a list pickled once for an `int[]` field and a `string[]` field is checked as both.
 */
export class Converted<K, V> {
  private readonly byCodec = new Map<Codec<unknown>, Map<K, V>>();
  // The last codec's map: conversions come in runs of one codec (the items of a list).
  private lastCodec: Codec<unknown> | null = null;
  private last: Map<K, V> | null = null;

  private mapOf(codec: Codec<unknown>): Map<K, V> {
    if (codec === this.lastCodec) return this.last!;
    let map = this.byCodec.get(codec);
    if (map === undefined) {
      map = new Map();
      this.byCodec.set(codec, map);
    }
    this.lastCodec = codec;
    this.last = map;
    return map;
  }
  get(codec: Codec<unknown>, key: K): V | undefined {
    return this.mapOf(codec).get(key);
  }
  set(codec: Codec<unknown>, key: K, value: V): void {
    this.mapOf(codec).set(key, value);
  }
}

/** State of one dump: shared objects stay shared. */
export class ToPy {
  readonly seen = new Converted<unknown, PyValue>();
  readonly trail: Trail;
  /**
   * `freshStrings` (the write option `strings: "fresh"`): str values become FreshStr, new objects to
   * the pickler, as the direct writer writes them; dict keys stay plain strs (shared by value).
   */
  constructor(
    root: string,
    readonly freshStrings = false,
  ) {
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

/** Where the reader made an object: its opcode's offset and name (see io.ts, diagnosing an error). */
export interface Position {
  offset: number;
  opcode: string;
}

/** State of one load: shared objects stay shared; afterLoad hooks run once the value is whole. */
export class FromPy {
  readonly seen = new Converted<object, unknown>();
  readonly trail: Trail;
  private readonly hooks: (() => void)[] = [];
  /** The innermost pickled object (container or instance) being converted. */
  private current: object | null = null;
  /** Once a conversion failed: the pickled object the error is about. */
  subject: object | null = null;

  /**
   * `positionOf`, when given, says where the reader made each object (a load re-run to word an
   * error: io.ts); errors then carry the offset and opcode of the object they are about.
   */
  constructor(
    root: string,
    readonly strict: boolean,
    private readonly positionOf?: (subject: object) => Position | undefined,
  ) {
    this.trail = new Trail(root);
  }

  /**
   * Refuses the value: `about` is the offending pickled value when it is an object (its position
   * labels the error), else the object being converted is.
   */
  fail(reason: string, about?: PyValue): never {
    const subject = (typeof about === "object" && about !== null && !isSharedConstant(about) ? about : this.current) ?? ROOT_VALUE;
    this.subject = subject;
    const at = this.positionOf?.(subject);
    throw new UnpicklingError(`${this.trail}: ${reason}`, at?.offset ?? -1, at?.opcode ?? "");
  }

  expected(what: string, got: PyValue | undefined): never {
    const shown = got === null || typeof got !== "object" ? ` ${clip(pyRepr(got as PyValue), 80)}` : "";
    this.fail(`expected ${what}, got ${typeName(got)}${shown}`, got);
  }

  /** Enters a pickled object (its position labels errors inside it). Returns the one it was in. */
  enter(obj: object): object | null {
    const previous = this.current;
    this.current = obj;
    return previous;
  }
  leave(previous: object | null): void {
    this.current = previous;
  }
  /** The object being converted when something outside the codecs failed (a stack overflow). */
  failedInside(): void {
    this.subject = this.current ?? ROOT_VALUE;
  }

  later(hook: () => void): void {
    this.hooks.push(hook);
  }
  runHooks(): void {
    for (const hook of this.hooks) hook();
  }
}

/** The subject of an error about the root value when that is not an object (a str, an int). */
export const ROOT_VALUE: object = Object.freeze({});

/** The reader's one empty tuple stands for every `()` in a pickle: it names no single place. */
function isSharedConstant(v: object): boolean {
  return v instanceof PyTuple && v.items.length === 0;
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
   * Globals this type's pickles call, beyond the standard reductions and the schema's classes (a
   * field type of a library: numpy's reconstruction functions), with the handlers that interpret
   * them. A typed load allows them wherever the codec is reachable from its root.
   */
  readonly globals?: GlobalRegistry;
  /**
   * The fast paths, where the type has one (fast-path.ts): write the value straight to a pickler
   * (protocol 2+), the bytes toPy + the general writer would give; read it straight from the opcodes
   * CPython writes for it. Both miss on anything else.
   */
  write?(value: T, w: DirectWrite): void;
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

const leaf = <T>(describe: string, toPy: (v: T, ctx: ToPy) => PyValue, fromPy: (v: PyValue, ctx: FromPy) => T, fast?: Pick<Codec<T>, "write" | "read">): Codec<T> => ({
  describe,
  toPy,
  fromPy,
  parts: () => [],
  ...fast,
});

const got = (v: unknown) =>
  v === null
    ? "null"
    : v === undefined
      ? "undefined"
      : Array.isArray(v)
        ? "an array"
        : typeof v === "object"
          ? withArticle((v as object).constructor?.name ?? "object")
          : `${typeof v} ${String(v)}`;

export const str = leaf<string>(
  "str",
  (v, ctx) => {
    if (typeof v !== "string") return ctx.fail(`expected a string for str, got ${got(v)}`);
    // A FreshStr stands in the value model only here, on its way to the pickler (never returned to a user).
    return ctx.freshStrings && !isCachedStr(v) ? (new FreshStr(v) as unknown as PyValue) : v;
  },
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
    (v, ctx) => (ok(v) ? (v as PyValue) : ctx.fail(`expected ${withArticle(cls.name)} for ${describe}, got ${got(v)}`)),
    (v, ctx) => (ok(v) ? (v as T) : ctx.expected(describe, v)),
    { write: (v, w) => (ok(v) ? w.saveValue(v as PyValue) : miss()), ...(read && { read }) },
  );
}

/**
 * The tzinfo a typed datetime or time may hold. CPython's unpickler takes only tzinfo instances
 * ("bad tzinfo state arg" otherwise); a schema names no tzinfo subclass of its own, so: none, a
 * fixed offset (datetime.timezone) or an IANA zone (zoneinfo.ZoneInfo). An `Any` field keeps what
 * the pickle holds.
 */
function typedTzinfo(tz: unknown): boolean {
  return tz === null || tz instanceof PyTimezone || tz instanceof PyZoneInfo;
}

const TZINFO_EXPECTED = "a tzinfo of None, datetime.timezone or zoneinfo.ZoneInfo";

/** datetime.datetime or datetime.time: the class, and a tzinfo of those the schema allows. */
function timeOfDayCodec<T extends PyDateTime | PyTime>(
  describe: string,
  cls: new (...args: never[]) => T,
  read?: (r: ExactReader) => T,
  write?: (v: T, w: DirectWrite) => void,
): Codec<T> {
  return leaf<T>(
    describe,
    (v, ctx) => {
      if (!(v instanceof cls)) return ctx.fail(`expected ${withArticle(cls.name)} for ${describe}, got ${got(v)}`);
      if (!typedTzinfo(v.tzinfo)) ctx.fail(`bad tzinfo state arg: expected ${TZINFO_EXPECTED}, got ${got(v.tzinfo)}`);
      return v;
    },
    (v, ctx) => {
      if (!(v instanceof cls)) return ctx.expected(describe, v);
      if (!typedTzinfo(v.tzinfo)) ctx.fail(`bad tzinfo state arg: expected ${TZINFO_EXPECTED}, got ${typeName(v.tzinfo as PyValue)}`, v);
      return v;
    },
    {
      // fold=1 (which protocols 2–3 cannot hold) and a tzinfo the schema does not allow take the
      // general writer, which words the refusal with the value's path.
      write: write ?? ((v, w) => (v instanceof cls && v.fold === 0 && typedTzinfo(v.tzinfo) ? w.saveValue(v) : miss())),
      ...(read && { read }),
    },
  );
}

/** A datetime reads fast when naive (the common case); aware ones take the general reader. */
export const datetime: Codec<PyDateTime> = timeOfDayCodec(
  "datetime.datetime",
  PyDateTime,
  (r) => r.datetime(),
  (v, w) => (v instanceof PyDateTime && v.fold === 0 && typedTzinfo(v.tzinfo) ? w.writeDateTime(v) : miss()),
);
export const date = instanceLeaf("datetime.date", PyDate, (v) => v instanceof PyDate && !(v instanceof PyDateTime));
export const time: Codec<PyTime> = timeOfDayCodec("datetime.time", PyTime);
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
    ...(inner.write && { write: (v: T | null, w: DirectWrite) => (v === null ? w.writeNone() : inner.write!(v, w)) }),
    ...(inner.read && { read: (r: ExactReader) => (r.none() ? null : inner.read!(r)) }),
  };
}

/**
 * One codec per item codec (and per key and value codec): fields of one type share it, so that a list
 * or dict they share in the pickle stays one object (Converted keys by codec).
 */
const lists = new WeakMap<Codec<unknown>, Codec<unknown>>();
const dicts = new WeakMap<Codec<unknown>, WeakMap<Codec<unknown>, Codec<unknown>>>();

export function list<T>(item: Codec<T>): Codec<T[]> {
  let codec = lists.get(item);
  if (codec === undefined) {
    codec = makeList(item);
    lists.set(item, codec);
  }
  return codec as Codec<T[]>;
}

function makeList<T>(item: Codec<T>): Codec<T[]> {
  const codec: Codec<T[]> = {
    get describe() {
      return `list[${item.describe}]`;
    },
    toPy(v, ctx) {
      if (!Array.isArray(v)) ctx.fail(`expected an array for list, got ${got(v)}`);
      const known = ctx.seen.get(codec, v);
      if (known !== undefined) return known;
      const out: PyValue[] = [];
      ctx.seen.set(codec, v, out);
      for (let i = 0; i < v.length; i++) {
        ctx.trail.in(i);
        out.push(item.toPy(v[i]!, ctx));
        ctx.trail.out();
      }
      return out;
    },
    fromPy(v, ctx) {
      if (!Array.isArray(v)) return ctx.expected(this.describe, v);
      const known = ctx.seen.get(codec, v);
      if (known !== undefined) return known as T[];
      const out: T[] = [];
      ctx.seen.set(codec, v, out);
      const previous = ctx.enter(v);
      for (let i = 0; i < v.length; i++) {
        ctx.trail.in(i);
        out.push(item.fromPy(v[i]!, ctx));
        ctx.trail.out();
      }
      ctx.leave(previous);
      return out;
    },
    parts: () => [item],
  };
  const { write, read } = item;
  if (write) codec.write = (v, w) => writeList(v, w, write, codec);
  // The list's codec is its memo tag: a back-reference is taken only where the same list type is read.
  const simple = item === (str as Codec<unknown>) || item === (int as Codec<unknown>) || item === (float as Codec<unknown>) || item === (bool as Codec<unknown>);
  if (read) codec.read = item === (str as Codec<unknown>) ? (r) => r.list(codec, "str", true) as T[] : (r) => r.list(codec, read, simple);
  return codec;
}

/**
 * The list, its items batched by the writer (batch_list_exact). The codec is the list's tag in the
 * pickler's memo: an array met again is written as a back-reference, which only the codec that wrote
 * (and checked) its items may take — an array shared by an `int[]` and a `string[]` field is a miss,
 * and the general writer checks it as both.
 */
function writeList<T>(v: T[], w: DirectWrite, write: (item: T, w: DirectWrite) => void, codec: Codec<T[]>): void {
  if (!Array.isArray(v)) miss();
  if (!w.beginList(v, codec)) {
    if (w.listTag(v) !== codec) miss();
    return;
  }
  w.writeListItems(v, write);
}

/**
 * Float64Array ↔ a Python list of floats: the compact form of a large numeric list (no boxed
 * numbers, 8 bytes each). Ints in the pickle are accepted where exact, as T.float does.
 */
export const float64Array: Codec<Float64Array> = {
  describe: "list[float]",
  toPy(v, ctx) {
    if (!(v instanceof Float64Array)) ctx.fail(`expected a Float64Array for list[float], got ${got(v)}`);
    const known = ctx.seen.get(float64Array, v);
    if (known !== undefined) return known;
    const out = Array.from(v);
    ctx.seen.set(float64Array, v, out);
    return out;
  },
  fromPy(v, ctx) {
    if (!Array.isArray(v)) return ctx.expected("list[float]", v);
    const known = ctx.seen.get(float64Array, v);
    if (known !== undefined) return known as Float64Array;
    const out = new Float64Array(v.length);
    ctx.seen.set(float64Array, v, out);
    const previous = ctx.enter(v);
    for (let i = 0; i < v.length; i++) {
      ctx.trail.in(i);
      out[i] = float.fromPy(v[i]!, ctx);
      ctx.trail.out();
    }
    ctx.leave(previous);
    return out;
  },
  parts: () => [],
  write(v, w) {
    if (!(v instanceof Float64Array)) miss();
    if (w.beginList(v)) w.writeFloatItems(v);
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
      const previous = ctx.enter(v);
      const out = items.map((c, i) => {
        ctx.trail.in(i);
        const item = c.fromPy(v.items[i]!, ctx);
        ctx.trail.out();
        return item;
      }) as T;
      ctx.leave(previous);
      return out;
    },
    parts: () => items,
  };
}

function keyToPy(k: PyValue): PyValue {
  return typeof k === "number" && PyFloat.needsBox(k) ? new PyFloat(k) : k;
}

/** A dict key: a str stays shared by value even under `strings: "fresh"` (keys are names, as CPython's usually are). */
function dictKeyToPy(k: PyValue): PyValue {
  return (k as unknown) instanceof FreshStr ? (k as unknown as FreshStr).s : keyToPy(k);
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
      const previous = ctx.enter(v);
      let i = 0;
      for (const m of v) {
        ctx.trail.in(i++);
        out.add(item.fromPy(m, ctx));
        ctx.trail.out();
      }
      ctx.leave(previous);
      return out;
    },
    parts: () => [item],
  };
}

export const set = <T>(item: Codec<T>) => setCodec(item, false);
export const frozenset = <T>(item: Codec<T>) => setCodec(item, true) as unknown as Codec<PyFrozenSet<T & PyValue>>;

/** Map<K, V> ↔ dict. Keys follow Python's equality on load, as the reader's. */
export function dict<K, V>(key: Codec<K>, value: Codec<V>): Codec<Map<K, V>> {
  let byValue = dicts.get(key);
  if (byValue === undefined) dicts.set(key, (byValue = new WeakMap()));
  let codec = byValue.get(value);
  if (codec === undefined) {
    codec = makeDict(key, value);
    byValue.set(value, codec);
  }
  return codec as Codec<Map<K, V>>;
}

function makeDict<K, V>(key: Codec<K>, value: Codec<V>): Codec<Map<K, V>> {
  const name = () => `dict[${key.describe}, ${value.describe}]`;
  const codec: Codec<Map<K, V>> = {
    get describe() {
      return name();
    },
    toPy(v, ctx) {
      if (!(v instanceof Map)) ctx.fail(`expected a Map for ${name()}, got ${got(v)}`);
      const known = ctx.seen.get(codec, v);
      if (known !== undefined) return known;
      const out = new Map<PyValue, PyValue>();
      ctx.seen.set(codec, v, out);
      for (const [k, x] of v) {
        ctx.trail.key(typeof k === "number" && Number.isSafeInteger(k) ? BigInt(k) : typeof k === "object" && k !== null ? String(k) : k);
        out.set(dictKeyToPy(key.toPy(k, ctx)), value.toPy(x, ctx));
        ctx.trail.out();
      }
      return out;
    },
    fromPy(v, ctx) {
      if (!(v instanceof Map)) return ctx.expected(name(), v);
      const known = ctx.seen.get(codec, v);
      if (known !== undefined) return known as Map<K, V>;
      const out = new Map<K, V>();
      ctx.seen.set(codec, v, out);
      const previous = ctx.enter(v);
      for (const [k, x] of v) {
        ctx.trail.key(k);
        out.set(key.fromPy(k, ctx), value.fromPy(x, ctx));
        ctx.trail.out();
      }
      ctx.leave(previous);
      return out;
    },
    parts: () => [key, value],
  };
  return codec;
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
        ctx.trail.key(k);
        out.set(k, value.toPy(v[k]!, ctx));
        ctx.trail.out();
      }
      return out;
    },
    fromPy(v, ctx) {
      if (!(v instanceof Map)) return ctx.expected(name(), v);
      const out = Object.create(null) as Record<string, V>;
      const previous = ctx.enter(v);
      for (const [k, x] of v) {
        if (typeof k !== "string") return ctx.expected(`str keys in ${name()}`, k);
        ctx.trail.key(k);
        out[k] = value.fromPy(x, ctx);
        ctx.trail.out();
      }
      ctx.leave(previous);
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
  const codec: NamedCodec<T> = {
    describe,
    global,
    members: byName,
    toPy(v, ctx) {
      if (!values.has(v)) ctx.fail(`${got(v)} is not a member of ${describe}`);
      // Members are singletons in Python: one object per member within a pickle.
      const known = ctx.seen.get(codec, v);
      if (known !== undefined) return known;
      const obj = new PyObject(global, [toValue(v)], null, "reduce");
      ctx.seen.set(codec, v, obj);
      return obj;
    },
    fromPy(v, ctx) {
      if (!(v instanceof PyObject) || !(v.callable instanceof PyGlobal) || v.callable.qualifiedName !== describe || v.args.length !== 1) {
        return ctx.expected(describe, v);
      }
      const raw = v.args[0];
      const value = typeof raw === "bigint" ? Number(raw) : raw;
      if (!values.has(value)) ctx.fail(`${pyRepr(raw ?? null)} is not a value of ${describe}`, v);
      return value as T;
    },
    parts: () => [],
  };
  return codec;
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

// numpy arrays and scalars (numpy-types.ts names them in schemas).
export * from "./numpy-codecs.ts";
