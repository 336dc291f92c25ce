// The reader behind generated typed decoders: instead of interpreting any opcode sequence onto a
// stack, it expects, value by value, the opcodes CPython writes for the schema's types (protocols
// 2–5: framing, MEMOIZE/BINPUT, BINGET back-references, NEWOBJ + BUILD(dict) instances, batched
// lists). It builds the typed values directly — no intermediate value model, no stack. The moment the
// bytes differ from that layout it misses (see fast-path.ts) and the general reader reads the pickle.
//
// The memo holds what the generic reader would hold, plus, per entry, which codec made it: a
// back-reference is taken only by the codec that made the entry (a list[str] is not a list[int]).
import { IMPORT_MAPPING, NAME_MAPPING } from "../compat-names.ts";
import type { PyDateTime } from "../model/datetime.ts";
import { DATETIME_STATE_SIZE, dateTimeFromState } from "../model/datetime-state.ts";
import type { PyGlobal } from "../model/objects.ts";
import { framesRespected } from "../reader/frame-check.ts";
import { DEFAULT_LIMITS } from "../reader/limits.ts";
import { hostView } from "../host-bytes.ts";
import { latin1Decode } from "../latin1.ts";
import { decodeUtf8 } from "../utf8.ts";
import { FastPathMiss, miss } from "./fast-path.ts";
import { OP } from "../opcodes.ts";

/** Memo tags of entries that are not a codec's value. */
const STR = "str";
const OTHER = "other";

const MAX_MEMO = DEFAULT_LIMITS.maxMemo;
const MAX_ITEMS = DEFAULT_LIMITS.maxContainerItems;

export class ExactReader {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly end: number;
  pos = 0;
  private proto = 0;
  // The memo, pre-sized: growing an array push by push costs more than the reading it serves.
  private memo: unknown[];
  private tags: unknown[];
  /** Entries put (distinct indices), counted as the general reader counts them (MEMOIZE's index). */
  private memoCount = 0;
  /** One past the highest index put: entries at or above it are absent. */
  private top = 0;
  /** While reading speculatively: the memo entries overwritten, to undo (index, value, tag). */
  private journal: unknown[] | null = null;
  private readonly hooks: (() => void)[] = [];
  /** Where list() gathers a list of strs before making it at its exact size. */
  private readonly strItems: string[] = [];
  /** Where the current FRAME ends (-1: none), and whether a frame's end fell between two reads of
   *  frame() — maybe inside an opcode: then the FRAME rule is checked by a walk at the STOP. */
  private frameEnd = -1;
  private frameEndUnseen = false;

  constructor(data: Uint8Array) {
    this.data = hostView(data); // under Node, a Buffer over the same memory: decodeUtf8 goes native
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.end = data.length;
    // About one memo entry per 10 bytes of CPython output; capped, for a small pickle in a large buffer.
    const capacity = Math.min(Math.max(16, Math.floor(data.length / 10)), 1 << 17);
    this.memo = new Array(capacity);
    this.tags = new Array(capacity);
  }

  /** PROTO 2–5 (older protocols have no NEWOBJ: the general reader takes them). */
  begin(): void {
    if (this.end < 2 || this.data[0] !== OP.PROTO) miss();
    const proto = this.data[1]!;
    if (proto < 2 || proto > 5) miss();
    this.proto = proto;
    this.pos = 2;
  }

  /** STOP right after the root value. Returns the hooks to run once the value is whole. */
  finish(): readonly (() => void)[] {
    this.frame();
    if (this.data[this.pos] !== OP.STOP) miss();
    if (this.frameEndUnseen && !framesRespected(this.data)) miss();
    this.pos++;
    return this.hooks;
  }

  later(hook: () => void): void {
    this.hooks.push(hook);
  }

