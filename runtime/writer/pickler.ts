// The pickler: CPython's C pickler (Modules/_pickle.c: save, save_reduce, batch_list_exact, …)
// retold for the value model, so that the bytes are CPython's own. It runs on an explicit task stack
// instead of recursion: a value nested 100,000 levels deep is written without a deep JS stack.
import { PicklingError } from "../errors.ts";
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { OP } from "../opcodes.ts";
import { floatRepr } from "../format/float-repr.ts";
import { withArticle } from "../format/indefinite-article.ts";
import { hasLoneSurrogate, encodeUtf8, encodeUtf8Into } from "../utf8.ts";
import { writeUtf8 } from "../host-bytes.ts";
import { latin1Decode } from "../latin1.ts";
import { moduleIdentity, nameIdentity, type StringIdentity } from "./global-names.ts";
import { PickleOutput, type Sink } from "./output.ts";
import { globalLines } from "./text-global.ts";
import { findPath } from "./value-path.ts";

export const DEFAULT_PROTOCOL = 4;
export const HIGHEST_PROTOCOL = 5;
const BATCHSIZE = 1000;

export interface WriteOptions {
  /** 0–5; default 4, as Python 3.8–3.13 (`pickle.DEFAULT_PROTOCOL`). */
  protocol?: number | undefined;
  /**
   * How a JavaScript `number` is written. "float" (default): always a float, so values read by
   * typed-pickle round-trip exactly (ints are `bigint`). "auto": an integral number in the safe
   * range is an int, any other a float — for hand-made values such as `{ count: 3 }`.
   */
  numbers?: "float" | "auto" | undefined;
  /** Python 2 names for globals at protocols 0–2, as CPython's fix_imports. Default true. */
  fixImports?: boolean | undefined;
  /** Protocol 5: called with each PickleBuffer; returning false sends it out of band. */
  bufferCallback?: ((buffer: PickleBuffer) => unknown) | undefined;
  /** Python's `persistent_id`: a non-null/undefined result is written as a persistent id instead. */
  persistentId?: ((value: PyValue) => PyValue | undefined | null) | undefined;
  /** copyreg's extension registry: "module.qualname" → code, written as EXT1/2/4 (protocol ≥ 2). */
  extensions?: ReadonlyMap<string, number> | undefined;
  /**
   * Protocols 0–3 have no place for a datetime's or time's `fold` (CPython drops it silently). By
   * default writing fold=1 there is a PicklingError; true writes it as CPython does, without fold.
   */
  allowFoldLoss?: boolean | undefined;
}

// ---- tasks ----

const enum K {
  Save,
  SaveStr,
  SaveGlobal,
  Op,
  Fn,
  ReduceTail,
  TupleEnd,
  ListExact,
  ListGeneric,
  DictExact,
  DictGeneric,
  SetItems,
}

type Task =
  | { k: K.Save; v: PyValue; noPers?: boolean }
  | { k: K.SaveStr; s: string; id: StringIdentity }
  | { k: K.SaveGlobal; g: PyGlobal }
  | { k: K.Op; b: number }
  | { k: K.Fn; f: () => void }
  /** After a reduction's construction: memo (or a recursive fetch), items, state. */
  | { k: K.ReduceTail; r: Reduction }
  /** After a tuple's items: TUPLEn / TUPLE and memo, or the recursive POPs and GET. */
  | { k: K.TupleEnd; n: number; memo: object | typeof FRESH }
  | ItemsTask
  | EntriesTask
  | DictTask;

/** Progress through a container's items: `i` the next item, `batch` the items in the open batch. */
interface ItemsTask {
  k: K.ListExact | K.ListGeneric | K.SetItems;
  items: readonly PyValue[];
  i: number;
  batch: number;
}
interface EntriesTask {
  k: K.DictGeneric;
  entries: readonly (readonly [PyValue, PyValue])[];
  i: number;
  batch: number;
}
/** A dict's pairs straight from its iterator (no copy of the pairs): batch_dict_exact. */
interface DictTask {
  k: K.DictExact;
  it: Iterator<readonly [PyValue, PyValue]>;
  size: number;
  batch: number;
}

/** What a __reduce__ would return, in the parts save_reduce uses. */
interface Reduction {
  /** "reduce": callable(*args). "newobj": cls.__new__(cls, *args). "newobj_ex": with kwargs. */
  kind: "reduce" | "newobj" | "newobj_ex";
  callable: PyValue;
  args: readonly PyValue[];
  kwargs?: Map<PyValue, PyValue> | undefined;
  state?: PyValue | undefined;
  listItems?: readonly PyValue[] | undefined;
  dictItems?: readonly (readonly [PyValue, PyValue])[] | undefined;
  /** The object the result is memoized as: an object (identity), a key string, FRESH, or null (not memoized). */
  memo: object | string | typeof FRESH | null;
}

/** A memo entry nothing will ever fetch: a new object CPython makes on the fly and memoizes. */
const FRESH = Symbol("fresh");
/** A bytes or str value that CPython creates anew (a reduction's argument): memoized, never shared. */
class FreshStr {
  constructor(readonly s: string) {}
}
class FreshBytes {
  constructor(readonly b: Uint8Array) {}
}
class FreshList {
  constructor(readonly items: readonly PyValue[]) {}
}
class FreshTuple {
  constructor(readonly items: readonly Internal[]) {}
}
/** A dict CPython builds on the fly (a __getstate__ result): memoized, never shared. */
class FreshDict {
  constructor(readonly map: Map<PyValue, PyValue>) {}
}
/** A value CPython builds through a reduction on the fly (a bound method, say). */
class ReductionValue {
  constructor(readonly r: Reduction) {}
}
/** The empty argument tuple of most NEWOBJs: `()` is not memoized, so one shared object serves. */
const NO_ARGS = new FreshTuple([]);
type Internal = PyValue | FreshStr | FreshBytes | FreshList | FreshTuple | FreshDict | ReductionValue;
const isInternal = (v: Internal) =>
  v instanceof FreshStr || v instanceof FreshBytes || v instanceof FreshList || v instanceof FreshTuple || v instanceof FreshDict || v instanceof ReductionValue;

const g = (module: string, name: string) => new PyGlobal(module, name);
const G_CODECS_ENCODE = g("_codecs", "encode");
const G_BYTES = g("builtins", "bytes");
const G_BYTEARRAY = g("builtins", "bytearray");
const G_SET = g("builtins", "set");
const G_FROZENSET = g("builtins", "frozenset");
const G_COMPLEX = g("builtins", "complex");
const G_GETATTR = g("builtins", "getattr");
const G_OBJECT = g("builtins", "object");
const G_RECONSTRUCTOR = g("copyreg", "_reconstructor");
const G_NEWOBJ = g("copyreg", "__newobj__");
const G_DATETIME = g("datetime", "datetime");
const G_DATE = g("datetime", "date");
const G_TIME = g("datetime", "time");
const G_TIMEDELTA = g("datetime", "timedelta");
const G_TIMEZONE = g("datetime", "timezone");
const G_ZONEINFO = g("zoneinfo", "ZoneInfo");
const G_DECIMAL = g("decimal", "Decimal");
const G_UUID = g("uuid", "UUID");
const G_ORDEREDDICT = g("collections", "OrderedDict");

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A constant string and the memo index it has in the pickler that last wrote it (writeKey). */
export class StrSlot {
  owner: Pickler | null = null;
  index = 0;
  constructor(readonly text: string) {}
}

