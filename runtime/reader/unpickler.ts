// The pickle machine: one loop over the opcodes, a stack with MARK fences (as _pickle.c keeps it),
// and a memo. It never calls anything named by the pickle: globals resolve through an allowlist of
// our own handlers (strict mode), or are recorded as data (opaque mode, for dis/show/scan).
import { PyBytearray, PyFrozenSet, PyTuple } from "../model/containers.ts";
import { PickleBuffer, PyGlobal, PyObject, type Construction } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import { OP, opcodeName } from "../opcodes.ts";
import { PickleBudgetError, PickleTruncatedError, UnpicklingError } from "../errors.ts";
import { withArticle } from "../format/indefinite-article.ts";
import { allocUninitialized, hostView } from "../host-bytes.ts";
import { latin1Decode } from "../latin1.ts";
import { decodeUtf8, decodeUtf8Strict } from "../utf8.ts";
import { IMPORT_MAPPING, NAME_MAPPING } from "../compat-names.ts";
import { KeyCanon, typeName } from "./dict-keys.ts";
import { type BuildContext, type GlobalRegistry, KnownGlobal, isBuildable, SET_STATE } from "./globals.ts";
import { DEFAULT_LIMITS, type LimitOptions, type ReadLimits, measureDepth, smallValueDepth, withLimits } from "./limits.ts";
import { otherModuleHint } from "./module-hint.ts";
import { DEFAULT_GLOBALS } from "./default-globals.ts";
import { isPlainDict, newPlainDict } from "../model/plain-dict.ts";
import { type PlainValue, plainInt, plainMembers, redirectForwarded, toLossless } from "./plain-values.ts";
import { parseFloatLine, parseIndexLine, parseIntLine, parseLongLine, parseStringLine, parseUnicodeLine } from "./text-args.ts";
import { mayBeFetched, memoFetches } from "./memo-fetches.ts";

export interface ReadOptions {
  /** "strict" (default): only allowlisted globals. "opaque": any other global is recorded as data. */
  mode?: "strict" | "opaque" | undefined;
  /** The allowlist; defaults to the standard library's reductions and numpy's (DEFAULT_GLOBALS). */
  globals?: GlobalRegistry | undefined;
  /** How Python 2 `str` (STRING, BINSTRING, SHORT_BINSTRING) is decoded, as Python's `encoding`:
   *  "ASCII" (default, like CPython), "latin1", "utf-8", or "bytes" to keep them as bytes. */
  encoding?: "ASCII" | "latin1" | "utf-8" | "bytes" | undefined;
  /** Map Python 2 names (`__builtin__`, `copy_reg`, …) of protocols 0–2 to Python 3's. Default true. */
  fixImports?: boolean | undefined;
  /** Resolves PERSID / BINPERSID ids (Python's `persistent_load`). */
  persistentLoad?: ((pid: PyValue) => PyValue) | undefined;
  /** The copyreg extension registry for EXT1/2/4: code → [module, name]. */
  extensions?: ReadonlyMap<number, readonly [string, string]> | undefined;
  /**
   * bytes values as views of the input instead of copies: no copying, but each value shares the
   * input's memory (changing one changes the other, and keeps the whole input alive). Default false.
   */
  viewBytes?: boolean | undefined;
  /** Out-of-band buffers for NEXT_BUFFER (protocol 5), in order. */
  buffers?: Iterable<Uint8Array | PickleBuffer> | undefined;
  /** Raise or lower the reader's limits (DEFAULT_LIMITS); a field left undefined keeps its default. */
  limits?: LimitOptions | undefined;
}

const HIGHEST_PROTOCOL = 5;

const EMPTY_TUPLE = new PyTuple([]);
const EMPTY_TUPLE_ARRAY: readonly PyValue[] = Object.freeze([]);
/**
 * What the values a pickle makes cost in V8's heap (64-bit, measured), charged against the
 * allocation budget: a 1-byte EMPTY_DICT makes a ~190-byte Map, so the input's size alone does not
 * bound memory. Estimates, on the high side.
 */
const COST_LIST = 48;
const COST_MAP_OR_SET = 224;
const COST_TUPLE = 88;
const COST_SLOT = 8; // a list, tuple or stack slot
const COST_ENTRY = 64; // a dict or set entry
const COST_OBJECT = 128; // an instance a reduction made, or an opaque PyObject

/** Memo slots kept between the pickles of one input. */
const MEMO_KEPT = 4096;

/**
 * The memo starts with a slot per 8 input bytes (CPython memoizes a value every 7–12 bytes in
 * dict- and list-heavy pickles), at most 2^17 (1 MiB): growing it fourfold from a small start
 * allocated three arrays of up to 2 MiB per deep workload load, ~4 % of its time.
 */
const MEMO_START_MAX = 1 << 17;

/**
 * A pickle's opcodes are walked for the memo entries it fetches (see memo-fetches.ts) when its memo
 * reaches this many entries: a smaller memo costs the scavenger little, and pickles of numbers
 * (one list memoized) never pay for the walk.
 */
const MEMO_FETCHES_AFTER = 4096;

/** What the memo holds for a value no fetch of the input names (memo-fetches.ts): an entry, but no reference. */
const NOT_KEPT: PyValue = Object.freeze(Object.create(null)) as PyValue;

/** BigInt(0) … BigInt(255), made once: BININT1 is the commonest int opcode. */
const SMALL_INTS: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));

/** Loads that walked their result for maxDepth (a test checks that common pickles do not). */
export let depthWalks = 0;

/** Pickles whose memo kept only the values some fetch names (a test checks that big ones do). */
export let memoFetchWalks = 0;

/** Lists made at their exact size at APPENDS (a test checks that CPython's lists are). */
export let exactLists = 0;

/** The allowlist's own handlers: they make fresh values (nothing shared between calls). */
const DEFAULT_HANDLERS: ReadonlySet<unknown> = new Set(DEFAULT_GLOBALS.values());

/** Opcodes a number run (after a MARK) starts with. */
const STARTS_NUMBER_RUN = new Uint8Array(256);
for (const op of [OP.BINFLOAT, OP.BININT1, OP.BININT2, OP.BININT, OP.LONG1]) STARTS_NUMBER_RUN[op] = 1;

/**
 * What the reader builds: "lossless" (the PyValue model, `loads`) or "plain" (plain JavaScript,
 * `loadsPlain`: see plain-values.ts). The plain mode differs only where values are made.
 */
export type ValueModel = "lossless" | "plain";

/** Reads pickles from one buffer, one after another. The memo is reset for every pickle. */
export class Unpickler {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly end: number;
  /** Offset of the next byte to read. After `load()`, the first byte after the STOP. */
  pos = 0;
  /**
   * Where the buffer's first byte lies in the whole input (a stream reads through a window of it):
   * an offset a message names counts from the input's start, as the error's own offset does once
   * the stream has shifted it.
   */
  inputOffset = 0;

  private readonly opaque: boolean;
  private readonly registry: GlobalRegistry;
  private readonly limits: ReadLimits;
  private readonly options: ReadOptions;
  private readonly buffers: Iterator<Uint8Array | PickleBuffer> | undefined;
  private readonly viewBytes: boolean;
  private readonly plain: boolean;