  /**
   * FRAME opcodes may come before any value (CPython commits a frame at the start of a save). This
   * is also where frame ends are seen: CPython's frames end between values, right here. A frame end
   * passed without stopping on it may lie inside an opcode, and a FRAME inside a frame breaks the
   * FRAME rule, so either has the whole pickle walked for the rule at the STOP (runtime/reader/frame-check.ts).
   * Inside a frame nothing is checked: a FRAME there is no value's opcode, so the reader misses on it.
   */
  private frame(): void {
    if (this.pos < this.frameEnd) return;
    if (this.frameEnd >= 0) {
      if (this.pos > this.frameEnd) this.frameEndUnseen = true;
      this.frameEnd = -1;
    }
    while (this.data[this.pos] === OP.FRAME) {
      if (this.pos + 9 > this.end) miss();
      if (this.frameEnd >= 0) this.frameEndUnseen = true;
      const lo = this.view.getUint32(this.pos + 1, true);
      const hi = this.view.getUint32(this.pos + 5, true);
      this.pos += 9;
      if (hi !== 0 || lo > this.end - this.pos) miss();
      this.frameEnd = this.pos + lo;
    }
  }

  private need(n: number): number {
    const at = this.pos;
    if (n > this.end - at) miss();
    this.pos = at + n;
    return at;
  }

  // ---- memo ----

  /** The memo opcode after a value, if any (CPython always writes one; a pickle may leave it out). */
  private memoize(value: unknown, tag: unknown): number {
    const op = this.data[this.pos];
    let index: number;
    if (op === OP.MEMOIZE) {
      index = this.memoCount;
      this.pos++;
    } else if (op === OP.BINPUT) {
      index = this.data[this.need(2) + 1]!;
    } else if (op === OP.LONG_BINPUT) {
      index = this.view.getUint32(this.need(5) + 1, true);
    } else {
      return -1;
    }
    if (index === this.top && this.top === this.memoCount && !this.journal) {
      // The common case (CPython numbers entries in order): the next slot.
      if (index >= this.memo.length) this.grow(index);
      this.memo[index] = value;
      this.tags[index] = tag;
      this.top = this.memoCount = index + 1;
      if (this.memoCount > MAX_MEMO) miss();
      return index;
    }
    const present = this.has(index);
    if (this.journal) this.journal.push(index, present ? this.memo[index] : undefined, present ? this.tags[index] : undefined);
    if (!present && ++this.memoCount > MAX_MEMO) miss();
    if (index >= this.memo.length) this.grow(index);
    this.memo[index] = value;
    this.tags[index] = tag;
    if (index >= this.top) this.top = index + 1;
    return index;
  }

  private has(index: number): boolean {
    return index < this.top && this.tags[index] !== undefined;
  }

  private grow(index: number): void {
    // A far index (a hand-made BINPUT) is not CPython's layout: no large allocation for it. Far is
    // measured against the entries put, not the array's length, which a chain of puts could triple
    // again and again into a sparse array of billions of holes.
    if (index > 2 * this.memoCount + 1024) miss();
    const size = Math.max(index + 1, this.memo.length * 2);
    const memo = new Array(size);
    const tags = new Array(size);
    for (let i = 0; i < this.top; i++) {
      memo[i] = this.memo[i];
      tags[i] = this.tags[i];
    }
    this.memo = memo;
    this.tags = tags;
  }

  /** At a BINGET / LONG_BINGET: its memo index (the opcode consumed); else -1. */
  private getIndex(): number {
    const op = this.data[this.pos];
    if (op === OP.BINGET) return this.data[this.need(2) + 1]!;
    if (op === OP.LONG_BINGET) return this.view.getUint32(this.need(5) + 1, true);
    return -1;
  }

  /**
   * A back-reference to a value `tag`'s codec made (consumed), or undefined when something else
   * comes next — a new value, or a back-reference to its first part (a class's module name).
   */
  ref(tag: unknown): unknown {
    this.frame();
    const start = this.pos;
    const index = this.getIndex();
    if (index < 0) return undefined;
    if (index < this.top && this.tags[index] === tag) return this.memo[index];
    this.pos = start;
    return undefined;
  }

  /** Marks `value` (just made) as the memo entry the next opcode puts, as `tag`'s. */
  remember(value: unknown, tag: unknown): void {
    this.memoize(value, tag);
  }

  // ---- scalars ----