export class Pickler {
  readonly out: PickleOutput;
  private readonly proto: number;
  private readonly bin: boolean;
  private readonly options: WriteOptions;
  private readonly objMemo = new Map<object, number>();
  private readonly strMemo = new Map<string, number>();
  private readonly keyMemo = new Map<string, number>();
  /** Globals written directly, by PyGlobal object (no key string to build), and their memo indices. */
  private readonly knownGlobals: PyGlobal[] = [];
  private readonly knownGlobalIndex: number[] = [];
  private readonly moreGlobals = new Map<PyGlobal, number>();
  private memoCount = 0;
  private readonly tasks: Task[] = [];
  private readonly autoNumbers: boolean;

  constructor(options: WriteOptions = {}, sink: Sink | null = null) {
    const proto = options.protocol ?? DEFAULT_PROTOCOL;
    if (!Number.isInteger(proto) || proto < 0 || proto > HIGHEST_PROTOCOL) {
      throw new PicklingError(`pickle protocol must be an integer from 0 to ${HIGHEST_PROTOCOL}, not ${proto}`);
    }
    if (options.bufferCallback && proto < 5) throw new PicklingError("bufferCallback needs protocol >= 5");
    this.proto = proto;
    this.bin = proto > 0;
    this.options = options;
    this.autoNumbers = options.numbers === "auto";
    this.out = new PickleOutput(
      sink &&
        ((chunk) => {
          this.flushedChunk = true;
          sink(chunk);
        }),
    );
  }

  private root: PyValue = null;
  /** Set when the output handed a chunk to the sink: `step()` returns so a caller can wait. */
  private flushedChunk = false;

  /** Writes one whole pickle of `value` (PROTO … STOP), all at once. */
  dump(value: PyValue): void {
    this.begin(value);
    while (!this.step());
    this.end();
  }

  /** Starts a pickle: PROTO, and the root value queued. */
  begin(value: PyValue): void {
    const out = this.out;
    this.root = value;
    if (this.proto >= 2) {
      const at = out.reserve(2);
      out.buf[at] = OP.PROTO;
      out.buf[at + 1] = this.proto;
      if (this.proto >= 4) out.framing = true;
    }
    this.tasks.push({ k: K.Save, v: value });
  }

  /** Works until the pickle is written (true) or a chunk went to the sink (false: call again). */
  step(): boolean {
    this.flushedChunk = false;
    try {
      this.run();
    } catch (e) {
      if (e instanceof PicklingError && e.path === "$" && e.offending) {
        throw new PicklingError(e.reason, findPath(this.root, e.offending.value));
      }
      throw e;
    }
    return this.tasks.length === 0;
  }

  /** Ends the pickle: STOP, the last frame, the last chunk. */
  end(): void {
    const out = this.out;
    out.byte(OP.STOP);
    out.commitFrame();
    out.framing = false;
    out.flush();
    this.root = null;
  }

  // ---- direct writing: generated typed encoders (runtime/typed) write values through these, in the
  // order the task loop would save them, so the bytes are the same. Each starts where save() would:
  // at an opcode boundary, where a full frame is committed.

  /** Starts a pickle written directly: PROTO (and framing). Protocol 2 or higher. */
  beginDirect(): void {
    if (this.proto < 2) throw new PicklingError("direct writing needs protocol 2 or higher");
    const out = this.out;
    const at = out.reserve(2);
    out.buf[at] = OP.PROTO;
    out.buf[at + 1] = this.proto;
    if (this.proto >= 4) out.framing = true;
  }

  /** Saves one value of the model completely (the task loop, run until this value is written). */
  saveValue(v: PyValue): void {
    const base = this.tasks.length;
    this.tasks.push({ k: K.Save, v });
    this.run(base);
  }

  /** A str, memoized by value. */
  writeStr(s: string): void {
    this.out.opcodeBoundary();
    const index = this.strMemo.get(s);
    if (index !== undefined) this.memoGet(index);
    else this.saveNewStr(s, "interned");
  }

  /**
   * A constant str (an attribute name), remembering its memo index in `slot`: after the first
   * write, a memo fetch without a hash lookup.
   */
  writeKey(slot: StrSlot): void {
    if (slot.owner === this) {
      this.out.opcodeBoundary();
      this.memoGet(slot.index);
      return;
    }
    this.writeStr(slot.text);
    slot.owner = this;
    slot.index = this.strMemo.get(slot.text)!;
  }

  /** An int given as a safe-integer number. */
  writeInt(n: number): void {
    this.out.opcodeBoundary();
    this.saveSafeInt(n);
  }

  writeFloat(x: number): void {
    this.out.opcodeBoundary();
    this.saveFloat(x);
  }

  /** values[start, end) as BINFLOATs, each at its opcode boundary (a list batch of floats). */
  writeFloats(values: Float64Array, start: number, end: number): void {
    const out = this.out;
    let i = start;
    while (i < end) {
      out.opcodeBoundary();
      // As many items as go in before a boundary would commit the frame: one reservation for them.
      const count = Math.min(end - i, Math.max(1, Math.ceil(out.frameRoom() / 9)));
      let at = out.reserve(9 * count);
      const buf = out.buf;
      const view = out.view;
      for (const stop = i + count; i < stop; i++, at += 9) {
        buf[at] = OP.BINFLOAT;
        view.setFloat64(at + 1, values[i]!, false);
      }
    }
  }

  writeBool(b: boolean): void {
    this.out.opcodeBoundary();
    this.op(b ? OP.NEWTRUE : OP.NEWFALSE);
  }

  writeNone(): void {
    this.out.opcodeBoundary();
    this.op(OP.NONE);
  }

  /** A single opcode byte (MARK, APPEND, APPENDS, …) between saves. */
  writeOp(op: number): void {
    this.out.byte(op);
  }

  /**
   * An instance as `cls.__new__(cls)` + BUILD(dict of `fields` pairs), up to the pairs: the class,
   * (), NEWOBJ, its memo, the state dict and MARK (for two or more pairs). False when the instance
   * was written before: a memo fetch was written instead and nothing else is to follow.
   */
  beginDictInstance(instance: object, cls: PyGlobal, fields: number): boolean {
    this.out.opcodeBoundary();
    const index = this.objMemo.get(instance);
    if (index !== undefined) {
      this.memoGet(index);
      return false;
    }
    this.writeGlobal(cls);
    this.out.opcodeBoundary();
    this.op(OP.EMPTY_TUPLE);
    this.op(OP.NEWOBJ);
    this.objMemo.set(instance, this.memoPutIndex());
    this.out.opcodeBoundary();
    this.op(OP.EMPTY_DICT);
    this.memoPutIndex();
    if (fields >= 2) this.op(OP.MARK);
    return true;
  }

