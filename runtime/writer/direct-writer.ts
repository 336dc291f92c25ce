// The direct-write API: what generated fast paths and the typed codecs (runtime/typed) write a
// value through, skipping the value model. Each call writes what the save loop would write for the
// same value at the same place — same opcodes, same frames, same memo indices — so the bytes are the
// general writer's, provided the calls come in the order the contract below gives (`DirectWrite`).
// runtime/writer/direct-write-checker.ts holds the same contract as an executable check.
import { PicklingError } from "../errors.ts";
import type { PyDateTime } from "../model/datetime.ts";
import { DATETIME_STATE_SIZE, dateTimeState, writeDateTimeState } from "../model/datetime-state.ts";
import type { PyGlobal } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import { OP } from "../opcodes.ts";
import { latin1Decode } from "../latin1.ts";
import { BATCHSIZE, PickleWriter, globalKey } from "./pickle-writer.ts";
import { G_CODECS_ENCODE, G_DATETIME } from "./stdlib-reductions.ts";
import { isCachedStr } from "./global-names.ts";
import type { WriteOptions } from "./write-options.ts";

/** A constant string and the memo index it has in the writer that last wrote it (writeKey). */
export class StrSlot {
  owner: DirectWriter | null = null;
  index = 0;
  constructor(readonly text: string) {}
}

/**
 * The direct-write contract: what a fast path (a codec's `write`) may call, and in what order.
 *
 * A pickle written directly is begun with `Pickler.beginDirect()` (protocol 2 or higher) and ended
 * with `Pickler.end()`; in between exactly one value is written. A *value* is one of:
 * - a scalar: `writeStr`, `writeInt` (a safe integer), `writeFloat`, `writeBool`, `writeNone`;
 *   a class: `writeGlobal`; a datetime: `writeDateTime`; anything of the value model: `saveValue`
 *   (the general save loop, for this one value — it may stand for any value, anywhere);
 * - an instance: `beginDictInstance(instance, cls, n)` with 1 ≤ n < 1000. When it returns false the
 *   instance was written before (a memo fetch is out) and nothing follows. When it returns true, n
 *   times `writeKey(slot)` then one value (the field's), then `endDictInstance(n)` with the same n.
 *   The pairs go in the instance's __dict__ order.
 * - a list: `beginList(items, tag?)`. When it returns false the list was written before and nothing
 *   follows (`listTag(items)` then gives the tag it was begun with: a typed list codec takes the
 *   back-reference only where it wrote the items itself). When it returns true, its items follow, by `writeListItems(items, writeItem)` (each
 *   `writeItem` call writing exactly one value) or, for a Float64Array, `writeFloatItems(items)` —
 *   called with the object given to beginList. (Written by hand, the items follow batch_list_exact:
 *   one item, then `writeOp(OP.APPEND)`; or for each batch of up to BATCHSIZE items `writeOp(OP.MARK)`,
 *   the items — `writeFloats` counting as its items —, `writeOp(OP.APPENDS)`; none for an empty list.)
 *
 * Sharing: beginDictInstance, beginList and writeDateTime memoize the object they are given (by
 * identity) and write a memo fetch when they meet it again in the same pickle, as `saveValue` does
 * for an object of the value model (it shares the same memo). So the object given must be the one
 * the general writer would meet there: two places holding the same JS object are one Python object.
 * writeKey memoizes strs by value, as the save loop does; so does writeStr, unless the pickle is
 * written with `strings: "fresh"`: then each str it writes is a new object (write-options.ts).
 */
export interface DirectWrite {
  writeStr(s: string): void;
  /** A constant str (a field name), its memo index kept in `slot`: the key of an instance's pair. */
  writeKey(slot: StrSlot): void;
  /** An int given as a safe-integer number (Number.isSafeInteger). */
  writeInt(n: number): void;
  writeFloat(x: number): void;
  /** values[start, end) as floats: that many items of an open list batch. */
  writeFloats(values: Float64Array, start: number, end: number): void;
  writeBool(b: boolean): void;
  writeNone(): void;
  /** MARK, APPEND or APPENDS between a list's items (batch_list_exact); prefer writeListItems. */
  writeOp(op: number): void;
  /** An instance as cls.__new__(cls) + BUILD(its __dict__): the part before the n pairs; false if written before. */
  beginDictInstance(instance: object, cls: PyGlobal, fields: number): boolean;
  /** After the n pairs of beginDictInstance: SETITEM(S) and BUILD. */
  endDictInstance(fields: number): void;
  writeGlobal(g: PyGlobal): void;
  writeDateTime(dt: PyDateTime): void;
  /**
   * A list's start (EMPTY_LIST and its memo); false, with a memo fetch written, if written before.
   * `tag` (who writes the items: a typed list codec) is kept with the memo entry, for listTag.
   */
  beginList(list: object, tag?: object): boolean;
  /** The tag a list written earlier in this pickle was begun with (undefined: none, or not written). */
  listTag(list: object): object | undefined;
  /** After beginList returned true: the items, batched as batch_list_exact does. */
  writeListItems<T>(items: ArrayLike<T>, writeItem: (item: T, w: this) => void): void;
  /** After beginList returned true for a Float64Array: its items, batched, as floats. */
  writeFloatItems(values: Float64Array): void;
  /** Any value of the model, through the general save loop. */
  saveValue(v: PyValue): void;
}

/**
 * The direct-write API on the shared writer state. The save loop (Pickler) extends it and supplies
 * `saveValue`; the save loop in turn writes naive datetimes with `writeDateTime`.
 */