  str(): string {
    this.frame();
    const data = this.data;
    const op = data[this.pos];
    let n: number;
    if (op === OP.SHORT_BINUNICODE) {
      n = data[this.need(2) + 1]!;
    } else if (op === OP.BINUNICODE) {
      n = this.view.getUint32(this.need(5) + 1, true);
    } else {
      const index = this.getIndex();
      // By tag, not by type: a class's memo entry holds its name as a string too.
      if (index < 0 || index >= this.top || this.tags[index] !== STR) miss();
      return this.memo[index] as string;
    }
    const at = this.need(n);
    const s = utf8(data, at, at + n);
    this.memoize(s, STR);
    return s;
  }

  /** A Python int that fits a JS number exactly (±(2^53 − 1)); larger ones miss. */
  int(): number {
    this.frame();
    const data = this.data;
    switch (data[this.pos]) {
      case OP.BININT1:
        return data[this.need(2) + 1]!;
      case OP.BININT2:
        return this.view.getUint16(this.need(3) + 1, true);
      case OP.BININT:
        return this.view.getInt32(this.need(5) + 1, true);
      case OP.LONG1: {
        const n = data[this.need(2) + 1]!;
        if (n > 7) miss();
        const at = this.need(n);
        if (n === 0) return 0;
        // From the signed top byte down: every partial value is the result shifted right, so a
        // result within 2^53 is exact all the way (unsigned-then-subtract would round at 7 bytes).
        let v = (data[at + n - 1]! << 24) >> 24;
        for (let i = n - 2; i >= 0; i--) v = v * 256 + data[at + i]!;
        if (!Number.isSafeInteger(v)) miss();
        return v;
      }
      default:
        return miss();
    }
  }

  bigint(): bigint {
    return BigInt(this.int());
  }

  /** A float; an int where it is exact, as T.float accepts. */
  float(): number {
    this.frame();
    if (this.data[this.pos] === OP.BINFLOAT) return this.view.getFloat64(this.need(9) + 1, false);
    return this.int();
  }

  bool(): boolean {
    this.frame();
    const op = this.data[this.pos];
    if (op === OP.NEWTRUE || op === OP.NEWFALSE) {
      this.pos++;
      return op === OP.NEWTRUE;
    }
    return miss();
  }

  /** True (and the NONE consumed) when None comes next. */
  none(): boolean {
    this.frame();
    if (this.data[this.pos] !== OP.NONE) return false;
    this.pos++;
    return true;
  }

  /** bytes (protocol 3+: SHORT_BINBYTES / BINBYTES), a copy. */
  bytes(): Uint8Array {
    const known = this.ref(BYTES_TAG);
    if (known !== undefined) return known as Uint8Array;
    const op = this.data[this.pos];
    let n: number;
    if (op === OP.SHORT_BINBYTES) n = this.data[this.need(2) + 1]!;
    else if (op === OP.BINBYTES) n = this.view.getUint32(this.need(5) + 1, true);
    else return miss();
    const at = this.need(n);
    const out = new Uint8Array(n);
    out.set(this.data.subarray(at, at + n));
    this.memoize(out, BYTES_TAG);
    return out;
  }

  /** A naive datetime: datetime.datetime(b'<10 bytes>') through REDUCE. */
  datetime(): PyDateTime {
    const known = this.ref(DATETIME_TAG);
    if (known !== undefined) return known as PyDateTime;
    this.global("datetime", "datetime", "datetime.datetime");
    this.frame();
    const data = this.data;
    let s: Uint8Array | number[];
    let at = 0;
    if (data[this.pos] === OP.SHORT_BINBYTES) {
      if (data[this.pos + 1] !== DATETIME_STATE_SIZE) miss();
      at = this.need(2 + DATETIME_STATE_SIZE) + 2;
      s = data;
      this.memoize(null, OTHER);
    } else {
      s = this.latin1State();
    }
    if (data[this.pos] !== OP.TUPLE1) miss();
    this.pos++;
    this.memoize(null, OTHER);
    if (data[this.pos] !== OP.REDUCE) miss();
    this.pos++;
    const value = naiveDateTime(s, at);
    this.memoize(value, DATETIME_TAG);
    return value;
  }