  /** After the pairs: SETITEMS (or SETITEM for one pair), BUILD. Fewer than 1000 pairs. */
  endDictInstance(fields: number): void {
    if (fields === 1) this.op(OP.SETITEM);
    else if (fields >= 2) this.op(OP.SETITEMS);
    this.op(OP.BUILD);
  }

  /** A class, as save_global: its memo fetch once written (looked up by the PyGlobal object first). */
  writeGlobal(g: PyGlobal): void {
    const known = this.knownGlobals;
    for (let i = 0; i < known.length; i++) {
      if (known[i] === g) {
        this.out.opcodeBoundary();
        this.memoGet(this.knownGlobalIndex[i]!);
        return;
      }
    }
    const index = this.moreGlobals.get(g);
    if (index !== undefined) {
      this.out.opcodeBoundary();
      this.memoGet(index);
      return;
    }
    this.saveValue(g);
    const written = this.keyMemo.get(globalKey(g));
    if (written === undefined) return; // an EXT code: never memoized
    // A schema has a handful of classes: a short list to scan, then a map.
    if (known.length < 32) {
      known.push(g);
      this.knownGlobalIndex.push(written);
    } else {
      this.moreGlobals.set(g, written);
    }
  }

  /**
   * A datetime, as its __reduce_ex__ is saved. Naive ones (protocol 2+) are written here directly
   * (the same opcodes the task loop writes for datetime(b'<10 bytes>')); others go through it.
   */
  writeDateTime(dt: PyDateTime): void {
    if (dt.tzinfo !== null || (dt.fold && this.proto < 4)) {
      this.saveValue(dt);
      return;
    }
    const out = this.out;
    out.opcodeBoundary();
    const index = this.objMemo.get(dt);
    if (index !== undefined) {
      this.memoGet(index);
      return;
    }
    this.writeGlobal(G_DATETIME);
    out.opcodeBoundary();
    if (this.proto < 3) {
      // bytes below protocol 3: _codecs.encode('<latin-1 text>', 'latin1'), as saveBytes writes it.
      out.opcodeBoundary();
      this.writeGlobal(G_CODECS_ENCODE);
      out.opcodeBoundary();
      out.opcodeBoundary();
      const state = [dt.year >> 8, dt.year & 0xff, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond >> 16, (dt.microsecond >> 8) & 0xff, dt.microsecond & 0xff];
      this.saveNewStr(String.fromCharCode(...state), "fresh");
      this.writeStr("latin1");
      this.op(OP.TUPLE2);
      this.memoPutIndex();
      this.op(OP.REDUCE);
      this.memoPutIndex();
      this.op(OP.TUPLE1);
      this.memoPutIndex();
      this.op(OP.REDUCE);
      this.objMemo.set(dt, this.memoPutIndex());
      return;
    }
    const at = out.reserve(12);
    const buf = out.buf;
    buf[at] = OP.SHORT_BINBYTES;
    buf[at + 1] = 10;
    buf[at + 2] = dt.year >> 8;
    buf[at + 3] = dt.year & 0xff;
    buf[at + 4] = dt.month + (dt.fold ? 128 : 0);
    buf[at + 5] = dt.day;
    buf[at + 6] = dt.hour;
    buf[at + 7] = dt.minute;
    buf[at + 8] = dt.second;
    buf[at + 9] = dt.microsecond >> 16;
    buf[at + 10] = (dt.microsecond >> 8) & 0xff;
    buf[at + 11] = dt.microsecond & 0xff;
    this.memoPutIndex();
    this.op(OP.TUPLE1);
    this.memoPutIndex();
    this.op(OP.REDUCE);
    this.objMemo.set(dt, this.memoPutIndex());
  }

  /**
   * A list's start: EMPTY_LIST and its memo, true; or, for a list written before, its memo fetch
   * and false. The items follow as batch_list_exact writes them (see `writeList`).
   */
  beginList(list: object): boolean {
    this.out.opcodeBoundary();
    const index = this.objMemo.get(list);
    if (index !== undefined) {
      this.memoGet(index);
      return false;
    }
    this.op(OP.EMPTY_LIST);
    this.objMemo.set(list, this.memoPutIndex());
    return true;
  }

  /**
   * Works through the tasks above `base`. The outermost loop (base 0) stops when a chunk went to the
   * sink, so that step() can return; a nested one (saveValue) finishes its value regardless.
   */
  private run(base = 0): void {
    const tasks = this.tasks;
    while (tasks.length > base && (base > 0 || !this.flushedChunk)) {
      const t = tasks.pop()!;
      switch (t.k) {
        case K.Save:
          this.out.opcodeBoundary();
          this.save(t.v as Internal, t.noPers === true);
          break;
        case K.SaveStr:
          this.out.opcodeBoundary();
          this.saveStr(t.s, t.id);
          break;
        case K.SaveGlobal:
          this.out.opcodeBoundary();
          this.saveGlobal(t.g);
          break;
        case K.Op:
          this.out.byte(t.b);
          break;
        case K.Fn:
          t.f();
          break;
        case K.ReduceTail:
          this.reduceTail(t.r);
          break;
        case K.TupleEnd:
          this.tupleEnd(t.n, t.memo);
          break;
        case K.ListExact:
        case K.SetItems:
          this.stepBatchedExact(t);
          break;
        case K.ListGeneric:
        case K.DictGeneric:
          this.stepGeneric(t);
          break;
        case K.DictExact:
          this.stepDictExact(t);
          break;

      }
    }
  }

  // ---- helpers to schedule work (pushed in reverse: the last pushed runs first) ----

  private later(...steps: Task[]): void {
    for (let i = steps.length - 1; i >= 0; i--) this.tasks.push(steps[i]!);
  }

  private static save(v: Internal): Task {
    return { k: K.Save, v: v as PyValue };
  }

  private op(b: number): void {
    this.out.byte(b);
  }

  // ---- memo ----

  /** A memo index as PUT / GET want it: 1-byte form below 256, 4-byte form above, text at protocol 0. */
  private memoOp(index: number, short: number, long: number, text: string): void {
    const out = this.out;
    if (!this.bin) {
      out.ascii(`${text}${index}\n`);
    } else if (index < 256) {
      const at = out.reserve(2);
      out.buf[at] = short;
      out.buf[at + 1] = index;
    } else {
      const at = out.reserve(5);
      out.buf[at] = long;
      out.view.setUint32(at + 1, index, true);
    }
  }

  private memoPutIndex(): number {
    const index = this.memoCount++;
    if (this.proto >= 4) this.out.byte(OP.MEMOIZE);
    else this.memoOp(index, OP.BINPUT, OP.LONG_BINPUT, "p");
    return index;
  }

  private memoPut(key: object | string | typeof FRESH | null): void {
    if (key === null) return;
    const index = this.memoPutIndex();
    if (key === FRESH) return;
    if (typeof key === "string") this.keyMemo.set(key, index);
    else this.objMemo.set(key, index);
  }

  private memoGet(index: number): void {
    this.memoOp(index, OP.BINGET, OP.LONG_BINGET, "g");
  }