  // Per-pickle state.
  private stack: PyValue[] = [];
  private fence = 0;
  private marks: number[] = [];
  // Exact-size lists (the section of that name below): the list EMPTY_LIST made last, the offset
  // after its opcode and the memo index it was put at; then, from its MARK, the same list while only
  // its stack slot and that memo entry hold it.
  private newList: PyValue[] | null = null;
  private newListEnd = -1;
  private newListIndex = -1;
  private soleList: PyValue[] | null = null;
  private soleListFence = -1;
  private soleListIndex = -1;
  private memo: PyValue[];
  /** Far memo indices (see memoPutBeyond); null until one is put. */
  private farMemo: Map<number, PyValue> | null = null;
  /** Entries put (distinct indices); MEMOIZE's index, as len(memo) in CPython. */
  private memoCount = 0;
  /** One past the highest index put in the array: what clearMemo empties. */
  private memoTop = 0;
  /** The memo indices some fetch of the input names, from the first pickle whose memo grew big (a walk of the whole input holds for every pickle in it); null: keep every value. */
  private fetched: Uint32Array | null = null;
  /** The walk of the whole input, made once for all its pickles (undefined: not yet). */
  private inputFetches: Uint32Array | null | undefined = undefined;
  private proto = 0;
  /** Offset where the current FRAME ends; -1 outside frames. */
  private frameEnd = -1;
  protected opStart = 0;
  protected op = 0;
  private containers = 0;
  /**
   * An upper bound of the depth (as measureDepth counts it) of the object in each stack slot,
   * valid where the slot holds an object: 1 for a new container, 1 + its children's for a
   * container they were attached to, Infinity for a value that may be shared (a memo fetch, a DUP,
   * anything else `push` is given). load() walks the result only when this bound is over maxDepth.
   */
  private heights: number[] = [];
  /** Set when an object that may be shared was made deeper: every bound then is in doubt. */
  private heightsUnsure = false;
  /** The bound of the value STOP returns. */
  private rootHeight = 0;
  /** The bound of the value call()/construct() just returned. */
  private madeHeight = 0;
  /** The bound of the callable and arguments of the reduction being made. */
  private inputHeight = 0;
  private allocated = 0;
  private keyCanon: KeyCanon | null = null;
  /** Plain mode: the arrays that are tuples (they refuse APPEND; keys and reductions get PyTuples). */
  private tupleArrays: Set<unknown> | null = null;
  /** Plain mode: dict objects that became Maps when a non-str key came, and their Maps. */
  private forwarded: Map<object, Map<PlainValue, PlainValue>> | null = null;
  /** Plain mode: pairs set on dict objects in this pickle (see setItemsPlain). */
  private plainPairs = 0;
  private readonly allocationBudget: number;
  private madeContext: BuildContext | null = null;

  constructor(data: Uint8Array, options: ReadOptions = {}, model: ValueModel = "lossless") {
    // Under Node, a Buffer view of the same memory (no copy): Node decodes strings from it in C++.
    this.data = hostView(data);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.end = data.length;
    this.options = options;
    this.opaque = options.mode === "opaque";
    this.registry = options.globals ?? DEFAULT_GLOBALS;
    this.limits = withLimits(DEFAULT_LIMITS, options.limits);
    this.buffers = options.buffers?.[Symbol.iterator]();
    this.viewBytes = options.viewBytes === true;
    this.plain = model === "plain";
    this.allocationBudget = this.limits.allocationFactor * data.length + (1 << 20);
    // Sized from the input once; pickle after pickle reuse it (cleared).
    this.memo = new Array(Math.min(Math.max(16, data.length >> 3), MEMO_START_MAX));
  }

  /** What handlers are given; made at the first reduction (an accessor and four closures per loads was most of a small pickle's setup). */
  private get context(): BuildContext {
    if (this.madeContext !== null) return this.madeContext;
    const reader = this;
    this.madeContext = {
      opaque: this.opaque,
      get protocol() {
        return reader.proto;
      },
      charge: (bytes) => this.charge(bytes),
      dictSet: (dict, key, value) => this.keys.dictSet(dict, key, value),
      setAdd: (set, item) => this.keys.setAdd(set, item),
      construct: (who, cls, args, kwargs) => this.construct(who, cls, args, kwargs, "newobj"),
    };
    return this.madeContext;
  }

  /** True when bytes remain after the last pickle read. */
  get hasMore(): boolean {
    return this.pos < this.end;
  }

  /** Reads one pickle, through its STOP opcode. */
  load(): PyValue {
    if (this.pos >= this.end) throw new PickleTruncatedError("Ran out of input", this.pos);
    try {
      let value = this.run();
      if (this.forwarded !== null) value = redirectForwarded(value as PlainValue, this.forwarded) as PyValue;
      const bound = this.heightsUnsure ? Infinity : this.rootHeight;
      // An unknown bound keeps the old, cheaper test (a walk only after more containers than the limit).
      if (bound > this.limits.maxDepth && (bound !== Infinity || this.containers > this.limits.maxDepth)) {
        depthWalks++;
        const depth = measureDepth(value, this.limits.maxDepth);
        if (depth > this.limits.maxDepth) {
          throw new UnpicklingError(`nesting depth exceeds the limit of ${this.limits.maxDepth} (limits.maxDepth)`, this.opStart, "STOP");
        }
      }
      return value;
    } catch (e) {
      // A handler's own UnpicklingError subclass gets the place it was raised at.
      if (e instanceof UnpicklingError) throw e.offset < 0 ? new (e.constructor as typeof UnpicklingError)(e.reason, this.opStart, opcodeName(this.op), { cause: e.cause }) : e;
      const message = e instanceof Error ? e.message : String(e);
      throw new UnpicklingError(message, this.opStart, opcodeName(this.op), { cause: e });
    } finally {
      this.resetState();
    }
  }

  /** After each pickle (the fields start out so): nothing of the last pickle stays reachable. */
  private resetState(): void {
    if (this.stack.length > 0) this.stack = [];
    this.fence = 0;
    this.frameEnd = -1;
    if (this.marks.length > 0) this.marks = [];
    this.clearMemo();
    this.proto = 0;
    this.containers = 0;
    this.heightsUnsure = false;
    this.keyCanon = null;
    this.tupleArrays = null;
    this.forwarded = null;
    this.plainPairs = 0;
    this.newList = this.soleList = null;
  }

  /** Python's key equality for dicts and sets, made on first use (most small pickles have no keys to canonicalise). */
  private get keys(): KeyCanon {
    return (this.keyCanon ??= new KeyCanon((bytes) => this.charge(bytes)));
  }

  private fail(reason: string): never {
    throw new UnpicklingError(reason, this.opStart, opcodeName(this.op));
  }

  private truncated(): never {
    throw new PickleTruncatedError("pickle data was truncated", this.opStart, this.op < 0 ? "" : opcodeName(this.op));
  }

  private charge(bytes: number): void {
    this.allocated += bytes;
    if (this.allocated > this.allocationBudget) {
      throw new PickleBudgetError(`allocation exceeds ${this.limits.allocationFactor}× the input size (limits.allocationFactor)`, this.opStart, opcodeName(this.op));
    }
  }

  // ---- input ----

  private need(n: number): number {
    const at = this.pos;
    if (n > this.end - at) this.truncated();
    if (at < this.frameEnd && n > this.frameEnd - at) this.overrunFrame();
    this.pos = at + n;
    return at;
  }

  /**
   * A read that starts inside the current FRAME must end inside it (a read that starts at its end
   * is unframed). CPython's Python unpickler and its C one reading a file refuse such a pickle;
   * `pickle.loads` of bytes happens to accept it. Refused here, whatever the entry point.
   */
  private overrunFrame(): never {
    this.fail(`${opcodeName(this.op)} crosses the end of its FRAME at offset ${this.inputOffset + this.frameEnd} (pickle exhausted before end of frame)`);
  }

  private u8(): number {
    return this.data[this.need(1)]!;
  }

  private u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  private u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  private i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  /** An 8-byte length: refused when it exceeds what the input still holds, before any allocation. */
  private u64Length(): number {
    const at = this.need(8);
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    if (hi >= 0x200000) this.truncated();
    return hi * 0x100000000 + lo;
  }