export abstract class DirectWriter extends PickleWriter implements DirectWrite {
  /** Globals written directly, by PyGlobal object (no key string to build), and their memo indices. */
  private readonly knownGlobals: PyGlobal[] = [];
  private readonly knownGlobalIndex: number[] = [];
  private readonly moreGlobals = new Map<PyGlobal, number>();
  /**
   * beginList's tags: the memo index of each list begun with a tag (ascending: memo indices only
   * grow) and its tag. Two pushes per list; a tag is looked up only for a list met again.
   */
  private readonly taggedLists: number[] = [];
  private readonly listTags: object[] = [];
  /** `strings: "fresh"`: writeStr writes each str as a new object. */
  private readonly freshStrings = stringPolicy(this.options) === "fresh";

  /** Saves one value of the model completely (the save loop, run until this value is written). */
  abstract saveValue(v: PyValue): void;

  // Each method starts where a save in the save loop would: at an opcode boundary, where a full frame
  // is committed.

  /** Starts a pickle written directly: PROTO (and framing). Protocol 2 or higher. */
  beginDirect(): void {
    if (this.proto < 2) throw new PicklingError("direct writing needs protocol 2 or higher");
    this.writeProto();
  }

  /** A str: memoized by value, or with `strings: "fresh"` a new object (unless CPython caches it). */
  writeStr(s: string): void {
    this.out.opcodeBoundary();
    if (this.freshStrings && !isCachedStr(s)) return this.saveNewStr(s, "fresh");
    const index = this.strMemo.get(s); // writeSharedStr, inlined by hand: the hottest call of typed encode
    if (index !== undefined) this.memoGet(index);
    else this.saveNewStr(s, "interned");
  }

  /** A str memoized by value (after an opcode boundary). */
  private writeSharedStr(s: string): void {
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
    this.out.opcodeBoundary();
    this.writeSharedStr(slot.text);
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

  /** A single opcode byte (MARK, APPEND, APPENDS) between a list's items. */
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

  /** After the pairs: SETITEMS (or SETITEM for one pair), BUILD. Fewer than 1000 pairs (one batch). */
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
   * (the same opcodes the save loop writes for datetime(b'<10 bytes>')); others go through it.
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
      // bytes below protocol 3: _codecs.encode('<latin-1 text>', 'latin1'), as the save loop writes it.
      out.opcodeBoundary();
      this.writeGlobal(G_CODECS_ENCODE);
      out.opcodeBoundary();
      out.opcodeBoundary();
      this.saveNewStr(latin1Decode(dateTimeState(dt, false)), "fresh");
      out.opcodeBoundary();
      this.writeSharedStr("latin1"); // a constant: one interned object, whatever the strings policy
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
    const at = out.reserve(2 + DATETIME_STATE_SIZE);
    const buf = out.buf;
    buf[at] = OP.SHORT_BINBYTES;
    buf[at + 1] = DATETIME_STATE_SIZE;
    writeDateTimeState(dt, true, buf, at + 2); // fold=1 gets here at protocol 4+ only
    this.memoPutIndex();
    this.op(OP.TUPLE1);
    this.memoPutIndex();
    this.op(OP.REDUCE);
    this.objMemo.set(dt, this.memoPutIndex());
  }

  /**
   * A list's start: EMPTY_LIST and its memo, true; or, for a list written before, its memo fetch
   * and false. The items follow (writeListItems, writeFloatItems).
   */
  beginList(list: object, tag?: object): boolean {
    this.out.opcodeBoundary();
    const index = this.objMemo.get(list);
    if (index !== undefined) {
      this.memoGet(index);
      return false;
    }
    this.op(OP.EMPTY_LIST);
    const put = this.memoPutIndex();
    this.objMemo.set(list, put);
    if (tag !== undefined) {
      this.taggedLists.push(put);
      this.listTags.push(tag);
    }
    return true;
  }

  listTag(list: object): object | undefined {
    const index = this.objMemo.get(list);
    if (index === undefined) return undefined;
    const at = ascendingIndexOf(this.taggedLists, index);
    return at < 0 ? undefined : this.listTags[at];
  }

  /**
   * A list's items, as batch_list_exact writes them: one item → the item, APPEND; else batches of up
   * to BATCHSIZE in MARK … APPENDS; nothing for none. `writeItem` writes one value per call.
   */
  writeListItems<T>(items: ArrayLike<T>, writeItem: (item: T, w: this) => void): void {
    const n = items.length;
    if (n === 1) {
      writeItem(items[0]!, this);
      this.op(OP.APPEND);
      return;
    }
    let i = 0;
    while (i < n) {
      this.op(OP.MARK);
      const end = Math.min(n, i + BATCHSIZE);
      for (; i < end; i++) writeItem(items[i]!, this);
      this.op(OP.APPENDS);
    }
  }

  /** writeListItems for a Float64Array's items, each a float. */
  writeFloatItems(values: Float64Array): void {
    const n = values.length;
    if (n === 1) {
      this.writeFloat(values[0]!);
      this.op(OP.APPEND);
      return;
    }
    for (let i = 0; i < n;) {
      const end = Math.min(n, i + BATCHSIZE);
      this.op(OP.MARK);
      this.writeFloats(values, i, end);
      this.op(OP.APPENDS);
      i = end;
    }
  }
}

/** The `strings` option, checked: "shared" (the default) or "fresh". */
export function stringPolicy(options: WriteOptions): "shared" | "fresh" {
  const policy = options.strings ?? "shared";
  if (policy !== "shared" && policy !== "fresh") throw new PicklingError(`strings must be "shared" or "fresh", not ${JSON.stringify(policy)}`);
  return policy;
}

/** Where `value` is in `sorted` (ascending), or -1: a binary search. */
function ascendingIndexOf(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid]!;
    if (at === value) return mid;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