  /** The memo index a value is known under, or undefined. */
  private memoLookup(key: object | string): number | undefined {
    return typeof key === "string" ? this.keyMemo.get(key) : this.objMemo.get(key);
  }

  // ---- save ----

  private fail(reason: string, offending: unknown): never {
    const e = new PicklingError(reason);
    e.offending = { value: offending };
    throw e;
  }

  private save(v: Internal, noPers: boolean): void {
    if (!noPers && this.options.persistentId && !isInternal(v)) {
      const pid = this.options.persistentId(v);
      if (pid !== undefined && pid !== null) {
        this.savePersistentId(pid);
        return;
      }
    }
    switch (typeof v) {
      case "boolean":
        if (this.proto >= 2) this.op(v ? OP.NEWTRUE : OP.NEWFALSE);
        else this.out.ascii(v ? "I01\n" : "I00\n");
        return;
      case "bigint":
        this.saveLong(v);
        return;
      case "number":
        if (this.autoNumbers && Number.isSafeInteger(v) && !Object.is(v, -0)) this.saveSafeInt(v);
        else this.saveFloat(v);
        return;
      case "string": {
        const index = this.strMemo.get(v);
        if (index !== undefined) this.memoGet(index);
        else this.saveNewStr(v, "interned");
        return;
      }
      case "undefined":
        this.fail("undefined cannot be pickled (use null for None)", v);
      case "function":
        this.fail("a function cannot be pickled", v);
      case "symbol":
        this.fail("a symbol cannot be pickled", v);
    }
    if (v === null) {
      this.op(OP.NONE);
      return;
    }
    if (v instanceof PyFloat) {
      this.saveFloat(v.value);
      return;
    }
    // A naive datetime at protocol 2+: its reduction written directly (writeDateTime).
    if (v instanceof PyDateTime && v.tzinfo === null && this.proto >= 2 && (!v.fold || this.proto >= 4)) return this.writeDateTime(v);
    // The commonest containers first: a plain list or dict, memoized by identity.
    const ctor = (v as object).constructor;
    if (ctor === Array || ctor === Map) {
      const index = this.objMemo.get(v as object);
      if (index !== undefined) return this.memoGet(index);
      if (ctor === Array) return this.saveList(v as PyValue[], v as object);
      return this.saveDict(v as Map<PyValue, PyValue>, (v as Map<PyValue, PyValue>).size, v as object);
    }
    // Memo hits: objects by identity, plus the few values CPython shares by value.
    const key = this.identityKey(v);
    const index = this.memoLookup(key);
    if (index !== undefined) {
      this.memoGet(index);
      return;
    }
    if (v instanceof FreshStr) return this.saveStr(v.s, isCachedStr(v.s) ? "interned" : "fresh");
    if (v instanceof Uint8Array && !(v instanceof PyBytearray)) return this.saveBytes(v, key);
    if (v instanceof FreshBytes) {
      if (v.b.length > 1) return this.saveBytes(v.b, FRESH);
      // b'' and one-byte bytes are singletons in CPython, however they are made.
      const singleton = this.identityKey(v.b);
      const known = this.memoLookup(singleton);
      return known === undefined ? this.saveBytes(v.b, singleton) : this.memoGet(known);
    }
    if (Array.isArray(v)) return this.saveList(v, v);
    if (v instanceof FreshList) return this.saveList(v.items as PyValue[], FRESH);
    if (v instanceof PyTuple) return this.saveTuple(v.items, v);
    if (v instanceof FreshTuple) return this.saveTuple(v.items as PyValue[], FRESH);
    if (v instanceof PyOrderedDict) return this.saveReduce({ kind: "reduce", callable: G_ORDEREDDICT, args: [], dictItems: [...v], memo: v });
    if (v instanceof Map) return this.saveDict(v, v.size, v);
    if (v instanceof PyFrozenSet) return this.saveFrozenset(v);
    if (v instanceof Set) return this.saveSet(v);
    if (v instanceof PyBytearray) return this.saveBytearray(v);
    if (v instanceof PyGlobal) return this.saveGlobal(v);
    if (v instanceof PyObject) return this.saveReduce(this.objectReduction(v));
    if (v instanceof ReductionValue) return this.saveReduce(v.r);
    if (v instanceof PickleBuffer) return this.savePickleBuffer(v);
    if (v instanceof FreshDict) return this.saveDict(v.map, v.map.size, FRESH);
    const reduction = this.stdlibReduction(v, key);
    if (reduction) return this.saveReduce(reduction);
    if (isPlainObject(v)) {
      const entries = Object.entries(v) as [PyValue, PyValue][];
      return this.saveDict(entries, entries.length, v);
    }
    const what = (v as object).constructor?.name ?? "object";
    this.fail(`${withArticle(what)} cannot be pickled (not part of the value model)`, v);
  }

  /**
   * Saves a value that needs no task of its own (None, bool, int, float, str) right away, as save()
   * would, and says so; false for anything else. The hot path of lists and dicts.
   */
  private savePrimitive(v: PyValue): boolean {
    const type = typeof v;
    if (type === "object" ? v !== null : type !== "string" && type !== "number" && type !== "bigint" && type !== "boolean") return false;
    if (this.options.persistentId) return false;
    this.out.opcodeBoundary();
    this.save(v, false);
    return true;
  }

  /** The memo key: the object itself, or a string for values CPython shares by value. */
  private identityKey(v: object): object | string {
    if (v instanceof Uint8Array && !(v instanceof PyBytearray) && v.length <= 1) {
      return v.length === 0 ? "bytes:" : `bytes:${v[0]}`; // b'' and 1-byte bytes are singletons
    }
    if (v instanceof PyGlobal) return globalKey(v);
    if (v instanceof PyTimezone && v.isUtc) return "timezone.utc"; // timezone(timedelta(0)) is the singleton
    if (v instanceof PyZoneInfo) return `zoneinfo:${v.key}`; // ZoneInfo(key) is cached per key
    return v;
  }

  private savePersistentId(pid: PyValue): void {
    if (this.bin) {
      this.later({ k: K.Save, v: pid, noPers: true }, { k: K.Op, b: OP.BINPERSID });
      return;
    }
    if (typeof pid !== "string" || !/^[\x00-\x7f]*$/.test(pid)) this.fail("persistent IDs in protocol 0 must be ASCII strings", pid);
    // The id is one text line: a newline would end it and the rest would be read as opcodes.
    if (pid.includes("\n")) this.fail("a persistent ID in protocol 0 cannot hold a newline (the PERSID line would end there)", pid);
    this.out.ascii(`P${pid}\n`);
  }

  private saveLong(v: bigint): void {
    const asNumber = Number(v); // exact below 2^53
    if (Number.isSafeInteger(asNumber)) {
      this.saveSafeInt(asNumber);
      return;
    }
    if (this.proto < 2) {
      this.out.ascii(`L${v}L\n`);
      return;
    }
    const out = this.out;
    const bytes = twosComplement(v);
    if (bytes.length < 256) {
      const at = out.reserve(2 + bytes.length);
      out.buf[at] = OP.LONG1;
      out.buf[at + 1] = bytes.length;
      out.buf.set(bytes, at + 2);
    } else {
      const at = out.reserve(5 + bytes.length);
      out.buf[at] = OP.LONG4;
      out.view.setInt32(at + 1, bytes.length, true);
      out.buf.set(bytes, at + 5);
    }
  }