  /**
   * Below protocol 3, bytes are pickled as `_codecs.encode('<latin-1 text>', 'latin1')`: the 10
   * bytes of a datetime's state in that form.
   */
  private latin1State(): number[] {
    this.global("_codecs", "encode", "_codecs.encode");
    const text = this.str();
    if (this.str() !== "latin1" || text.length !== DATETIME_STATE_SIZE) miss();
    this.frame();
    if (this.data[this.pos] !== OP.TUPLE2) miss();
    this.pos++;
    this.memoize(null, OTHER);
    if (this.data[this.pos] !== OP.REDUCE) miss();
    this.pos++;
    this.memoize(null, OTHER);
    const state: number[] = [];
    for (let i = 0; i < DATETIME_STATE_SIZE; i++) {
      const c = text.charCodeAt(i);
      if (c > 0xff) miss();
      state.push(c);
    }
    return state;
  }

  // ---- globals and instances ----

  /** The class `module.name`: STACK_GLOBAL (protocol 4+), GLOBAL (2–3), or its back-reference. */
  global(module: string, name: string, qualified: string): void {
    this.frame();
    const op = this.data[this.pos];
    const start = this.pos;
    const index = this.getIndex();
    if (index >= 0) {
      if (index < this.top && this.tags[index] === GLOBAL_TAG) {
        if (this.memo[index] !== qualified) miss();
        return;
      }
      this.pos = start; // a back-reference to the module name: STACK_GLOBAL's first argument
    }
    if (op === OP.GLOBAL) {
      this.pos++;
      if (this.textLine() !== module || this.textLine() !== name) miss();
    } else {
      if (this.str() !== module || this.str() !== name) miss();
      this.frame();
      if (this.data[this.pos] !== OP.STACK_GLOBAL) miss();
      this.pos++;
    }
    // Below protocol 3 the general reader renames Python 2 names (fix_imports): not ours to guess.
    if (this.proto < 3 && (IMPORT_MAPPING.has(module) || NAME_MAPPING.has(`${module} ${name}`))) miss();
    this.memoize(qualified, GLOBAL_TAG);
  }

  private textLine(): string {
    const nl = this.data.indexOf(0x0a, this.pos);
    if (nl < 0) miss();
    const s = latin1Decode(this.data.subarray(this.pos, nl));
    this.pos = nl + 1;
    return s;
  }

  /**
   * An instance made as `cls.__new__(cls)`: the class, EMPTY_TUPLE, NEWOBJ. Afterwards the caller
   * makes the object and `remember`s it (the memo opcode follows NEWOBJ).
   */
  newobj(cls: PyGlobal): void {
    this.global(cls.module, cls.name, cls.qualifiedName);
    this.frame();
    if (this.data[this.pos] !== OP.EMPTY_TUPLE || this.data[this.pos + 1] !== OP.NEWOBJ) miss();
    this.pos += 2;
  }