  private bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.subarray(at, at + n);
  }

  /** A text line without its "\n". */
  private line(): Uint8Array {
    const nl = this.data.indexOf(0x0a, this.pos);
    if (nl < 0) this.truncated();
    const start = this.pos;
    if (start < this.frameEnd && nl >= this.frameEnd) this.overrunFrame();
    this.pos = nl + 1;
    return this.data.subarray(start, nl);
  }

  // ---- stack ----

  /** Pushes a scalar (None, bool, int, float, str). An object goes through pushWithHeight or pushShared. */
  protected push(v: PyValue): void {
    this.stack.push(v);
  }

  /** Pushes a value whose depth is at most `height` (0 for bytes). */
  private pushWithHeight(v: PyValue, height: number): void {
    this.push(v);
    this.setHeight(this.stack.length - 1, height);
  }

  /** Pushes a value that may be shared (a memo fetch, a DUP, a persistent id's value): its bound is unknown. */
  private pushShared(v: PyValue): void {
    if (v === this.soleList) this.soleList = null; // a second holder: it must stay the same object
    this.pushWithHeight(v, Infinity);
  }

  /**
   * A plain array, filled up to `at` (no holes): a Float64Array grown by copies cost ~100 ms more
   * for 290k pushed dicts (each new backing store is external memory that makes V8 collect early).
   * Slots past its end hold bound 1 (the commonest, a new container), so it does not grow for them:
   * a million empty lists on the stack kept 8+ MiB of bounds otherwise. Every object pushed below
   * its end is written, so nothing stale is read.
   */
  private setHeight(at: number, height: number): void {
    const heights = this.heights;
    if (at < heights.length) {
      heights[at] = height;
      return;
    }
    if (height === 1) return;
    while (heights.length < at) heights.push(1);
    heights.push(height);
  }

  /** The bound of the object in stack slot `at`. */
  private objectHeight(at: number): number {
    return at < this.heights.length ? this.heights[at]! : 1;
  }

  /** The bound of the value in stack slot `at` (0 for a scalar). */
  private heightAt(at: number): number {
    const v = this.stack[at];
    return typeof v === "object" && v !== null ? this.objectHeight(at) : 0;
  }

  /** The highest bound among stack slots [from, to). */
  private heightOfRange(from: number, to: number): number {
    let deepest = 0;
    for (let i = from; i < to; i++) {
      const h = this.heightAt(i);
      if (h > deepest) deepest = h;
    }
    return deepest;
  }

  /** Children with bound `childHeight` were attached to the object in slot `at`. */
  private attached(at: number, childHeight: number): void {
    const h = this.objectHeight(at);
    // Made deeper while it may be shared: the bounds of whatever else holds it are stale.
    if (h === Infinity && childHeight > 0) this.heightsUnsure = true;
    if (childHeight + 1 > h) this.setHeight(at, childHeight + 1);
  }

  private pop(): PyValue {
    if (this.stack.length <= this.fence) this.underflow();
    return this.stack.pop()!;
  }

  private top(): PyValue {
    if (this.stack.length <= this.fence) this.underflow();
    return this.stack[this.stack.length - 1]!;
  }

  private underflow(): never {
    this.fail(this.marks.length > 0 ? "unexpected MARK found" : "unpickling stack underflow");
  }

  /** Pops the topmost MARK, leaving its items on the stack; returns where they start. */
  private closeMark(): number {
    if (this.marks.length === 0) this.fail("could not find MARK");
    const start = this.fence;
    if (start === this.soleListFence) this.soleList = null;
    this.fence = this.marks.pop()!;
    return start;
  }

  /** Pops the topmost MARK and everything above it; returns the items above it. */
  private popMark(): PyValue[] {
    if (this.marks.length === 0) this.fail("could not find MARK");
    const start = this.fence;
    if (start === this.soleListFence) this.soleList = null;
    const items = this.stack.slice(start);
    truncate(this.stack, start);
    this.fence = this.marks.pop()!;
    return items;
  }

  private checkItems(n: number): void {
    if (n > this.limits.maxContainerItems) {
      this.fail(`container has more than ${this.limits.maxContainerItems} items (limits.maxContainerItems)`);
    }
  }

  // ---- memo ----
  //
  // A dense array for the indices CPython writes (0, 1, 2, … in order) and a Map for any index far
  // beyond the entries put so far. The array only grows to a few times the number of entries, so
  // an index of 2^30 costs one Map entry: a hand-made BINPUT can never make the array sparse (V8
  // then turns it into a slow dictionary, and growing it copies every hole).

  private memoGet(index: number): void {
    const v = index < this.memo.length ? this.memo[index] : this.farMemo?.get(index);
    if (v === undefined) this.fail(`Memo value not found at index ${index}`);
    if (v === NOT_KEPT) this.fail(`internal error: memo index ${index} was fetched but memo-fetches.ts did not see it`);
    // A global cannot change: its bound stays 1 (CPython fetches a class from the memo once per instance).
    if (v instanceof PyGlobal) this.pushWithHeight(v, 1);
    else this.pushShared(this.forwarded === null ? v : ((this.forwarded.get(v as object) as PyValue | undefined) ?? v));
  }

  private memoPut(index: number): void {
    if (this.stack.length <= this.fence) this.underflow();
    const value = this.stack[this.stack.length - 1]!;
    if (value === this.newList) this.newListIndex = index;
    const memo = this.memo;
    // index < length first: reading past an array's end is slow in V8 (and MEMOIZE often does).
    if (index < memo.length) {
      if (memo[index] === undefined) this.countMemoEntry();
      if (index >= this.memoTop) this.memoTop = index + 1;
      memo[index] = this.kept(index, value);
    } else {
      this.memoPutBeyond(index, value);
    }
  }

  private countMemoEntry(): void {
    if (++this.memoCount > this.limits.maxMemo) this.fail(`memo holds more than ${this.limits.maxMemo} entries (limits.maxMemo)`);
    if (this.memoCount === MEMO_FETCHES_AFTER) this.keepOnlyFetched();
  }

  /** From now on the memo keeps only values some fetch names: the entries so far are dropped too. */
  private keepOnlyFetched(): void {
    if (this.inputFetches === undefined) this.inputFetches = memoFetches(this.data);
    const fetched = this.inputFetches;
    if (fetched === null) return;
    memoFetchWalks++;
    this.fetched = fetched;
    const memo = this.memo;
    for (let i = 0; i < this.memoTop; i++) if (memo[i] !== undefined && !mayBeFetched(fetched, i)) memo[i] = NOT_KEPT;
    if (this.farMemo !== null) for (const i of this.farMemo.keys()) if (!mayBeFetched(fetched, i)) this.farMemo.set(i, NOT_KEPT);
  }

  /** What the memo holds at `index` for `value`. */
  private kept(index: number, value: PyValue): PyValue {
    return this.fetched === null || mayBeFetched(this.fetched, index) ? value : NOT_KEPT;
  }

  /** A put at or past the dense array's end: grow the array when the index is near, else the Map. */
  private memoPutBeyond(index: number, value: PyValue): void {
    const reach = 4 * this.memoCount + MEMO_KEPT;
    if (index >= reach) {
      const far = (this.farMemo ??= new Map());
      if (!far.has(index)) this.countMemoEntry();
      far.set(index, this.kept(index, value));
      return;
    }
    // Grown fourfold (an array grown entry by entry costs more than the reading it serves), but
    // never past a few times the entries: the array's size stays proportional to the input read.
    const old = this.memo;
    const size = Math.max(index + 1, Math.min(4 * old.length, reach));
    this.charge(8 * (size - old.length));
    const grown = new Array(size);
    for (let i = 0; i < this.memoTop; i++) grown[i] = old[i];
    this.memo = grown;
    const far = this.farMemo;
    if (far !== null) {
      // Far entries the array now covers move into it, so each index lives in one place.
      for (const [i, v] of far) {
        if (i < size) {
          grown[i] = v;
          far.delete(i);
          if (i >= this.memoTop) this.memoTop = i + 1;
        }
      }
    }
    if (grown[index] === undefined) this.countMemoEntry();
    if (index >= this.memoTop) this.memoTop = index + 1;
    grown[index] = this.kept(index, value);
  }

  /** Empties the memo for the next pickle, keeping the array (cleared) for reuse. */
  private clearMemo(): void {
    if (this.memo.length > MEMO_KEPT) this.memo = new Array(MEMO_KEPT);
    else this.memo.fill(undefined as unknown as PyValue, 0, this.memoTop);
    this.memoTop = 0;
    this.memoCount = 0;
    this.farMemo = null;
  }

  // ---- the loop ----

  private run(): PyValue {
    const data = this.data;
    for (;;) {
      this.opStart = this.pos;
      if (this.pos >= this.end) {
        this.op = -1;
        this.truncated();
      }
      const op = data[this.pos++]!;
      this.op = op;
      // Literal case labels (named in comments, from runtime/opcodes.ts) compile to a jump table.
      switch (op) {
        case 0x80 /* PROTO */: {
          const proto = this.u8();
          if (proto > HIGHEST_PROTOCOL) this.fail(`unsupported pickle protocol: ${proto}`);
          this.proto = proto;
          break;
        }
        case 0x95 /* FRAME */: {
          const length = this.u64Length();
          if (this.pos < this.frameEnd) this.fail("beginning of a new frame before end of current frame");
          if (length > this.end - this.pos) this.truncated();
          this.frameEnd = this.pos + length;
          break;
        }
        case 0x2e /* STOP */: {
          if (this.stack.length <= this.fence) this.underflow();
          this.rootHeight = this.heightAt(this.stack.length - 1);
          return this.stack.pop()!;
        }

        // numbers
        case 0x4e /* NONE */:
          this.push(null);
          break;
        case 0x88 /* NEWTRUE */:
          this.push(true);
          break;
        case 0x89 /* NEWFALSE */:
          this.push(false);
          break;
        case 0x4b /* BININT1 */:
          this.push(this.plain ? this.u8() : SMALL_INTS[this.u8()]!);
          break;
        case 0x4d /* BININT2 */:
          this.push(this.plain ? this.u16() : BigInt(this.u16()));
          break;
        case 0x4a /* BININT */:
          this.push(this.plain ? this.i32() : BigInt(this.i32()));
          break;
        case 0x8a /* LONG1 */:
          this.push(this.signedLittleEndian(this.u8()));
          break;
        case 0x8b /* LONG4 */: {
          const n = this.i32();
          if (n < 0) this.fail("LONG pickle has negative byte count");
          this.push(this.signedLittleEndian(n));
          break;
        }
        case 0x49 /* INT */: {
          const line = this.line();
          if (line.length < 1) this.truncated();
          const v = parseIntLine(line, this.limits.maxIntDigits);
          this.push(this.plain && typeof v === "bigint" ? plainInt(v) : v);
          break;
        }
        case 0x4c /* LONG */: {
          const line = this.line();
          if (line.length < 1) this.truncated();
          const v = parseLongLine(line, this.limits.maxIntDigits);
          this.push(this.plain ? plainInt(v) : v);
          break;
        }
        case 0x47 /* BINFLOAT */:
          this.push(this.view.getFloat64(this.need(8), false));
          break;
        case 0x46 /* FLOAT */: {
          const line = this.line();
          if (line.length < 1) this.truncated();
          this.push(parseFloatLine(line));
          break;
        }

        // strings and bytes
        case 0x8c /* SHORT_BINUNICODE */:
          this.push(this.utf8(this.u8()));
          break;
        case 0x58 /* BINUNICODE */:
          this.push(this.utf8(this.u32()));
          break;
        case 0x8d /* BINUNICODE8 */:
          this.push(this.utf8(this.u64Length()));
          break;
        case 0x56 /* UNICODE */:
          this.push(parseUnicodeLine(this.line()));
          break;
        case 0x43 /* SHORT_BINBYTES */:
          this.pushWithHeight(this.copyBytes(this.u8()), 0);
          break;
        case 0x42 /* BINBYTES */:
          this.pushWithHeight(this.copyBytes(this.u32()), 0);
          break;
        case 0x8e /* BINBYTES8 */:
          this.pushWithHeight(this.copyBytes(this.u64Length()), 0);
          break;
        case 0x96 /* BYTEARRAY8 */: {
          const n = this.u64Length();
          const payload = this.bytes(n); // checked to be there before anything is allocated
          this.charge(n);
          const b = new PyBytearray(n);
          b.set(payload);
          this.pushWithHeight(b, 0);
          break;
        }
        case 0x55 /* SHORT_BINSTRING */:
          this.pushWithHeight(this.py2String(this.bytes(this.u8())), 0); // bytes with encoding="bytes"
          break;
        case 0x54 /* BINSTRING */: {
          const n = this.i32();
          if (n < 0) this.fail("BINSTRING pickle has negative byte count");
          this.pushWithHeight(this.py2String(this.bytes(n)), 0);
          break;
        }
        case 0x53 /* STRING */:
          this.pushWithHeight(this.py2String(parseStringLine(this.line())), 0);
          break;

        // containers
        case 0x5d /* EMPTY_LIST */: {
          this.containers++;
          this.charge(COST_LIST);
          const list: PyValue[] = [];
          this.newList = list;
          this.newListEnd = this.pos;
          this.newListIndex = -1;
          this.pushWithHeight(list, 1);
          break;
        }
        case 0x7d /* EMPTY_DICT */:
          this.containers++;
          this.charge(COST_MAP_OR_SET);
          this.pushWithHeight(this.plain ? (newPlainDict() as unknown as PyValue) : new Map(), 1);
          break;
        case 0x8f /* EMPTY_SET */:
          this.containers++;
          this.charge(COST_MAP_OR_SET);
          this.pushWithHeight(new Set(), 1);
          break;
        case 0x29 /* EMPTY_TUPLE */:
          // One object, as CPython's () is (plain mode: one frozen empty array, so a pickle of
          // a million `)` costs a stack slot each, not an array each).
          this.pushWithHeight(this.plain ? this.plainTuple(EMPTY_TUPLE_ARRAY as PyValue[]) : EMPTY_TUPLE, 1);
          break;
        case 0x6c /* LIST */: {
          const height = this.heightOfRange(this.fence, this.stack.length) + 1;
          const items = this.popMark();
          this.checkItems(items.length);
          this.containers++;
          this.charge(COST_LIST + COST_SLOT * items.length);
          this.pushWithHeight(items, height);
          break;
        }
        case 0x74 /* TUPLE */: {
          const height = this.heightOfRange(this.fence, this.stack.length) + 1;
          this.pushTuple(this.popMark(), height);
          break;
        }
        case 0x85 /* TUPLE1 */: {
          const height = this.heightOfRange(this.stack.length - 1, this.stack.length) + 1;
          const a = this.pop();
          this.pushTuple([a], height);
          break;
        }
        case 0x86 /* TUPLE2 */: {
          const height = this.heightOfRange(this.stack.length - 2, this.stack.length) + 1;
          const b = this.pop();
          const a = this.pop();
          this.pushTuple([a, b], height);
          break;
        }
        case 0x87 /* TUPLE3 */: {
          const height = this.heightOfRange(this.stack.length - 3, this.stack.length) + 1;
          const c = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.pushTuple([a, b, c], height);
          break;
        }
        case 0x64 /* DICT */: {
          const height = this.heightOfRange(this.fence, this.stack.length) + 1;
          const items = this.popMark();
          if (items.length % 2 !== 0) this.fail("odd number of items for DICT");
          this.checkItems(items.length / 2);
          this.charge(COST_MAP_OR_SET + (COST_ENTRY * items.length) / 2);
          this.containers++;
          if (this.plain) {
            const dict = newPlainDict() as unknown as PyValue;
            this.pushWithHeight(dict, height);
            this.setItemsPlain(this.stack.length - 1, dict, items, 0, items.length);
            break;
          }
          const dict = new Map<PyValue, PyValue>();
          for (let i = 0; i < items.length; i += 2) this.keys.dictSet(dict, items[i]!, items[i + 1]!);
          this.pushWithHeight(dict, height);
          break;
        }
        case 0x91 /* FROZENSET */: {
          const height = this.heightOfRange(this.fence, this.stack.length) + 1;
          const items = this.popMark();
          this.checkItems(items.length);
          this.charge(COST_MAP_OR_SET + COST_ENTRY * items.length);
          const set = new PyFrozenSet();
          for (const item of items) this.keys.setAdd(set, this.keyOf(item));
          this.containers++;
          this.pushWithHeight(set, height);
          break;
        }
        case 0x61 /* APPEND */: {
          const height = this.heightOfRange(this.stack.length - 1, this.stack.length);
          const value = this.pop();
          this.appendTo(this.top(), [value]);
          this.attached(this.stack.length - 1, height);
          break;
        }
        case 0x65 /* APPENDS */: {
          const sole = this.fence === this.soleListFence ? this.soleList : null; // closing its MARK ends it
          const start = this.closeMark();
          const stack = this.stack;
          if (start < 1 || start <= this.fence) this.underflow();
          const target = stack[start - 1]!;
          const height = this.heightOfRange(start, stack.length);
          if (target === sole && sole !== null) {
            this.checkItems(stack.length - start);
            this.charge(COST_SLOT * (stack.length - start));
            this.replaceSoleList(sole, stack.slice(start));
            truncate(stack, start);
          } else if (Array.isArray(target) && !this.isPlainTuple(target)) {
            // The common case, straight from the stack: no intermediate array.
            this.checkItems(target.length + stack.length - start);
            this.charge(COST_SLOT * (stack.length - start));
            for (let i = start; i < stack.length; i++) target.push(stack[i]!);
            truncate(stack, start);
          } else {
            const items = stack.slice(start);
            truncate(stack, start);
            if (items.length > 0) this.appendTo(target, items); // an empty MARK … APPENDS touches nothing (do_append)
          }
          this.attached(start - 1, height);
          break;
        }
        case 0x73 /* SETITEM */: {
          const height = this.heightOfRange(this.stack.length - 2, this.stack.length);
          const value = this.pop();
          const key = this.pop();
          this.setItemsOn(this.top(), [key, value]);
          this.attached(this.stack.length - 1, height);
          break;
        }
        case 0x75 /* SETITEMS */: {
          const start = this.closeMark();
          const stack = this.stack;
          if (start < 1 || start <= this.fence) {
            truncate(stack, start);
            this.underflow();
          }
          if ((stack.length - start) % 2 !== 0) this.fail("odd number of items for SETITEMS");
          const target = stack[start - 1]!;
          const height = this.heightOfRange(start, stack.length);
          if (target instanceof Map && !this.plain) {
            // The common case, straight from the stack: no intermediate array.
            this.checkItems(target.size + (stack.length - start) / 2);
            this.charge((COST_ENTRY * (stack.length - start)) / 2);
            for (let i = start; i < stack.length; i += 2) {
              const key = stack[i]!;
              // A str key needs no canonical id (dictSet's first case), so no call.
              if (typeof key === "string") target.set(key, stack[i + 1]!);
              else this.keys.dictSet(target, key, stack[i + 1]!);
            }
            truncate(stack, start);
          } else if (this.plain && (isPlainDict(target) || target instanceof Map)) {
            this.charge((COST_ENTRY * (stack.length - start)) / 2);
            this.setItemsPlain(start - 1, target, stack, start, stack.length);
            truncate(stack, start);
          } else {
            const items = stack.slice(start);
            truncate(stack, start);
            if (items.length > 0) this.setItemsOn(target, items); // nothing to set: any target (do_setitems)
          }
          this.attached(start - 1, height);
          break;
        }
        case 0x90 /* ADDITEMS */: {
          const height = this.heightOfRange(this.fence, this.stack.length);
          const items = this.popMark();
          if (this.stack.length < 1 || this.stack.length <= this.fence) this.underflow();
          if (items.length === 0) break; // nothing to add: any target (load_additems)
          const set = this.stack[this.stack.length - 1]!;
          if (!(set instanceof Set) || set instanceof PyFrozenSet) this.fail(`ADDITEMS needs a set, got ${this.pyType(set)}`);
          this.checkItems(set.size + items.length);
          this.charge(COST_ENTRY * items.length);
          for (const item of items) this.keys.setAdd(set, this.keyOf(item));
          this.attached(this.stack.length - 1, height);
          break;
        }

        // stack and memo
        case 0x28 /* MARK */:
          this.marks.push(this.fence);
          this.fence = this.stack.length;
          if (this.newList !== null) this.markAfterNewList();
          if (STARTS_NUMBER_RUN[data[this.pos]!] === 1) this.numberRun();
          break;
        case 0x30 /* POP */:
          if (this.stack.length > this.fence) this.stack.pop();
          else if (this.marks.length > 0) this.popMark();
          else this.underflow();
          break;
        case 0x31 /* POP_MARK */:
          this.popMark();
          break;
        case 0x32 /* DUP */:
          this.pushShared(this.top());
          break;
        case 0x68 /* BINGET */:
          this.memoGet(this.u8());
          break;
        case 0x6a /* LONG_BINGET */:
          this.memoGet(this.u32());
          break;
        case 0x67 /* GET */:
          this.memoGet(this.decimalIndex());
          break;
        case 0x71 /* BINPUT */:
          this.memoPut(this.u8());
          break;
        case 0x72 /* LONG_BINPUT */:
          this.memoPut(this.u32());
          break;
        case 0x70 /* PUT */:
          this.memoPut(this.decimalIndex());
          break;
        case 0x94 /* MEMOIZE */:
          this.memoPut(this.memoCount);
          break;

        // globals and objects
        case 0x63 /* GLOBAL */: {
          const module = this.nameLine();
          const name = this.nameLine();
          this.pushWithHeight(this.findClass(module, name), 1);
          break;
        }
        case 0x93 /* STACK_GLOBAL */: {
          const name = this.pop();
          const module = this.pop();
          if (typeof name !== "string" || typeof module !== "string") this.fail("STACK_GLOBAL requires str");
          this.pushWithHeight(this.findClass(module, name), 1);
          break;
        }
        case 0x52 /* REDUCE */: {
          this.inputHeight = this.heightOfRange(this.stack.length - 2, this.stack.length);
          const args = this.pop();
          const callable = this.pop();
          const items = this.tupleItems(args);
          if (items === null) this.fail(`REDUCE argument must be a tuple, not ${this.pyType(args)}`);
          this.pushMade(this.call(callable, items, "reduce"));
          break;
        }
        case 0x81 /* NEWOBJ */: {
          this.inputHeight = this.heightOfRange(this.stack.length - 2, this.stack.length);
          const args = this.pop();
          const cls = this.pop();
          if (!this.isClassArgument(cls)) this.fail("NEWOBJ class argument isn't a type object");
          const items = this.tupleItems(args);
          if (items === null) this.fail("NEWOBJ expected an arg tuple.");
          this.pushMade(this.construct("NEWOBJ", cls, this.handlerArgs(cls, items), null, "newobj"));
          break;
        }
        case 0x92 /* NEWOBJ_EX */: {
          this.inputHeight = this.heightOfRange(this.stack.length - 3, this.stack.length);
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!this.isClassArgument(cls)) this.fail("NEWOBJ_EX class argument must be a type");
          const items = this.tupleItems(args);
          if (items === null) this.fail(`NEWOBJ_EX args argument must be a tuple, not ${this.pyType(args)}`);
          if (!(kwargs instanceof Map) && !isPlainDict(kwargs)) this.fail(`NEWOBJ_EX kwargs argument must be a dict, not ${this.pyType(kwargs)}`);
          this.pushMade(
            this.construct(
              "NEWOBJ_EX",
              cls,
              this.handlerArgs(cls, items),
              this.plain ? (this.lossless(kwargs) as Map<PyValue, PyValue>) : (kwargs as Map<PyValue, PyValue>),
              "newobj_ex",
            ),
          );
          break;
        }
        case 0x69 /* INST */: {
          const module = this.nameLine();
          const name = this.nameLine();
          this.inputHeight = Math.max(1, this.heightOfRange(this.fence, this.stack.length) + 1); // the class, the args as a tuple
          const args = this.popMark();
          this.pushMade(this.call(this.findClass(module, name), args, "inst"));
          break;
        }
        case 0x6f /* OBJ */: {
          this.inputHeight = this.heightOfRange(this.fence, this.stack.length) + 1; // the args as a tuple
          const items = this.popMark();
          if (items.length < 1) this.underflow();
          this.pushMade(this.call(items[0]!, items.slice(1), "obj"));
          break;
        }
        case 0x62 /* BUILD */: {
          const height = this.heightOfRange(this.stack.length - 1, this.stack.length);
          const state = this.pop();
          this.build(this.top(), state, height);
          break;
        }
        case 0x82 /* EXT1 */:
          this.pushWithHeight(this.extension(this.u8()), 1);
          break;
        case 0x83 /* EXT2 */:
          this.pushWithHeight(this.extension(this.u16()), 1);
          break;
        case 0x84 /* EXT4 */:
          this.pushWithHeight(this.extension(this.i32()), 1);
          break;

        // persistent ids and out-of-band buffers
        case 0x50 /* PERSID */: {
          const line = this.line();
          for (const b of line) if (b >= 0x80) this.fail("persistent IDs in protocol 0 must be ASCII strings");
          this.pushShared(this.persistent(latin1Decode(line)));
          break;
        }
        case 0x51 /* BINPERSID */:
          this.pushShared(this.persistent(this.pop()));
          break;
        case 0x97 /* NEXT_BUFFER */: {
          if (!this.buffers) this.fail("pickle stream refers to out-of-band data but no *buffers* argument was given");
          const next = this.buffers.next();
          if (next.done) this.fail("not enough out-of-band buffers");
          this.pushShared(next.value instanceof PickleBuffer ? next.value : new PickleBuffer(next.value, false));
          break;
        }
        case 0x98 /* READONLY_BUFFER */: {
          const buf = this.pop();
          if (buf instanceof PickleBuffer) this.pushShared(buf.readonly ? buf : new PickleBuffer(buf.data, true));
          else if (buf instanceof Uint8Array) this.pushShared(buf instanceof PyBytearray ? new PickleBuffer(buf, true) : buf);
          else this.fail(`a bytes-like object is required, not '${this.pyType(buf)}'`);
          break;
        }
        default: {
          const shown = op >= 0x20 && op < 0x7f && op !== 0x27 && op !== 0x5c ? String.fromCharCode(op) : `\\x${op.toString(16).padStart(2, "0")}`;
          this.fail(`invalid load key, '${shown}'.`);
        }
      }
    }
  }

  // ---- exact-size lists ----
  //
  // A JS array pushed from empty has room for 17 items, and CPython's lists are mostly short (a
  // record's tags, deep's triples): that slack was much of a decode's young garbage, copied by every
  // scavenge. An array cannot be shrunk in place, so a list that no one else can hold yet is
  // replaced by an exact-size array of its items at APPENDS. CPython writes a list as EMPTY_LIST, its
  // memo, MARK, the items, APPENDS: when MARK follows EMPTY_LIST with nothing but a memo put between
  // them, the list is held by its stack slot (below the MARK's fence, which no item can pop) and at
  // most that one memo entry; a fetch or DUP of it (pushShared) makes a second holder and cancels.

  /** A subclass that keeps facts about objects by identity (where each was made) moves them here. */
  protected replaced(_made: object, _now: object): void {}

  /** At a MARK: does it follow the last EMPTY_LIST directly, or after one memo put? Then that list is the sole list. */
  private markAfterNewList(): void {
    const list = this.newList;
    this.newList = null;
    // Nothing between them, or one memo put of the list.
    const between = this.pos - 1 - this.newListEnd;
    const put = this.data[this.newListEnd];
    const onlyPut = between === 0 || (between === 1 && put === OP.MEMOIZE) || (between === 2 && put === OP.BINPUT) || (between === 5 && put === OP.LONG_BINPUT);
    if (!onlyPut || this.stack[this.fence - 1] !== list) return;
    this.soleList = list;
    this.soleListFence = this.fence;
    this.soleListIndex = this.newListIndex;
  }

  /** APPENDS on the sole list: `items` (a new exact-size array) takes its place on the stack and in its memo entry. */
  private replaceSoleList(list: PyValue[], items: PyValue[]): void {
    exactLists++;
    this.soleList = null;
    this.stack[this.soleListFence - 1] = items;
    this.replaced(list, items);
    const index = this.soleListIndex;
    if (index < 0) return;
    if (index < this.memo.length) {
      if (this.memo[index] === list) this.memo[index] = items;
    } else if (this.farMemo?.get(index) === list) this.farMemo.set(index, items);
  }

  // ---- opcode helpers ----

  /**
   * Right after a MARK: a run of BINFLOAT / BININT1 / BININT2 / BININT / LONG1 (up to 8 bytes) — a
   * list of numbers, as batch_list_exact writes it — read in one tight loop into a local array
   * that, when APPENDS ends the run and the list is a JS array, goes straight into it (floats then
   * stay unboxed in the list). FRAMEs are followed as the FRAME case follows them, and an item must
   * lie wholly inside the current frame or wholly after it. Anything else ends the run: its items
   * go on the stack and the main loop carries on exactly where the run stopped (and reports any fault).
   */
  private numberRun(): void {
    const data = this.data;
    const view = this.view;
    const end = this.end;
    const run: (number | bigint)[] = [];
    const plain = this.plain;
    const maxDigits = this.limits.maxIntDigits + 3; // as signedLittleEndian checks it
    let frameEnd = this.frameEnd;
    let p = this.pos;
    for (;;) {
      const op = data[p];
      const limit = p < frameEnd ? frameEnd : end;
      if (op === 0x47 && p + 9 <= limit) {
        run.push(view.getFloat64(p + 1, false));
        p += 9;
      } else if (op === 0x4b && p + 2 <= limit) {
        run.push(plain ? data[p + 1]! : SMALL_INTS[data[p + 1]!]!);
        p += 2;
      } else if (op === 0x4a && p + 5 <= limit) {
        run.push(plain ? view.getInt32(p + 1, true) : BigInt(view.getInt32(p + 1, true)));
        p += 5;
      } else if (op === 0x4d && p + 3 <= limit) {
        run.push(plain ? view.getUint16(p + 1, true) : BigInt(view.getUint16(p + 1, true)));
        p += 3;
      } else if (op === 0x8a && p + 2 <= limit && data[p + 1]! <= 8 && p + 2 + data[p + 1]! <= limit && data[p + 1]! * 2.41 <= maxDigits) {
        run.push(this.longAt(p + 2, data[p + 1]!));
        p += 2 + data[p + 1]!;
      } else if (op === 0x95 && p + 9 <= limit && p + 9 >= frameEnd && view.getUint32(p + 5, true) === 0 && view.getUint32(p + 1, true) <= end - p - 9) {
        frameEnd = p + 9 + view.getUint32(p + 1, true);
        p += 9;
      } else {
        break;
      }
    }
    this.frameEnd = frameEnd;
    this.pos = p;
    const stack = this.stack;
    const target = stack[this.fence - 1];
    // APPENDS's own checks: the list sits below this MARK and above the one before it.
    if (data[p] === 0x65 /* APPENDS */ && this.fence > this.marks[this.marks.length - 1]! && Array.isArray(target) && !this.isPlainTuple(target)) {
      this.opStart = p;
      this.op = 0x65;
      this.checkItems(target.length + run.length);
      if (this.fence === this.soleListFence && target === this.soleList) this.replaceSoleList(target, run.slice());
      else for (let i = 0; i < run.length; i++) target.push(run[i]!);
      this.pos = p + 1;
      if (this.fence === this.soleListFence) this.soleList = null; // its MARK is closed
      this.fence = this.marks.pop()!;
      return;
    }
    for (let i = 0; i < run.length; i++) stack.push(run[i]!);
  }

  /** LONG1/LONG4 payload: little-endian two's complement. */
  private signedLittleEndian(n: number): bigint | number {
    if (n * 2.41 > this.limits.maxIntDigits + 3) {
      this.fail(`int has more than ${this.limits.maxIntDigits} digits (limits.maxIntDigits)`);
    }
    return this.longAt(this.need(n), n);
  }

  /**
   * The n-byte little-endian two's complement int at `at` (bounds already checked): a bigint, or
   * in plain mode a number while exact.
   */
  private longAt(at: number, n: number): bigint | number {
    const data = this.data;
    if (n === 0) return this.plain ? 0 : 0n;
    if (n <= 6) {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + data[at + i]!;
      if (data[at + n - 1]! & 0x80) v -= 2 ** (8 * n);
      return this.plain ? v : BigInt(v);
    }
    if (n <= 8) {
      // Low 32 bits unsigned, the rest signed: exact as a number below 2^53, else two BigInt steps.
      const lo = this.view.getUint32(at, true);
      let hi = 0;
      for (let i = n - 1; i >= 4; i--) hi = hi * 256 + data[at + i]!;
      if (data[at + n - 1]! & 0x80) hi -= 2 ** (8 * (n - 4));
      if (hi > -2097152 && hi < 2097152) return this.plain ? hi * 4294967296 + lo : BigInt(hi * 4294967296 + lo);
      const big = (BigInt(hi) << 32n) + BigInt(lo);
      return this.plain ? plainInt(big) : big;
    }
    let hex = "";
    for (let i = n - 1; i >= 0; i--) hex += (data[at + i]! + 0x100).toString(16).slice(1);
    let v = BigInt("0x" + hex);
    if (data[at + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    return this.plain ? plainInt(v) : v;
  }

  private utf8(n: number): string {
    const at = this.need(n);
    this.charge(n);
    return decodeUtf8(this.data, at, at + n);
  }

  /** A GLOBAL / INST name line: not empty (CPython's bad_readline) and strict UTF-8, as CPython. */
  private nameLine(): string {
    const line = this.line();
    if (line.length === 0) this.fail("pickle data was truncated (an empty module or name line)");
    return decodeUtf8Strict(line, 0, line.length);
  }

  private copyBytes(n: number): Uint8Array {
    const at = this.need(n);
    if (this.viewBytes) return new Uint8Array(this.data.buffer, this.data.byteOffset + at, n);
    this.charge(n);
    if (n <= 32) {
      // Short payloads (a datetime's 10 bytes) by a loop: the view `subarray` makes for `set` cost
      // more than the copy.
      const out = new Uint8Array(n);
      const data = this.data;
      for (let i = 0; i < n; i++) out[i] = data[at + i]!;
      return out;
    }
    if (n < 4096) {
      const out = new Uint8Array(n);
      out.set(this.data.subarray(at, at + n));
      return out;
    }
    // A large payload: memory that is not zeroed first (it is overwritten at once), seen as a
    // plain Uint8Array.
    const copy = allocUninitialized(n);
    copy.set(this.data.subarray(at, at + n));
    return new Uint8Array(copy.buffer, copy.byteOffset, n);
  }

  /** A Python 2 `str` payload, decoded as the `encoding` option says. */
  private py2String(raw: Uint8Array): PyValue {
    const encoding = this.options.encoding ?? "ASCII";
    this.charge(raw.length);
    if (encoding === "bytes") return new Uint8Array(raw);
    if (encoding === "latin1") return latin1Decode(raw);
    if (encoding === "utf-8") return decodeUtf8Strict(raw, 0, raw.length); // errors="strict", as CPython
    for (let i = 0; i < raw.length; i++) {
      if (raw[i]! >= 0x80) this.fail(`'ascii' codec can't decode byte 0x${raw[i]!.toString(16)} in position ${i}: ordinal not in range(128)`);
    }
    return latin1Decode(raw);
  }

  private decimalIndex(): number {
    const index = parseIndexLine(this.line()); // int(text, 10): "1_0", " +5 " are CPython's too
    if (index < 0) this.fail("negative PUT argument");
    if (index > 0xffffffff) this.fail(`memo index ${Number.isFinite(index) ? index : "of more than 10 digits"} is out of range`);
    return index;
  }

  /** A tuple of `items`, whose depth is at most `height`. */
  private pushTuple(items: PyValue[], height: number): void {
    this.checkItems(items.length);
    if (items.length > 0) {
      this.containers++;
      this.charge(COST_TUPLE + COST_SLOT * items.length);
    }
    this.pushWithHeight(this.plain ? this.plainTuple(items) : new PyTuple(items), height);
  }

  /** Pushes what call()/construct() made, with the bound they worked out. */
  private pushMade(value: PyValue): void {
    this.pushWithHeight(value, this.madeHeight);
  }

  // ---- the plain mode's values (see plain-values.ts) ----

  /** A tuple in plain mode: the array of its items, remembered as a tuple. */
  private plainTuple(items: PyValue[]): PyValue {
    (this.tupleArrays ??= new Set()).add(items);
    return items;
  }

  /**
   * The Python type of a value on the stack, for messages. Plain mode keeps tuples apart (tupleArrays)
   * but not an int from an integral float: both are a number, named "int or float".
   */
  private pyType(value: PyValue | undefined): string {
    if (!this.plain) return typeName(value);
    if (Array.isArray(value)) return this.isPlainTuple(value) ? "tuple" : "list";
    if (typeof value === "number" && Number.isSafeInteger(value) && !Object.is(value, -0)) return "int or float";
    return typeName(value);
  }

  private isPlainTuple(value: PyValue): boolean {
    return this.tupleArrays?.has(value) === true;
  }

  /** A tuple's items (a PyTuple's, or in plain mode a tuple array), or null for anything else. */
  private tupleItems(value: PyValue): readonly PyValue[] | null {
    if (value instanceof PyTuple) return value.items;
    return this.plain && Array.isArray(value) && this.isPlainTuple(value) ? value : null;
  }

  /** A dict key or set member: in plain mode a tuple goes back to a PyTuple (Maps and Sets compare arrays by identity). */
  private keyOf(value: PyValue): PyValue {
    return this.plain && Array.isArray(value) && this.isPlainTuple(value) ? this.lossless(value) : value;
  }

  /** The arguments an opcode passes to a reduction's handler: in plain mode, as the lossless model has them. */
  private handlerArgs(callable: PyValue | undefined, args: readonly PyValue[]): readonly PyValue[] {
    if (!this.plain || !(callable instanceof KnownGlobal)) return args;
    const seen = new Map<object, PyValue>();
    const tuples = this.tupleArrays ?? new Set();
    return args.map((arg) => toLossless(arg, tuples, (bytes) => this.charge(bytes), seen));
  }

  /** A plain value as the lossless model has it (for reductions' handlers). */
  private lossless(value: PyValue): PyValue {
    return toLossless(value, this.tupleArrays ?? new Set(), (bytes) => this.charge(bytes));
  }

  /**
   * Plain mode: sets the pairs items[from, to) on the dict at stack[at] — str keys on a dict object,
   * until a key of another type turns the object into a Map (same order, same items), which then
   * replaces it on the stack and, through `forwarded`, in the memo and in what already holds it.
   */
  private setItemsPlain(at: number, target: PyValue, items: PyValue[], from: number, to: number): void {
    let dict = target as unknown as Record<string, PyValue> | Map<PyValue, PyValue>;
    if (this.forwarded !== null && !(dict instanceof Map)) dict = (this.forwarded.get(dict) as unknown as Map<PyValue, PyValue> | undefined) ?? dict;
    this.checkItems((dict instanceof Map ? dict.size : 0) + (to - from) / 2);
    for (let i = from; i < to; i += 2) {
      const key = items[i]!;
      if (!(dict instanceof Map)) {
        if (typeof key === "string") {
          dict[key] = items[i + 1]!;
          continue;
        }
        dict = this.toMap(dict);
        this.stack[at] = dict;
      }
      this.keys.dictSet(dict, this.keyOf(key), items[i + 1]!);
    }
    // A dict object does not know its size: count it only once the pairs set on all of them could exceed the limit.
    this.plainPairs += (to - from) / 2;
    if (!(dict instanceof Map) && this.plainPairs > this.limits.maxContainerItems) this.checkItems(Object.keys(dict).length);
  }

  /** A dict object that got a non-str key, as a Map with its items in order. */
  private toMap(dict: Record<string, PyValue>): Map<PyValue, PyValue> {
    const keys = Object.keys(dict);
    this.charge(COST_MAP_OR_SET + COST_ENTRY * keys.length);
    const map = new Map<PyValue, PyValue>();
    for (const key of keys) map.set(key, dict[key]!);
    (this.forwarded ??= new Map()).set(dict, map as Map<PlainValue, PlainValue>);
    return map;
  }

  private appendTo(target: PyValue, items: PyValue[]): void {
    this.charge(COST_SLOT * items.length);
    if (Array.isArray(target) && !this.isPlainTuple(target)) {
      this.checkItems(target.length + items.length);
      for (const item of items) target.push(item);
    } else if (target instanceof PyObject) {
      const list = (target.listItems ??= []);
      for (const item of items) list.push(item);
    } else if (target instanceof PyBytearray) {
      // CPython calls bytearray.extend here; its pickler never writes this, and our bytearray is a
      // fixed-length Uint8Array (its identity may already be shared through the memo).
      this.fail("APPEND/APPENDS on a bytearray is not supported (CPython extends it in place; typed-pickle's bytearray has a fixed length)");
    } else {
      this.fail(`cannot append to ${this.pyType(target)}`);
    }
  }

  private setItemsOn(target: PyValue, items: PyValue[]): void {
    this.charge((COST_ENTRY * items.length) / 2);
    if (this.plain && (isPlainDict(target) || target instanceof Map)) {
      this.setItemsPlain(this.stack.length - 1, target, items, 0, items.length); // the target is on top
    } else if (target instanceof Map) {
      this.checkItems(target.size + items.length / 2);
      for (let i = 0; i < items.length; i += 2) this.keys.dictSet(target, items[i]!, items[i + 1]!);
    } else if (target instanceof PyObject) {
      const pairs = (target.dictItems ??= []);
      for (let i = 0; i < items.length; i += 2) pairs.push([items[i]!, items[i + 1]!]);
    } else {
      this.fail(`cannot set items on ${this.pyType(target)}`);
    }
  }

  /** find_class: fix_imports renames, then the allowlist, then (opaque mode) a plain reference. */
  private findClass(module: string, name: string): PyGlobal {
    if (this.proto < 3 && this.options.fixImports !== false) {
      const renamed = NAME_MAPPING.get(`${module} ${name}`);
      if (renamed) [module, name] = renamed;
      else module = IMPORT_MAPPING.get(module) ?? module;
    }
    const handler = this.registry.get(`${module}.${name}`);
    if (handler) return new KnownGlobal(module, name, handler);
    if (this.opaque) return new PyGlobal(module, name);
    this.fail(`global '${module}.${name}' is not allowed${otherModuleHint(this.registry, module, name)}`);
  }

  private extension(code: number): PyValue {
    if (code <= 0) this.fail("EXT specifies code <= 0");
    const entry = this.options.extensions?.get(code);
    if (!entry) this.fail(`unregistered extension code ${code}`);
    return this.findClass(entry[0], entry[1]);
  }

  private persistent(pid: PyValue): PyValue {
    const load = this.options.persistentLoad;
    if (!load) this.fail("A load persistent id instruction was encountered, but no persistent_load function was specified.");
    return load(pid);
  }

  /** Records where a class instance was made (typed loads name it in their messages). */
  private note(value: PyValue): PyValue {
    if (value instanceof PyObject) value.offset = this.opStart;
    return value;
  }

  /**
   * The bound of a value a handler made from inputs whose bound is `input`: measured when the
   * handler is one of ours and its inputs are not shared (a user's handler may return an object
   * it keeps and changes later; ours make fresh values).
   */
  private handlerMadeHeight(handler: unknown, made: PyValue, input: number): number {
    return input === Infinity || !DEFAULT_HANDLERS.has(handler) ? Infinity : smallValueDepth(made);
  }

  /** REDUCE / INST / OBJ: `callable(*args)`. */
  private call(callable: PyValue, args: readonly PyValue[], how: Construction): PyValue {
    const input = this.inputHeight;
    this.containers++;
    this.charge(COST_OBJECT);
    if (this.opaque && callable instanceof KnownGlobal && callable.qualifiedName === "builtins.getattr") {
      // getattr(cls, name) on a class we do not know: a nested class or an enum member, kept as a reference.
      const [target, attr] = args;
      if (args.length === 2 && target instanceof PyGlobal && typeof attr === "string") {
        const allowed = target instanceof KnownGlobal ? target.handler.attribute?.(attr, this.context) : undefined;
        this.madeHeight = target instanceof KnownGlobal && allowed !== undefined ? this.handlerMadeHeight(target.handler, allowed, input) : 1;
        return allowed ?? new PyGlobal(target.module, `${target.name}.${attr}`);
      }
      this.madeHeight = input + 1; // a record of the call: its callable and args are its children
      return new PyObject(callable, args, null, how);
    }
    if (callable instanceof KnownGlobal && callable.handler.call) {
      const made = callable.handler.call(this.handlerArgs(callable, args), this.context);
      // A set made by a reduction (protocols 0–3) holds plain ints, as one made by EMPTY_SET does.
      if (this.plain && made instanceof Set) plainMembers(made);
      this.madeHeight = this.handlerMadeHeight(callable.handler, made, input);
      return this.note(made);
    }
    if (this.opaque && (callable instanceof PyGlobal || callable instanceof PyObject)) {
      this.madeHeight = input + 1;
      return this.note(new PyObject(callable, args, null, how));
    }
    const what = callable instanceof PyGlobal ? `'${callable.qualifiedName}' is not callable here` : `'${this.pyType(callable)}' object is not callable`;
    this.fail(what);
  }

  /**
   * What NEWOBJ may take as its class: a global; in opaque mode also a class the pickle built
   * itself (cloudpickle's dynamic classes are made by a REDUCE), recorded like any construction.
   */
  private isClassArgument(cls: PyValue): boolean {
    return cls instanceof PyGlobal || (this.opaque && cls instanceof PyObject);
  }

  /** NEWOBJ / NEWOBJ_EX / copyreg helpers: `cls.__new__(cls, *args, **kwargs)`. */
  private construct(who: string, cls: PyValue | undefined, args: readonly PyValue[], kwargs: ReadonlyMap<PyValue, PyValue> | null, how: Construction): PyValue {
    // From a handler (copyreg's helpers), the inputs are the outer reduction's.
    const input = this.inputHeight;
    this.containers++;
    this.charge(COST_OBJECT);
    if (cls instanceof KnownGlobal && cls.handler.construct) {
      const made = cls.handler.construct(args, kwargs, this.context);
      this.madeHeight = this.handlerMadeHeight(cls.handler, made, input);
      return this.note(made);
    }
    if (this.opaque && (cls instanceof PyGlobal || cls instanceof PyObject)) {
      this.madeHeight = input + 1; // a record: class, args and kwargs are its children
      return this.note(new PyObject(cls, args, kwargs as Map<PyValue, PyValue> | null, how));
    }
    const what = cls instanceof PyGlobal ? `'${cls.qualifiedName}'` : withArticle(this.pyType(cls));
    this.fail(`${who}: ${what} cannot be constructed here`);
  }

  /** BUILD: `__setstate__` on an object we made, or recorded state on an opaque instance (`stateHeight`: the state's bound). */
  private build(target: PyValue, state: PyValue, stateHeight: number): void {
    const at = this.stack.length - 1; // the target's slot
    if (isBuildable(target)) {
      target[SET_STATE](this.plain ? this.lossless(state) : state, this.context);
      // What __setstate__ keeps of the state is its own business: measured, as a handler's value.
      const h = this.objectHeight(at);
      if (h === Infinity) this.heightsUnsure = true;
      else this.setHeight(at, Math.max(h, stateHeight === Infinity ? Infinity : smallValueDepth(target)));
    } else if (target instanceof PyObject) {
      // The state, or its items merged into the recorded state: one level below the object.
      this.attached(at, stateHeight);
      if (target.state instanceof Map && state instanceof Map) {
        for (const [k, v] of state) this.keys.dictSet(target.state, k, v);
      } else if (isPlainDict(target.state) && isPlainDict(state)) {
        Object.assign(target.state, state);
      } else {
        target.state = state;
      }
    } else if (!setsNothing(this.plain ? this.lossless(state) : state)) {
      this.fail(`BUILD is not supported on ${this.pyType(target)}`);
    }
  }
}

/**
 * Drops the stack's items from `start` on. Popped one by one: setting `length` is a runtime call,
 * and V8 shrinks the backing store when a big batch goes, only to grow it again for the next one
 * (measured: 300k truncations of 200 items, 1221 ms by length, 678 ms by pop).
 */
function truncate(stack: PyValue[], start: number): void {
  while (stack.length > start) stack.pop();
}

/**
 * BUILD states that CPython's default __setstate__ (load_build) applies to any object without doing
 * anything: None, or (None, {}) — no dict state and an empty slot state.
 */
function setsNothing(state: PyValue): boolean {
  if (state === null) return true;
  if (!(state instanceof PyTuple) || state.items.length !== 2) return false;
  const [dictState, slotState] = state.items;
  return dictState === null && slotState instanceof Map && slotState.size === 0;
}

/** Reads the first pickle in `data` (bytes after its STOP are ignored, as Python's `loads` does). */
export function loads(data: Uint8Array, options?: ReadOptions): PyValue {
  return new Unpickler(data, options).load();
}

/** Reads every pickle in `data`, back to back, each with a fresh memo. */
export function* loadsAll(data: Uint8Array, options?: ReadOptions): Generator<PyValue> {
  const reader = new Unpickler(data, options);
  while (reader.hasMore) yield reader.load();
}

/**
 * Reads the first pickle in `data` as plain JavaScript (see PlainValue): str-keyed dicts as
 * objects with no reachable prototype, ints as numbers while exact, tuples as arrays. Lossy where
 * the README says; same allowlist, limits and errors as `loads`.
 */
export function loadsPlain(data: Uint8Array, options?: ReadOptions): PlainValue {
  return new Unpickler(data, options, "plain").load() as PlainValue;
}

/** Reads every pickle in `data` as plain JavaScript, back to back, each with a fresh memo. */
export function* loadsAllPlain(data: Uint8Array, options?: ReadOptions): Generator<PlainValue> {
  const reader = new Unpickler(data, options, "plain");
  while (reader.hasMore) yield reader.load() as PlainValue;
}