  /** save_long for an int held exactly in a number (|n| < 2^53): no BigInt arithmetic. */
  private saveSafeInt(n: number): void {
    const out = this.out;
    if (n >= -2147483648 && n <= 2147483647) {
      if (!this.bin) {
        out.ascii(`I${n}\n`);
      } else if (n >= 0 && n <= 0xff) {
        const at = out.reserve(2);
        out.buf[at] = OP.BININT1;
        out.buf[at + 1] = n;
      } else if (n >= 0 && n <= 0xffff) {
        const at = out.reserve(3);
        out.buf[at] = OP.BININT2;
        out.view.setUint16(at + 1, n, true);
      } else {
        const at = out.reserve(5);
        out.buf[at] = OP.BININT;
        out.view.setInt32(at + 1, n, true);
      }
      return;
    }
    if (this.proto < 2) {
      out.ascii(`L${n}L\n`);
      return;
    }
    // Two's complement from the number itself (8 bytes, then trimmed).
    const at = out.reserve(10);
    const lo = n % 4294967296;
    out.view.setUint32(at + 2, lo < 0 ? lo + 4294967296 : lo, true);
    out.view.setInt32(at + 6, Math.floor(n / 4294967296), true);
    let size = 8;
    const fill = out.buf[at + 9]! === 0xff ? 0xff : 0;
    while (size > 1 && out.buf[at + 1 + size]! === fill && (out.buf[at + size]! & 0x80) === (fill & 0x80)) size--;
    out.buf[at] = OP.LONG1;
    out.buf[at + 1] = size;
    out.pos = at + 2 + size;
  }

  private saveFloat(x: number): void {
    const out = this.out;
    if (this.bin) {
      const at = out.reserve(9);
      out.buf[at] = OP.BINFLOAT;
      out.view.setFloat64(at + 1, x, false);
    } else {
      out.ascii(`F${floatRepr(x)}\n`);
    }
  }

  /** save_unicode: the string, then memo_put under the identity it has. */
  private saveStr(s: string, id: StringIdentity): void {
    if (id !== "interned" && id !== "fresh") {
      const index = this.keyMemo.get(`str:${id.stable}`);
      if (index !== undefined) return this.memoGet(index);
    } else if (id === "interned") {
      const index = this.strMemo.get(s);
      if (index !== undefined) return this.memoGet(index);
    }
    this.saveNewStr(s, id);
  }

  /** save_unicode for a string not in the memo: written, then memoized under its identity. */
  private saveNewStr(s: string, id: StringIdentity): void {
    if (this.bin) this.writeUnicodeBinary(s);
    else {
      this.out.byte(OP.UNICODE);
      this.out.ascii(rawUnicodeEscape(s));
      this.out.byte(0x0a);
    }
    const index = this.memoPutIndex();
    if (id === "interned") this.strMemo.set(s, index);
    else if (id !== "fresh") this.keyMemo.set(`str:${id.stable}`, index);
  }

  private writeUnicodeBinary(s: string): void {
    const out = this.out;
    // Short ASCII-or-not strings are encoded straight into the buffer; the length is patched in.
    if (s.length * 3 <= 0xff && this.proto >= 4) {
      const at = out.reserve(2 + s.length * 3);
      const n = encodeUtf8Into(s, out.buf, at + 2);
      out.buf[at] = OP.SHORT_BINUNICODE;
      out.buf[at + 1] = n;
      out.pos = at + 2 + n;
      return;
    }
    if (s.length < 21000 && !hasLoneSurrogate(s)) {
      // Encode straight into the buffer after a 5-byte BINUNICODE header (short strings at protocol
      // 4+ were handled above, so the header is known; the payload is under 64 KiB: framed).
      const at = out.reserve(5 + s.length * 3);
      const n = writeUtf8(out.buf, s, at + 5);
      if (n <= 0xff && this.proto >= 4) {
        out.buf.copyWithin(at + 2, at + 5, at + 5 + n);
        out.buf[at] = OP.SHORT_BINUNICODE;
        out.buf[at + 1] = n;
        out.pos = at + 2 + n;
      } else {
        out.buf[at] = OP.BINUNICODE;
        out.view.setUint32(at + 1, n, true);
        out.pos = at + 5 + n;
      }
      return;
    }
    const data = encodeUtf8(s);
    const size = data.length;
    let header: Uint8Array;
    if (size <= 0xff && this.proto >= 4) header = Uint8Array.of(OP.SHORT_BINUNICODE, size);
    else if (size <= 0xffffffff) header = u32Header(OP.BINUNICODE, size);
    else if (this.proto >= 4) header = u64Header(OP.BINUNICODE8, size);
    else this.fail("serializing a string larger than 4 GiB requires pickle protocol 4 or higher", s);
    out.headerAndPayload(header, data);
  }

  private saveBytes(b: Uint8Array, memo: object | string | typeof FRESH): void {
    if (this.proto < 3) {
      const r: Reduction =
        b.length === 0
          ? { kind: "reduce", callable: G_BYTES, args: [], memo }
          : { kind: "reduce", callable: G_CODECS_ENCODE, args: [new FreshStr(latin1Decode(b)) as unknown as PyValue, "latin1"], memo };
      this.saveReduce(r);
      return;
    }
    let header: Uint8Array;
    if (b.length <= 0xff) header = Uint8Array.of(OP.SHORT_BINBYTES, b.length);
    else if (b.length <= 0xffffffff) header = u32Header(OP.BINBYTES, b.length);
    else if (this.proto >= 4) header = u64Header(OP.BINBYTES8, b.length);
    else this.fail("serializing a bytes object larger than 4 GiB requires pickle protocol 4 or higher", b);
    this.out.headerAndPayload(header, b);
    this.memoPut(memo);
  }

  private saveBytearray(b: PyBytearray): void {
    if (this.proto < 5) {
      const args = b.length === 0 ? [] : [new FreshBytes(b.slice()) as unknown as PyValue];
      this.saveReduce({ kind: "reduce", callable: G_BYTEARRAY, args, memo: b });
      return;
    }
    this.out.headerAndPayload(u64Header(OP.BYTEARRAY8, b.length), b);
    this.memoPut(b);
  }

  private savePickleBuffer(pb: PickleBuffer): void {
    if (this.proto < 5) this.fail("PickleBuffer can only be pickled with protocol >= 5", pb);
    let inBand = true;
    if (this.options.bufferCallback) inBand = Boolean(this.options.bufferCallback(pb));
    if (inBand) {
      if (pb.readonly) {
        this.saveBytes(pb.data, pb);
      } else {
        this.out.headerAndPayload(u64Header(OP.BYTEARRAY8, pb.data.length), pb.data);
        this.memoPut(pb);
      }
      return;
    }
    this.op(OP.NEXT_BUFFER);
    if (pb.readonly) this.op(OP.READONLY_BUFFER);
  }

