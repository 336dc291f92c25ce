// The direct-write contract (`DirectWrite` in direct-writer.ts) as an executable check: a DirectWrite
// that hands every call on to a real Pickler after checking that the call may come where it does,
// and throws DirectWriteMisuse, naming the call and what was expected there, when it may not. Tests
// drive fast paths through it (test/writer/direct-write-contract.test.ts); nothing else imports it.
import type { PyDateTime } from "../model/datetime.ts";
import type { PyGlobal } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import { OP } from "../opcodes.ts";
import type { DirectWrite, StrSlot } from "./direct-writer.ts";
import { BATCHSIZE } from "./pickle-writer.ts";
import type { Pickler } from "./pickler.ts";

/** A call the direct-write contract does not allow where it came. A bug in a fast path. */
export class DirectWriteMisuse extends Error {
  override readonly name = "DirectWriteMisuse";
}

/** What the calls so far have left open, innermost last. */
type Frame =
  /** Where exactly one value goes: the pickle's root, or one call of writeListItems' writeItem. */
  | { kind: "slot"; what: string; written: boolean }
  /** beginDictInstance returned true: `pairs` of `fields` written; `keyed` when a key awaits its value. */
  | { kind: "instance"; fields: number; pairs: number; keyed: boolean }
  /**
   * beginList returned true for `list` of `length` items, `left` of them unwritten; `batchLeft` items
   * remain in the open batch (after MARK); `awaits` the opcode that must come next, if any.
   */
  | { kind: "list"; list: object; length: number; left: number; batchLeft: number; awaits: number | null };

export class CheckedDirectWrite implements DirectWrite {
  private readonly frames: Frame[] = [];
  private state: "new" | "writing" | "ended" = "new";

  constructor(private readonly target: Pickler) {}

  /** Pickler.beginDirect: the pickle starts; one value is to follow. */
  begin(): void {
    if (this.state !== "new") this.misuse("beginDirect", "a checked writer writes one pickle");
    this.target.beginDirect();
    this.state = "writing";
    this.frames.push({ kind: "slot", what: "the pickle", written: false });
  }

  /** Pickler.end: allowed once the root value is complete. */
  end(): void {
    this.closeFinishedLists("end");
    const top = this.top("end");
    if (this.frames.length !== 1 || top.kind !== "slot" || !top.written) this.misuse("end", `the pickle is not complete: ${this.expected(top)}`);
    this.target.end();
    this.frames.pop();
    this.state = "ended";
  }

  writeStr(s: string): void {
    this.value("writeStr");
    this.target.writeStr(s);
  }

  writeKey(slot: StrSlot): void {
    this.closeFinishedLists("writeKey");
    const top = this.top("writeKey");
    if (top.kind !== "instance") this.misuse("writeKey", `it writes an instance's field name, and no instance is open (${this.expected(top)})`);
    if (top.keyed) this.misuse("writeKey", "the previous key has no value yet");
    if (top.pairs === top.fields) this.misuse("writeKey", `all ${top.fields} pairs of the instance are written: endDictInstance(${top.fields}) comes next`);
    top.keyed = true;
    this.target.writeKey(slot);
  }

  writeInt(n: number): void {
    if (!Number.isSafeInteger(n)) this.misuse("writeInt", `${n} is not a safe integer (save a bigint with saveValue)`);
    this.value("writeInt");
    this.target.writeInt(n);
  }

  writeFloat(x: number): void {
    this.value("writeFloat");
    this.target.writeFloat(x);
  }

  writeFloats(values: Float64Array, start: number, end: number): void {
    this.closeFinishedLists("writeFloats");
    const top = this.top("writeFloats");
    const count = end - start;
    if (top.kind !== "list" || top.list !== values) this.misuse("writeFloats", "its values must be the list begun last (beginList(values))");
    if (start !== top.length - top.left || count < 1) this.misuse("writeFloats", `the next items are from index ${top.length - top.left}, not [${start}, ${end})`);
    if (count > top.batchLeft) this.misuse("writeFloats", `${count} items, but the open batch takes ${top.batchLeft} (MARK opens a batch of up to ${BATCHSIZE})`);
    for (let i = 0; i < count; i++) this.listItem(top, "writeFloats");
    this.target.writeFloats(values, start, end);
  }

  writeBool(b: boolean): void {
    this.value("writeBool");
    this.target.writeBool(b);
  }

  writeNone(): void {
    this.value("writeNone");
    this.target.writeNone();
  }

  writeOp(op: number): void {
    this.closeFinishedLists("writeOp");
    const top = this.top("writeOp");
    if (op !== OP.MARK && op !== OP.APPEND && op !== OP.APPENDS) this.misuse("writeOp", `it writes only MARK, APPEND or APPENDS between a list's items, not ${op}`);
    if (top.kind !== "list") this.misuse("writeOp", `no list is open (${this.expected(top)})`);
    if (op === OP.MARK) {
      if (top.awaits !== null || top.batchLeft > 0) this.misuse("writeOp(MARK)", this.expected(top));
      if (top.length === 1) this.misuse("writeOp(MARK)", "a list of one item is written as the item and APPEND, without MARK");
      top.batchLeft = Math.min(BATCHSIZE, top.left);
    } else {
      if (top.awaits !== op) this.misuse(`writeOp(${op === OP.APPEND ? "APPEND" : "APPENDS"})`, this.expected(top));
      top.awaits = null;
    }
    this.target.writeOp(op);
  }

