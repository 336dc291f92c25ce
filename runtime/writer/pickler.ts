// The save loop: CPython's C pickler (Modules/_pickle.c: save, save_reduce, batch_list_exact, …)
// retold for the value model, so that the bytes are CPython's own. It runs on an explicit task stack
// instead of recursion: a value nested 100,000 levels deep is written without a deep JS stack.
// It builds on the direct-write API (direct-writer.ts: the shared output, memo and scalars, and the
// direct writing of naive datetimes); the standard library's reductions are in stdlib-reductions.ts.
import { PicklingError } from "../errors.ts";
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDateTime, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import { PyFloat } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { OP } from "../opcodes.ts";
import { withArticle } from "../format/indefinite-article.ts";
import { DirectWriter } from "./direct-writer.ts";
import { isCachedStr, moduleIdentity, nameIdentity, type StringIdentity } from "./global-names.ts";
import type { Sink } from "./output.ts";
import { BATCHSIZE, SAFE_LONG1_MAX, globalKey, refuse, u64Header, u32Header, writeLong1Halves } from "./pickle-writer.ts";
import { FRESH, FreshBytes, FreshDict, FreshList, FreshStr, FreshTuple, type MemoKey, NO_ARGS, type Reduction, ReductionValue, type SaveValue, isMadeValue } from "./reduction.ts";
import { G_GETATTR, bytearrayReduction, bytesReduction, frozensetReduction, orderedDictReduction, setReduction, stdlibReduction } from "./stdlib-reductions.ts";
import { numpyReduction } from "../numpy/reductions.ts";
import { globalLines } from "./text-global.ts";
import { findPath } from "./value-path.ts";
import type { WriteOptions } from "./write-options.ts";

export { StrSlot } from "./direct-writer.ts";
export { DEFAULT_PROTOCOL, HIGHEST_PROTOCOL, type WriteOptions } from "./write-options.ts";

// ---- tasks ----

// biome-ignore lint/suspicious/noConstEnum: local to this file, so every compiler inlines the task kinds as numbers in the loop's switch.
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
  | { k: K.Save; v: SaveValue; noPers?: boolean }
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