  // ---- containers ----

  private saveTuple(items: readonly PyValue[], memo: object | typeof FRESH): void {
    const n = items.length;
    if (n === 0) {
      if (this.bin) this.op(OP.EMPTY_TUPLE);
      else this.out.ascii("(t");
      return;
    }
    if (!(n <= 3 && this.proto >= 2)) this.op(OP.MARK);
    this.tasks.push({ k: K.TupleEnd, n, memo });
    for (let i = n - 1; i >= 0; i--) this.tasks.push(Pickler.save(items[i]!));
  }

  /** save_tuple after the items: if saving them memoized this tuple, it contains itself: drop the items, fetch it. */
  private tupleEnd(n: number, memo: object | typeof FRESH): void {
    const short = n <= 3 && this.proto >= 2;
    const index = memo === FRESH ? undefined : this.objMemo.get(memo);
    if (index !== undefined) {
      if (short) for (let i = 0; i < n; i++) this.op(OP.POP);
      else if (this.bin) this.op(OP.POP_MARK);
      else for (let i = 0; i <= n; i++) this.op(OP.POP);
      this.memoGet(index);
      return;
    }
    this.op(short ? (n === 1 ? OP.TUPLE1 : n === 2 ? OP.TUPLE2 : OP.TUPLE3) : OP.TUPLE);
    this.memoPut(memo);
  }

  private saveList(items: readonly PyValue[], memo: object | typeof FRESH): void {
    if (this.bin) this.op(OP.EMPTY_LIST);
    else this.out.ascii("(l");
    this.memoPut(memo);
    if (items.length === 0) return;
    if (this.proto > 0) this.tasks.push({ k: K.ListExact, items, i: 0, batch: 0 });
    else this.tasks.push({ k: K.ListGeneric, items, i: 0, batch: 0 });
  }

  /**
   * batch_list_exact (lists) and save_set (sets, protocol ≥ 4): one item → APPEND (lists only);
   * else MARK up to 1000 items APPENDS/ADDITEMS, repeated. Lists stop when the items run out; sets,
   * like dicts, go on while a batch was full, so 1000·k items end with an empty batch.
   */
  private stepBatchedExact(t: ItemsTask): void {
    const { items } = t;
    const isSet = t.k === K.SetItems;
    if (!isSet && items.length === 1) {
      this.later(Pickler.save(items[0]!), { k: K.Op, b: OP.APPEND });
      return;
    }
    if (t.batch === 0) this.op(OP.MARK);
    const floatRuns = this.bin && !this.autoNumbers && !this.options.persistentId;
    while (t.i < items.length && t.batch < BATCHSIZE) {
      if (floatRuns && typeof items[t.i] === "number") {
        this.floatRun(t);
        continue;
      }
      if (floatRuns && typeof items[t.i] === "bigint" && this.intRun(t)) continue;
      const item = items[t.i]!;
      t.i++;
      t.batch++;
      if (this.savePrimitive(item)) continue;
      this.tasks.push(t);
      this.tasks.push(Pickler.save(item));
      return;
    }
    this.op(isSet ? OP.ADDITEMS : OP.APPENDS);
    const full = t.batch === BATCHSIZE;
    t.batch = 0;
    if (isSet ? full : t.i < items.length) this.tasks.push(t);
  }

  /**
   * Consecutive floats of a batch, as saveFloat writes each after its opcode boundary: as many as
   * fit before a boundary would commit the frame, in one reservation. (writeFloats's loop over a
   * JS array: one function for both array kinds made it polymorphic, 3× slower on either.)
   */
  private floatRun(t: ItemsTask): void {
    const out = this.out;
    const items = t.items;
    out.opcodeBoundary();
    const limit = Math.min(items.length, t.i + BATCHSIZE - t.batch, t.i + Math.max(1, Math.ceil(out.frameRoom() / 9)));
    let n = t.i;
    while (n < limit && typeof items[n] === "number") n++;
    let at = out.reserve(9 * (n - t.i));
    const buf = out.buf;
    const view = out.view;
    for (let i = t.i; i < n; i++, at += 9) {
      buf[at] = OP.BINFLOAT;
      view.setFloat64(at + 1, items[i] as number, false);
    }
    t.batch += n - t.i;
    t.i = n;
  }

  /**
   * Consecutive ints of a batch that fit a number exactly, each as saveSafeInt writes it after its
   * opcode boundary, stopping where a boundary would commit the frame. False when the first item
   * is not such an int (nothing written).
   */
  private intRun(t: ItemsTask): boolean {
    const out = this.out;
    const items = t.items;
    const first = Number(items[t.i] as bigint);
    if (!Number.isSafeInteger(first)) return false;
    out.opcodeBoundary();
    let room = out.frameRoom();
    const limit = Math.min(items.length, t.i + BATCHSIZE - t.batch);
    const start = t.i;
    for (let i = start; i < limit; i++) {
      const item = items[i];
      const n = i === start ? first : typeof item === "bigint" ? Number(item) : NaN;
      if (!Number.isSafeInteger(n) || (i > start && room <= 0)) break;
      const before = out.pos;
      this.saveSafeInt(n);
      room -= out.pos - before; // counts an opened frame's header too: the run only ends sooner
      t.i++;
      t.batch++;
    }
    return true;
  }

  /**
   * batch_list / batch_dict, the generic paths (list and dict subclasses, reductions' items, protocol
   * 0): one APPEND / SETITEM per unit at protocol 0; else batches of 1000 in MARK … APPENDS /
   * SETITEMS, a last lone unit as APPEND / SETITEM, and no empty trailing batch.
   */
  private stepGeneric(t: ItemsTask | EntriesTask): void {
    const isDict = t.k === K.DictGeneric;
    const count = isDict ? (t as EntriesTask).entries.length : (t as ItemsTask).items.length;
    const unit = (i: number): Task[] => {
      if (!isDict) return [Pickler.save((t as ItemsTask).items[i]!)];
      const [key, value] = (t as EntriesTask).entries[i]!;
      return [Pickler.save(key), Pickler.save(value)];
    };
    const single: Task = { k: K.Op, b: isDict ? OP.SETITEM : OP.APPEND };
    if (this.proto === 0) {
      if (t.i < count) this.later(...unit(t.i++), single, t);
      return;
    }
    if (t.batch === 0) {
      const remaining = count - t.i;
      if (remaining === 0) return;
      if (remaining === 1) {
        this.later(...unit(t.i++), single);
        return;
      }
      this.op(OP.MARK);
    }
    if (t.i < count && t.batch < BATCHSIZE) {
      t.batch++;
      this.later(...unit(t.i++), t);
      return;
    }
    this.op(isDict ? OP.SETITEMS : OP.APPENDS);
    const full = t.batch === BATCHSIZE;
    t.batch = 0;
    if (full) this.tasks.push(t);
  }