  beginDictInstance(instance: object, cls: PyGlobal, fields: number): boolean {
    // An empty __dict__ pickles as no state at all (no BUILD); 1000 pairs or more take two batches.
    if (!(Number.isInteger(fields) && fields >= 1 && fields < BATCHSIZE)) this.misuse("beginDictInstance", `an instance's pairs number from 1 to ${BATCHSIZE - 1}, not ${fields}`);
    this.value("beginDictInstance");
    const begun = this.target.beginDictInstance(instance, cls, fields);
    if (begun) this.frames.push({ kind: "instance", fields, pairs: 0, keyed: false });
    return begun;
  }

  endDictInstance(fields: number): void {
    this.closeFinishedLists("endDictInstance");
    const top = this.top("endDictInstance");
    if (top.kind !== "instance") this.misuse("endDictInstance", `no instance is open (${this.expected(top)})`);
    if (fields !== top.fields) this.misuse("endDictInstance", `the instance was begun with ${top.fields} pairs, not ${fields}`);
    if (top.keyed || top.pairs !== top.fields) this.misuse("endDictInstance", this.expected(top));
    this.frames.pop();
    this.target.endDictInstance(fields);
  }

  writeGlobal(g: PyGlobal): void {
    this.value("writeGlobal");
    this.target.writeGlobal(g);
  }

  writeDateTime(dt: PyDateTime): void {
    this.value("writeDateTime");
    this.target.writeDateTime(dt);
  }

  beginList(list: object, tag?: object): boolean {
    const length = (list as { length?: unknown }).length;
    if (!(Array.isArray(list) || list instanceof Float64Array) || typeof length !== "number") this.misuse("beginList", "a list is an array or a Float64Array");
    this.value("beginList");
    const begun = this.target.beginList(list, tag);
    if (begun) this.frames.push({ kind: "list", list, length, left: length, batchLeft: 0, awaits: null });
    return begun;
  }

  listTag(list: object): object | undefined {
    return this.target.listTag(list);
  }

  writeListItems<T>(items: ArrayLike<T>, writeItem: (item: T, w: this) => void): void {
    this.freshList("writeListItems", items);
    this.frames.pop();
    this.target.writeListItems(items, (item) => {
      const slot: Frame = { kind: "slot", what: "writeListItems' item", written: false };
      this.frames.push(slot);
      const depth = this.frames.length;
      writeItem(item, this);
      this.closeFinishedLists("writeListItems");
      if (this.frames.length !== depth || !slot.written) this.misuse("writeListItems", `writeItem must write one whole value (${this.expected(this.top("writeListItems"))})`);
      this.frames.pop();
    });
  }

  writeFloatItems(values: Float64Array): void {
    this.freshList("writeFloatItems", values);
    this.frames.pop();
    this.target.writeFloatItems(values);
  }

  saveValue(v: PyValue): void {
    this.value("saveValue");
    this.target.saveValue(v);
  }

  // ---- the checks ----

  private misuse(call: string, problem: string): never {
    throw new DirectWriteMisuse(`${call}: ${problem}`);
  }

  private top(call: string): Frame {
    if (this.state === "new") this.misuse(call, "the pickle is not begun (beginDirect comes first)");
    if (this.state === "ended") this.misuse(call, "the pickle has ended");
    return this.frames[this.frames.length - 1]!;
  }

  /** Lists whose items are all written leave the stack: what comes next belongs to their parent. */
  private closeFinishedLists(call: string): void {
    for (let top = this.top(call); top.kind === "list" && top.left === 0 && top.awaits === null; top = this.top(call)) this.frames.pop();
  }

  /** A value starts: it must be what the innermost open frame expects. */
  private value(call: string): void {
    this.closeFinishedLists(call);
    const top = this.top(call);
    if (top.kind === "slot") {
      if (top.written) this.misuse(call, `${top.what} holds one value, and it is written`);
      top.written = true;
    } else if (top.kind === "instance") {
      if (!top.keyed) this.misuse(call, this.expected(top));
      top.keyed = false;
      top.pairs++;
    } else {
      this.listItem(top, call);
    }
  }

  private listItem(list: Frame & { kind: "list" }, call: string): void {
    if (list.awaits !== null || (list.length > 1 && list.batchLeft === 0)) this.misuse(call, this.expected(list));
    list.left--;
    if (list.length === 1) list.awaits = OP.APPEND;
    else if (--list.batchLeft === 0) list.awaits = OP.APPENDS;
  }

  /** writeListItems / writeFloatItems: right after beginList returned true for the same items. */
  private freshList(call: string, items: object): void {
    const top = this.top(call);
    if (top.kind !== "list" || top.list !== items || top.left !== top.length || top.batchLeft > 0) {
      this.misuse(call, "it writes the items of the list beginList(items) has just begun (and returned true for)");
    }
  }

  /** What the innermost frame expects next, in words. */
  private expected(frame: Frame): string {
    switch (frame.kind) {
      case "slot":
        return frame.written ? `${frame.what} is written` : `${frame.what} expects a value`;
      case "instance":
        if (frame.keyed) return "the field's value comes next";
        if (frame.pairs === frame.fields) return `endDictInstance(${frame.fields}) comes next`;
        return `writeKey (pair ${frame.pairs + 1} of ${frame.fields}) comes next`;
      case "list":
        if (frame.awaits === OP.APPEND) return "APPEND comes next (a list of one item)";
        if (frame.awaits === OP.APPENDS) return "APPENDS comes next (the batch is complete)";
        if (frame.length === 1) return "the list's one item comes next";
        if (frame.batchLeft === 0) return `MARK comes next (${frame.left} of the list's ${frame.length} items are left)`;
        return `${frame.batchLeft} more items of the batch come next`;
    }
  }
}