// copyreg's helpers: how object.__reduce_ex__ writes NEWOBJ below protocol 2.
// intRun's window on a bigint's low 64 bits: its two 32-bit halves, whichever the platform's byte order.
const INT64 = new BigInt64Array(1);
const INT64_HALVES = new Int32Array(INT64.buffer);
const LOW_HALF = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH_HALF = 1 - LOW_HALF;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const G_OBJECT = new PyGlobal("builtins", "object");
const G_RECONSTRUCTOR = new PyGlobal("copyreg", "_reconstructor");
const G_NEWOBJ = new PyGlobal("copyreg", "__newobj__");

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export class Pickler extends DirectWriter {
  private readonly tasks: Task[] = [];
  private root: PyValue = null;

  constructor(options: WriteOptions = {}, sink: Sink | null = null) {
    super(options, sink);
  }

  /** Writes one whole pickle of `value` (PROTO … STOP), all at once. */
  dump(value: PyValue): void {
    this.begin(value);
    while (!this.step());
    this.end();
  }

  /** Starts a pickle: PROTO, and the root value queued. */
  begin(value: PyValue): void {
    this.root = value;
    if (this.proto >= 2) this.writeProto();
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

  /** Saves one value of the model completely (the task loop, run until this value is written). */
  saveValue(v: PyValue): void {
    const base = this.tasks.length;
    this.tasks.push({ k: K.Save, v });
    this.run(base);
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
          this.save(t.v, t.noPers === true);
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

  private static save(v: SaveValue): Task {
    return { k: K.Save, v };
  }

  // ---- save ----

  private save(v: SaveValue, noPers: boolean): void {
    if (!noPers && this.options.persistentId && !isMadeValue(v)) {
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
        refuse("undefined cannot be pickled (use null for None)", v);
      case "function":
        refuse("a function cannot be pickled", v);
      case "symbol":
        refuse("a symbol cannot be pickled", v);
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
    if (v instanceof FreshList) return this.saveList(v.items, FRESH);
    if (v instanceof PyTuple) return this.saveTuple(v.items, v);
    if (v instanceof FreshTuple) return this.saveTuple(v.items, FRESH);
    if (v instanceof PyOrderedDict) return this.saveReduce(orderedDictReduction(v));
    if (v instanceof Map) return this.saveDict(v, v.size, v);
    if (v instanceof PyFrozenSet) return this.saveFrozenset(v);
    if (v instanceof Set) return this.saveSet(v);
    if (v instanceof PyBytearray) return this.saveBytearray(v);
    if (v instanceof PyGlobal) return this.saveGlobal(v);
    if (v instanceof PyObject) return this.saveReduce(this.objectReduction(v));
    if (v instanceof ReductionValue) return this.saveReduce(v.r);
    if (v instanceof PickleBuffer) return this.savePickleBuffer(v);
    if (v instanceof FreshDict) return this.saveDict(v.map, v.map.size, FRESH);
    const reduction = stdlibReduction(v, key, this.proto, this.options.allowFoldLoss === true) ?? numpyReduction(v, key, this.proto, this.options.numpy);
    if (reduction) return this.saveReduce(reduction);
    if (isPlainObject(v)) {
      const entries = Object.entries(v) as [PyValue, PyValue][];
      return this.saveDict(entries, entries.length, v);
    }
    const what = (v as object).constructor?.name ?? "object";
    refuse(`${withArticle(what)} cannot be pickled (not part of the value model)`, v);
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

  /**
   * Saves `v` now, `resume` (the task of the container it is in) to go on with once it is written:
   * what pushing both as tasks does, without a task object and a turn of the loop per value.
   */
  private saveThen(v: PyValue, resume: Task): void {
    this.tasks.push(resume);
    this.out.opcodeBoundary();
    this.save(v, false);
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
    if (typeof pid !== "string" || !/^[\x00-\x7f]*$/.test(pid)) refuse("persistent IDs in protocol 0 must be ASCII strings", pid);
    // The id is one text line: a newline would end it and the rest would be read as opcodes.
    if (pid.includes("\n")) refuse("a persistent ID in protocol 0 cannot hold a newline (the PERSID line would end there)", pid);
    this.out.ascii(`P${pid}\n`);
  }

  private saveBytes(b: Uint8Array, memo: MemoKey): void {
    if (this.proto < 3) {
      this.saveReduce(bytesReduction(b, memo));
      return;
    }
    let header: Uint8Array;
    if (b.length <= 0xff) header = Uint8Array.of(OP.SHORT_BINBYTES, b.length);
    else if (b.length <= 0xffffffff) header = u32Header(OP.BINBYTES, b.length);
    else if (this.proto >= 4) header = u64Header(OP.BINBYTES8, b.length);
    else refuse("serializing a bytes object larger than 4 GiB requires pickle protocol 4 or higher", b);
    this.out.headerAndPayload(header, b);
    this.memoPut(memo);
  }

  private saveBytearray(b: PyBytearray): void {
    if (this.proto < 5) {
      this.saveReduce(bytearrayReduction(b));
      return;
    }
    this.out.headerAndPayload(u64Header(OP.BYTEARRAY8, b.length), b);
    this.memoPut(b);
  }

  private savePickleBuffer(pb: PickleBuffer): void {
    if (this.proto < 5) refuse("PickleBuffer can only be pickled with protocol >= 5", pb);
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

  private saveTuple(items: readonly SaveValue[], memo: object | typeof FRESH): void {
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
      this.saveThen(item, t);
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
   * Consecutive ints of a batch that fit 64 bits, each as save_long writes it after its opcode
   * boundary, in one reservation, stopping where a boundary would commit the frame. False when the
   * first item is not such an int or the protocol is below 2 (nothing written). Each bigint is read
   * through a BigInt64Array as two 32-bit halves: `Number(v)` was a third of the ints encode, and two
   * comparisons with constant bigints (which allocate nothing) keep the read exact.
   */
  private intRun(t: ItemsTask): boolean {
    let v = t.items[t.i] as bigint;
    if (v < INT64_MIN || v > INT64_MAX || this.proto < 2) return false;
    const out = this.out;
    const items = t.items;
    out.opcodeBoundary();
    const room = out.frameRoom(); // bytes the frame takes before a boundary commits it
    const end = Math.min(items.length, t.i + BATCHSIZE - t.batch);
    const at = out.reserve(SAFE_LONG1_MAX * (end - t.i));
    const buf = out.buf;
    const view = out.view;
    let p = at;
    let i = t.i;
    for (;;) {
      INT64[0] = v;
      const lo = INT64_HALVES[LOW_HALF]!;
      const hi = INT64_HALVES[HIGH_HALF]!;
      if (hi === 0 && lo >= 0 && lo <= 0xff) {
        buf[p] = OP.BININT1;
        buf[p + 1] = lo;
        p += 2;
      } else if (hi === 0 && lo >= 0 && lo <= 0xffff) {
        buf[p] = OP.BININT2;
        buf[p + 1] = lo & 0xff;
        buf[p + 2] = lo >>> 8;
        p += 3;
      } else if ((hi === 0 && lo >= 0) || (hi === -1 && lo < 0)) {
        buf[p] = OP.BININT;
        view.setInt32(p + 1, lo, true);
        p += 5;
      } else {
        p = writeLong1Halves(buf, view, p, lo, hi);
      }
      i++;
      if (i === end || p - at >= room) break;
      const item = items[i];
      if (typeof item !== "bigint" || item < INT64_MIN || item > INT64_MAX) break;
      v = item;
    }
    out.pos = p;
    t.batch += i - t.i;
    t.i = i;
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
        this.saveThen(value, t);
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
      this.saveReduce(setReduction(set, items));
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
      this.saveReduce(frozensetReduction(set, items));
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
      if (!(code > 0 && code <= 0x7fffffff)) refuse(`extension code ${code} is out of range`, global);
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
    if ("refused" in lines) refuse(lines.refused, global);
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
      if (this.proto < 4)
        refuse("keyword arguments to __new__ need protocol 4 or higher (CPython writes a functools.partial form here that typed-pickle does not produce)", r.callable);
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
      if (!(o.callable instanceof PyGlobal)) refuse("a NEWOBJ construction needs a class (a PyGlobal)", o);
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
}