  /**
   * The start of BUILD's dict state: EMPTY_DICT, then MARK (a batch of pairs: returns true) or a
   * single pair (false; SETITEM follows it). `stateKey` then gives the keys.
   */
  stateBegin(): boolean {
    this.frame();
    if (this.data[this.pos] !== OP.EMPTY_DICT) miss();
    this.pos++;
    this.memoize(null, OTHER);
    this.frame();
    if (this.data[this.pos] === OP.MARK) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** The next attribute name of the state, or null once SETITEMS/SETITEM and BUILD are read. */
  stateKey(batch: boolean): string | null {
    this.frame();
    const op = this.data[this.pos];
    if (batch ? op === OP.SETITEMS : op === OP.SETITEM) {
      this.pos++;
      this.frame();
      if (this.data[this.pos] !== OP.BUILD) miss();
      this.pos++;
      return null;
    }
    if (op === OP.SHORT_BINUNICODE) {
      // A name met for the first time in this pickle: memoized as the interned copy, so that the
      // codec's `key === "name"` tests, here and at every back-reference, compare pointers.
      const n = this.data[this.need(2) + 1]!;
      const at = this.need(n);
      const s = utf8(this.data, at, at + n);
      const name = FIELD_NAMES.get(s) ?? s;
      this.memoize(name, STR);
      return name;
    }
    return this.str();
  }

  // ---- lists ----

  /**
   * Where the value at `p` ends (after its memo opcode, if any) when it is one opcode — a
   * back-reference, a small number, None/True/False, a str — else -1.
   */
  private afterSimpleValue(p: number): number {
    const data = this.data;
    const op = data[p]!;
    let q: number;
    if (op === OP.SHORT_BINUNICODE) q = p + 2 + (data[p + 1] ?? 0);
    else if (op === OP.BINUNICODE) q = p + 5 + (p + 5 <= this.end ? this.view.getUint32(p + 1, true) : 0);
    else if (SIMPLE_SIZE[op]! > 0) q = p + SIMPLE_SIZE[op]!;
    else return -1;
    if (op === OP.SHORT_BINUNICODE || op === OP.BINUNICODE) {
      const next = data[q];
      if (next === OP.MEMOIZE) q += 1;
      else if (next === OP.BINPUT) q += 2;
      else if (next === OP.LONG_BINPUT) q += 5;
    }
    return q < this.end ? q : -1;
  }

  /** A list of floats (BINFLOAT items only) into a Float64Array. */
  float64Array(tag: unknown): Float64Array {
    const known = this.ref(tag);
    if (known !== undefined) return known as Float64Array;
    const data = this.data;
    const view = this.view;
    if (data[this.pos] !== OP.EMPTY_LIST) miss();
    this.pos++;
    let out = new Float64Array(16);
    let n = 0;
    // Memoized now, the final array put in its place below (float items cannot refer back to it).
    const index = this.memoize(null, OTHER);
    for (;;) {
      this.frame();
      let p = this.pos;
      const batch = data[p] === OP.MARK;
      if (batch) p++;
      else if (!(data[p] === OP.BINFLOAT && data[p + 9] === OP.APPEND)) break; // a lone item is BINFLOAT APPEND
      for (;;) {
        if (data[p] === OP.BINFLOAT && p + 9 <= this.end) {
          if (n === out.length) {
            if (n >= MAX_ITEMS) miss();
            const grown = new Float64Array(n * 2);
            grown.set(out);
            out = grown;
          }
          out[n++] = view.getFloat64(p + 1, false);
          p += 9;
        } else if (data[p] === OP.FRAME) {
          this.pos = p;
          this.frame();
          p = this.pos;
        } else {
          break;
        }
        if (!batch) break;
      }
      if (data[p] !== (batch ? OP.APPENDS : OP.APPEND)) miss();
      this.pos = p + 1;
    }
    const result = n === out.length ? out : out.slice(0, n);
    if (index >= 0) {
      this.memo[index] = result;
      this.tags[index] = tag;
    }
    return result;
  }

  /**
   * A list: EMPTY_LIST, its memo, then MARK … APPENDS batches, or one item and APPEND.
   * `item` reads one element ("str": a str, read here without a call through a codec); `simple` says every element is one opcode (a str, int, float or
   * bool: the start of a class, say, can be a back-reference to its module name and is not).
   *
   * A list of strs is gathered in a scratch array and made at its exact size at the end: an array
   * grown by push from empty has room for 17 items, and a schema's many short lists of strs (tags)
   * made that slack most of a decode's young garbage. Its memo entry is put now and the final array
   * put in its place below (a str item cannot refer back to it: a fetch of it is no str's).
   */
  list<T>(tag: unknown, item: ((r: ExactReader) => T) | "str", simple = false): T[] {
    const known = this.ref(tag);
    if (known !== undefined) return known as T[];
    if (this.data[this.pos] !== OP.EMPTY_LIST) miss();
    this.pos++;
    const gathered = item === "str";
    const out: T[] = gathered ? (this.strItems as T[]) : [];
    const base = out.length;
    const index = gathered ? this.memoize(null, OTHER) : this.memoize(out, tag);
    for (;;) {
      this.frame();
      if (this.data[this.pos] === OP.MARK) {
        this.pos++;
        for (;;) {
          this.frame();
          if (this.data[this.pos] === OP.APPENDS) break;
          if (out.length - base >= MAX_ITEMS) miss();
          out.push(item === "str" ? (this.str() as T) : item(this));
        }
        this.pos++;
        continue;
      }
      // A lone item and APPEND — or the list has ended and what follows belongs to its container.
      // A one-opcode value tells by the byte after it (and its memo opcode); anything else is read
      // on trial and undone when no APPEND follows.
      const after = simple ? this.afterSimpleValue(this.pos) : -1;
      if (after >= 0) {
        if (this.data[after] !== OP.APPEND) break;
        if (out.length - base >= MAX_ITEMS) miss();
        out.push(item === "str" ? (this.str() as T) : item(this));
        if (this.pos !== after) miss();
        this.pos++;
        continue;
      }
      const start = this.pos;
      const count = this.memoCount;
      const top = this.top;
      const hooks = this.hooks.length;
      const outer = this.journal;
      const journal: unknown[] = [];
      this.journal = journal;
      let value: T | undefined;
      let ok = false;
      try {
        value = item === "str" ? (this.str() as T) : item(this);
        this.frame();
        ok = this.data[this.pos] === OP.APPEND;
      } catch (e) {
        // Not an item: the list has ended. Anything but a miss is not ours to judge.
        if (!(e instanceof FastPathMiss)) throw e;
        ok = false;
      }
      this.journal = outer;
      if (ok) {
        this.pos++;
        if (outer) outer.push(...journal);
        out.push(value as T);
        continue;
      }
      for (let i = journal.length - 3; i >= 0; i -= 3) {
        const index = journal[i] as number;
        this.memo[index] = journal[i + 1];
        this.tags[index] = journal[i + 2];
      }
      this.memoCount = count;
      this.top = top;
      this.hooks.length = hooks;
      this.pos = start;
      break;
    }
    if (!gathered) return out;
    const result = out.slice(base);
    out.length = base;
    if (index >= 0) {
      this.memo[index] = result;
      this.tags[index] = tag;
    }
    return result;
  }
}

/** Sizes of the one-opcode values (opcode + argument), for afterSimpleValue. */
const SIMPLE_SIZE = new Int8Array(256).fill(-1);
SIMPLE_SIZE[OP.BINGET] = 2;
SIMPLE_SIZE[OP.LONG_BINGET] = 5;
SIMPLE_SIZE[OP.BININT1] = 2;
SIMPLE_SIZE[OP.BININT2] = 3;
SIMPLE_SIZE[OP.BININT] = 5;
SIMPLE_SIZE[OP.BINFLOAT] = 9;
SIMPLE_SIZE[OP.NONE] = 1;
SIMPLE_SIZE[OP.NEWTRUE] = 1;
SIMPLE_SIZE[OP.NEWFALSE] = 1;

const BYTES_TAG = "bytes";
const DATETIME_TAG = "datetime";
const GLOBAL_TAG = "global";

// What does not decode is not CPython's output for the schema: a miss, and the general reader words
// the error (these throw their own errors, which are not the fast path's to pass on).

function utf8(data: Uint8Array, start: number, end: number): string {
  try {
    return decodeUtf8(data, start, end);
  } catch {
    return miss();
  }
}

/** A naive datetime from its state bytes at `s[at]` (the constructor refuses fields out of range). */
function naiveDateTime(s: ArrayLike<number>, at: number): PyDateTime {
  try {
    return dateTimeFromState(s, at, null);
  } catch {
    return miss();
  }
}

/**
 * The attribute names class codecs read (registered as they are made), each as its interned copy:
 * the one string object V8 keeps for that text, which every string literal of it in the codecs is.
 * Bounded by the schemas, never by input.
 */
const FIELD_NAMES = new Map<string, string>();

/** Registers an attribute name that a class codec's fast read compares keys with. */
export function readsFieldName(name: string): void {
  const interned = Object.keys({ [name]: 0 })[0]!; // a property key is interned
  FIELD_NAMES.set(interned, interned);
}