  private saveDict(pairs: Iterable<readonly [PyValue, PyValue]>, size: number, memo: object | typeof FRESH): void {
    if (this.bin) this.op(OP.EMPTY_DICT);
    else this.out.ascii("(d");
    this.memoPut(memo);
    if (size === 0) return;
    if (this.proto > 0) this.tasks.push({ k: K.DictExact, it: pairs[Symbol.iterator](), size, batch: 0 });
    else this.tasks.push({ k: K.DictGeneric, entries: [...pairs], i: 0, batch: 0 });
  }

  /** batch_dict_exact: one pair → SETITEM; else batches of 1000, going on while a batch was full. */
  private stepDictExact(t: DictTask): void {
    if (t.size === 1) {
      const [key, value] = t.it.next().value as readonly [PyValue, PyValue];
      this.later(Pickler.save(key), Pickler.save(value), { k: K.Op, b: OP.SETITEM });
      return;
    }
    if (t.batch === 0) this.op(OP.MARK);
    while (t.batch < BATCHSIZE) {
      const next = t.it.next();
      if (next.done) break;
      const [key, value] = next.value;
      t.batch++;
      if (this.savePrimitive(key)) {
        if (this.savePrimitive(value)) continue;
        this.later(Pickler.save(value), t);
        return;
      }
      this.later(Pickler.save(key), Pickler.save(value), t);
      return;
    }
    this.op(OP.SETITEMS);
    const full = t.batch === BATCHSIZE;
    t.batch = 0;
    if (full) this.tasks.push(t);
  }

  private saveSet(set: Set<PyValue>): void {
    const items = [...set];
    if (this.proto < 4) {
      this.saveReduce({ kind: "reduce", callable: G_SET, args: [new FreshList(items) as unknown as PyValue], memo: set });
      return;
    }
    this.op(OP.EMPTY_SET);
    this.memoPut(set);
    if (items.length === 0) return;
    this.tasks.push({ k: K.SetItems, items, i: 0, batch: 0 });
  }

  private saveFrozenset(set: PyFrozenSet): void {
    const items = [...set];
    if (this.proto < 4) {
      this.saveReduce({ kind: "reduce", callable: G_FROZENSET, args: [new FreshList(items) as unknown as PyValue], memo: set });
      return;
    }
    this.op(OP.MARK);
    const steps: Task[] = items.map((item) => Pickler.save(item));
    steps.push({
      k: K.Fn,
      f: () => {
        const index = this.objMemo.get(set);
        if (index !== undefined) {
          this.op(OP.POP_MARK);
          this.memoGet(index);
        } else {
          this.op(OP.FROZENSET);
          this.memoPut(set);
        }
      },
    });
    // Not later(...steps): a frozenset can have more members than a call can take arguments.
    for (let i = steps.length - 1; i >= 0; i--) this.tasks.push(steps[i]!);
  }

  // ---- globals ----

  private saveGlobal(global: PyGlobal): void {
    const key = globalKey(global);
    const known = this.keyMemo.get(key);
    if (known !== undefined) return this.memoGet(known);
    const { module, name } = global;
    const code = this.proto >= 2 ? this.options.extensions?.get(`${module}.${name}`) : undefined;
    if (code !== undefined) {
      if (!(code > 0 && code <= 0x7fffffff)) this.fail(`extension code ${code} is out of range`, global);
      const out = this.out;
      if (code <= 0xff) {
        const at = out.reserve(2);
        out.buf[at] = OP.EXT1;
        out.buf[at + 1] = code;
      } else if (code <= 0xffff) {
        const at = out.reserve(3);
        out.buf[at] = OP.EXT2;
        out.view.setUint16(at + 1, code, true);
      } else {
        const at = out.reserve(5);
        out.buf[at] = OP.EXT4;
        out.view.setInt32(at + 1, code, true);
      }
      return; // save_global memoizes only what it writes as GLOBAL / STACK_GLOBAL

    }
    if (this.proto >= 4) {
      this.later(
        { k: K.SaveStr, s: module, id: moduleIdentity(module, name) },
        { k: K.SaveStr, s: name, id: nameIdentity(module, name) },
        { k: K.Fn, f: () => (this.op(OP.STACK_GLOBAL), this.memoPut(key)) },
      );
      return;
    }
    const dot = name.lastIndexOf(".");
    if (dot > 0) {
      // A nested class below protocol 4: getattr(Outer, 'Inner'), not memoized itself; then the class is.
      const parent = new PyGlobal(module, name.slice(0, dot));
      this.tasks.push({ k: K.Fn, f: () => this.memoPut(key) }); // runs after the reduction below
      this.saveReduce({ kind: "reduce", callable: G_GETATTR, args: [parent, name.slice(dot + 1)], memo: null });
      return;
    }
    const lines = globalLines(module, name, this.proto, this.options.fixImports !== false);
    if ("refused" in lines) this.fail(lines.refused, global);
    const out = this.out;
    out.byte(OP.GLOBAL);
    out.bytes(new TextEncoder().encode(`${lines.module}\n${lines.name}\n`));
    this.memoPut(key);
  }

  // ---- reductions ----

  /** save_reduce: the construction, the memo (or a recursive fetch), then items and state. */
  private saveReduce(r: Reduction): void {
    const steps: Task[] = [];
    if (r.kind === "newobj_ex") {
      if (this.proto < 4) this.fail("keyword arguments to __new__ need protocol 4 or higher (CPython writes a functools.partial form here that typed-pickle does not produce)", r.callable);
      steps.push(Pickler.save(r.callable), Pickler.save(new FreshTuple(r.args)), Pickler.save(r.kwargs ?? new Map()), { k: K.Op, b: OP.NEWOBJ_EX });
    } else if (r.kind === "newobj" && this.proto >= 2) {
      const args: Task = Pickler.save(r.args.length === 0 ? NO_ARGS : new FreshTuple(r.args)); // a save: frames may commit here
      steps.push(Pickler.save(r.callable), args, { k: K.Op, b: OP.NEWOBJ });
    } else if (r.kind === "newobj") {
      // Below protocol 2 there is no NEWOBJ: copyreg's helpers, as object.__reduce_ex__ writes them.
      const args = r.args.length === 0 ? [r.callable, G_OBJECT, null] : [r.callable, ...r.args];
      steps.push(Pickler.save(r.args.length === 0 ? G_RECONSTRUCTOR : G_NEWOBJ), Pickler.save(new FreshTuple(args)), { k: K.Op, b: OP.REDUCE });
    } else {
      steps.push(Pickler.save(r.callable), Pickler.save(new FreshTuple(r.args)), { k: K.Op, b: OP.REDUCE });
    }
    steps.push({ k: K.ReduceTail, r });
    this.later(...steps);
  }

  private reduceTail(r: Reduction): void {
    const memo = r.memo;
    if (memo !== null && memo !== FRESH) {
      const index = this.memoLookup(memo);
      if (index !== undefined) {
        // The object was reached while saving its own arguments: drop what we built, fetch it.
        this.op(OP.POP);
        this.memoGet(index);
        return;
      }
    }
    this.memoPut(memo);
    if (r.state !== undefined) this.tasks.push({ k: K.Op, b: OP.BUILD }, Pickler.save(r.state));
    if (r.dictItems) this.tasks.push({ k: K.DictGeneric, entries: r.dictItems, i: 0, batch: 0 });
    if (r.listItems) this.tasks.push({ k: K.ListGeneric, items: r.listItems, i: 0, batch: 0 });
  }

  private objectReduction(o: PyObject): Reduction {
    let kind: Reduction["kind"] = "reduce";
    if (o.construction === "newobj_ex") kind = "newobj_ex";
    else if (o.construction === "newobj") {
      if (!(o.callable instanceof PyGlobal)) this.fail("a NEWOBJ construction needs a class (a PyGlobal)", o);
      kind = "newobj";
    }
    return {
      kind,
      callable: o.callable,
      args: o.args,
      kwargs: kind === "newobj_ex" ? (o.kwargs ?? new Map()) : undefined,
      state: o.state,
      listItems: o.listItems,
      dictItems: o.dictItems,
      memo: o,
    };
  }

  /** __reduce_ex__ of the standard-library values, as CPython's classes define it. */
  private stdlibReduction(v: object, key: object | string): Reduction | undefined {
    const memo = key;
    if ((v instanceof PyDateTime || v instanceof PyTime) && v.fold && this.proto < 4 && !this.options.allowFoldLoss) {
      this.fail(`fold=1 cannot be written at protocol ${this.proto} (protocols 0–3 have no place for it; use 4 or 5, or allowFoldLoss)`, v);
    }
    if (v instanceof PyDateTime) {
      const month = v.month + (v.fold && this.proto > 3 ? 128 : 0);
      const state = Uint8Array.of(v.year >> 8, v.year & 0xff, month, v.day, v.hour, v.minute, v.second, v.microsecond >> 16, (v.microsecond >> 8) & 0xff, v.microsecond & 0xff);
      const args: PyValue[] = [new FreshBytes(state) as unknown as PyValue];
      if (v.tzinfo !== null) args.push(v.tzinfo as PyValue);
      return { kind: "reduce", callable: G_DATETIME, args, memo };
    }
    if (v instanceof PyDate) {
      const state = Uint8Array.of(v.year >> 8, v.year & 0xff, v.month, v.day);
      return { kind: "reduce", callable: G_DATE, args: [new FreshBytes(state) as unknown as PyValue], memo };
    }
    if (v instanceof PyTime) {
      const hour = v.hour + (v.fold && this.proto > 3 ? 128 : 0);
      const state = Uint8Array.of(hour, v.minute, v.second, v.microsecond >> 16, (v.microsecond >> 8) & 0xff, v.microsecond & 0xff);
      const args: PyValue[] = [new FreshBytes(state) as unknown as PyValue];
      if (v.tzinfo !== null) args.push(v.tzinfo as PyValue);
      return { kind: "reduce", callable: G_TIME, args, memo };
    }
    if (v instanceof PyTimeDelta) {
      return { kind: "reduce", callable: G_TIMEDELTA, args: [BigInt(v.days), BigInt(v.seconds), BigInt(v.microseconds)], memo };
    }
    if (v instanceof PyTimezone) {
      const args: PyValue[] = [v.offset];
      if (v.name !== null) args.push(v.name);
      return { kind: "reduce", callable: G_TIMEZONE, args, memo };
    }
    if (v instanceof PyZoneInfo) {
      // ZoneInfo._unpickle is a bound classmethod: itself pickled as getattr(ZoneInfo, '_unpickle'),
      // a new method object (and a new name string) every time.
      const unpickle = new ReductionValue({ kind: "reduce", callable: G_GETATTR, args: [G_ZONEINFO, new FreshStr("_unpickle") as unknown as PyValue], memo: FRESH });
      return { kind: "reduce", callable: unpickle as unknown as PyValue, args: [v.key, 1n], memo };
    }
    if (v instanceof PyDecimal) {
      return { kind: "reduce", callable: G_DECIMAL, args: [new FreshStr(v.text) as unknown as PyValue], memo };
    }
    if (v instanceof PyUUID) {
      const state = new Map<PyValue, PyValue>([["int", v.int]]);
      if (v.isSafe !== null) state.set("is_safe", BigInt(v.isSafe));
      return { kind: "newobj", callable: G_UUID, args: [], state: new FreshDict(state) as unknown as PyValue, memo };
    }
    if (v instanceof PyComplex) {
      return { kind: "reduce", callable: G_COMPLEX, args: [v.real, v.imag], memo };
    }
    return undefined;
  }
}


/** The memo key of a global: one entry per `module.qualname`, however many PyGlobal objects name it. */
function globalKey(g: PyGlobal): string {
  return "global:" + g.qualifiedName;
}

/** CPython hands out one object for "" and each one-character Latin-1 string, however made. */
function isCachedStr(s: string): boolean {
  return s.length === 0 || (s.length === 1 && s.charCodeAt(0) < 256);
}

function u32Header(op: number, n: number): Uint8Array {
  const h = new Uint8Array(5);
  h[0] = op;
  new DataView(h.buffer).setUint32(1, n, true);
  return h;
}

function u64Header(op: number, n: number): Uint8Array {
  const h = new Uint8Array(9);
  h[0] = op;
  const view = new DataView(h.buffer);
  view.setUint32(1, n % 0x100000000, true);
  view.setUint32(5, Math.floor(n / 0x100000000), true);
  return h;
}

const scratch8 = new DataView(new ArrayBuffer(8));

/**
 * Minimal little-endian two's complement, as save_long computes it for LONG1/LONG4: the fewest
 * bytes whose top bit still carries the sign (so trailing 0x00 / 0xFF bytes that only repeat the
 * sign are dropped).
 */
export function twosComplement(v: bigint): Uint8Array {
  let bytes: Uint8Array;
  if (v >= -(1n << 63n) && v < 1n << 63n) {
    scratch8.setBigInt64(0, v, true);
    bytes = new Uint8Array(scratch8.buffer.slice(0));
  } else {
    const negative = v < 0n;
    const magnitudeHex = (negative ? -v : v).toString(16);
    const n = (magnitudeHex.length >> 1) + 2;
    let u = negative ? (1n << BigInt(8 * n)) + v : v;
    const hex = u.toString(16).padStart(2 * n, "0");
    bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = parseInt(hex.slice(2 * (n - 1 - i), 2 * (n - i)), 16);
    u = 0n;
  }
  let n = bytes.length;
  const fill = bytes[n - 1] === 0xff ? 0xff : 0;
  while (n > 1 && bytes[n - 1] === fill && (bytes[n - 2]! & 0x80) === (fill & 0x80)) n--;
  return bytes.subarray(0, n);
}

/** raw_unicode_escape as the pickler's own copy does it: also escapes \, \0, \n, \r and \x1a. */
function rawUnicodeEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x10000) out += "\\U" + cp.toString(16).padStart(8, "0");
    else if (cp >= 256 || cp === 0x5c || cp === 0 || cp === 0x0a || cp === 0x0d || cp === 0x1a) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out;
}
