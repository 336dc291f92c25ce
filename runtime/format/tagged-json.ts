// The tagged JSON form of a value (`show --json`): every Python type keeps its own tag, ints are
// decimal strings, floats are Python reprs, and a container reached more than once carries
// "id": n where it first appears and is {"ref": n} afterwards. python/tagged.py writes the same form
// from a live Python value; the tests compare the two.
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { forEachChild } from "../model/walk.ts";
import { bytesToHex } from "../hex.ts";
import { NdArray } from "../numpy/ndarray.ts";
import { numpyTag } from "../numpy/tagged.ts";
import { floatRepr } from "./float-repr.ts";
import { sha256 } from "./sha256.ts";
import { dateIso, datetimeIso, timeIso } from "./iso.ts";

export type Tagged = { [tag: string]: unknown };

/** Values that have an identity in both Python and here, and so may be shared. */
export function hasIdentity(v: PyValue): v is object & PyValue {
  if (v === null || typeof v !== "object") return false;
  if (v instanceof PyTuple) return v.items.length > 0;
  return Array.isArray(v) || v instanceof Map || v instanceof Set || v instanceof PyBytearray || v instanceof PyObject || v instanceof NdArray;
}

/** How many times each identity-bearing object is reached. Iterative: any depth. */
function countReferences(root: PyValue): Map<object, number> {
  const counts = new Map<object, number>();
  const stack: PyValue[] = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (hasIdentity(v)) {
      const seen = counts.get(v) ?? 0;
      counts.set(v, seen + 1);
      if (seen > 0) continue;
    }
    // Children go straight onto the stack (through a module-level callback: no closure per value),
    // then are reversed in place so that they are visited in order.
    const from = stack.length;
    childTarget = stack;
    try {
      forEachChild(v, pushChild);
    } finally {
      childTarget = null;
    }
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i]!;
      stack[i] = stack[j]!;
      stack[j] = t;
    }
  }
  return counts;
}

/** Where pushChild puts children: the stack of the countReferences running now (it never re-enters). */
let childTarget: PyValue[] | null = null;
function pushChild(child: PyValue): void {
  childTarget!.push(child);
}

const hex = bytesToHex;

const NON_ASCII = /[\u007f-\uffff]/g;
const unicodeEscape = (c: string) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");

/** JSON with DEL and every non-ASCII UTF-16 unit escaped, as Python's json.dumps(ensure_ascii=True). */
function asciiJson(x: unknown): string {
  return JSON.stringify(x).replace(NON_ASCII, unicodeEscape);
}

/** Keys longer than this are replaced by a digest, so that a key never holds its members' keys in full. */
const KEY_LIMIT = 256;

/** A key kept short: past KEY_LIMIT UTF-16 units, "#" + sha256 of its UTF-16LE code units. */
function bounded(key: string): string {
  return key.length > KEY_LIMIT ? "#" + bytesToHex(sha256(utf16le(key))) : key;
}

/** A string's UTF-16 code units, little-endian (lone surrogates included, as "utf-16-le" with surrogatepass). */
function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i] = unit & 0xff;
    out[2 * i + 1] = unit >> 8;
  }
  return out;
}

/**
 * Keys that order set members the same way in Python and here (sets have no stable order;
 * python/tagged.py's shape_key computes the same keys). A tuple's or frozenset's key is built from
 * its members' keys, each at most KEY_LIMIT long (or a digest), and every key is computed once per
 * object for the whole value: linear even when tuples are shared as a DAG (t = (t', t') nested 26
 * levels), where full keys would be exponentially long. Iterative: any depth.
 */
class ShapeKeys {
  private readonly objects = new Map<object, string>();
  private readonly primitives = new Map<string | bigint, string>();

  private known(v: PyValue): string | undefined {
    if (typeof v === "string" || typeof v === "bigint") return this.primitives.get(v);
    return v !== null && typeof v === "object" ? this.objects.get(v) : undefined;
  }

  private remember(v: PyValue, key: string): string {
    if (typeof v === "string" || typeof v === "bigint") this.primitives.set(v, key);
    else if (v !== null && typeof v === "object") this.objects.set(v, key);
    return key;
  }

  /** The key of a value that is not a tuple or frozenset. */
  private leafKey(v: PyValue): string {
    if (v instanceof PyObject) return bounded(`o:${v.className}`);
    if (v instanceof PyDateTime) return `dt:${datetimeIso(v)}`;
    if (v instanceof PyTime) return `dt:${timeIso(v)}`;
    return bounded(asciiJson(leafTag(v) ?? { other: typeof v }));
  }

  /** The key of a value that is not a tuple or frozenset, computed once per string, bigint or object. */
  private leaf(v: PyValue): string {
    return this.known(v) ?? this.remember(v, this.leafKey(v));
  }

  key(root: PyValue): string {
    if (!members(root)) return this.leaf(root);
    const inProgress = new Set<object>();
    const work: PyValue[] = [root];
    while (work.length > 0) {
      const v = work[work.length - 1]!;
      if (this.known(v) !== undefined) {
        work.pop();
        continue;
      }
      const items = members(v)!;
      if (!inProgress.has(v as object)) {
        // First visit: tuple and frozenset members first, then this one again.
        inProgress.add(v as object);
        for (const item of items) if (members(item) && this.known(item) === undefined && !inProgress.has(item as object)) work.push(item);
        continue;
      }
      work.pop();
      inProgress.delete(v as object);
      // A member still unknown here is an enclosing tuple (a cycle, which pickles cannot build): "...".
      const keys: string[] = [];
      for (const item of items) keys.push(members(item) ? (this.known(item) ?? "...") : this.leaf(item));
      this.remember(v, bounded(v instanceof PyTuple ? `t[${keys.join(",")}]` : `F[${keys.sort().join(",")}]`));
    }
    return this.known(root)!;
  }
}

/** The members of a tuple or frozenset (whose keys are built from their members' keys), else undefined. */
function members(v: PyValue): readonly PyValue[] | undefined {
  return v instanceof PyTuple ? v.items : v instanceof PyFrozenSet ? [...v] : undefined;
}

function sortedMembers(set: Set<PyValue>, keys: ShapeKeys): PyValue[] {
  const keyed: (readonly [string, PyValue])[] = [];
  for (const v of set) keyed.push([keys.key(v), v]);
  keyed.sort(byKey);
  const sorted: PyValue[] = [];
  for (const k of keyed) sorted.push(k[1]);
  return sorted;
}

const byKey = (a: readonly [string, PyValue], b: readonly [string, PyValue]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Tags of values without children (and of the scalars with fixed inner parts). */
function leafTag(v: PyValue): Tagged | undefined {
  if (v === null) return { none: null };
  switch (typeof v) {
    case "boolean":
      return { bool: v };
    case "bigint":
      return { int: v.toString() };
    case "number":
      return { float: floatRepr(v) };
    case "string":
      return { str: v };
  }
  if (v instanceof PyBytearray) return undefined;
  if (v instanceof Uint8Array) return { bytes: hex(v) };
  if (v instanceof PyFloat) return { float: floatRepr(v.value) };
  if (v instanceof PyComplex) return { complex: [floatRepr(v.real), floatRepr(v.imag)] };
  if (v instanceof PyGlobal) return { global: v.qualifiedName };
  if (v instanceof PyDecimal) return { decimal: v.text };
  if (v instanceof PyUUID) return { uuid: v.toString() };
  if (v instanceof PyDate && !(v instanceof PyDateTime)) return { date: dateIso(v) };
  if (v instanceof PyTimeDelta) return { timedelta: [v.days, v.seconds, v.microseconds] };
  if (v instanceof PyZoneInfo) return { zoneinfo: v.key };
  if (v instanceof PyTimezone) {
    const o = v.offset;
    return v.name === null ? { timezone: [o.days, o.seconds, o.microseconds] } : { timezone: [o.days, o.seconds, o.microseconds], name: v.name };
  }
  if (v instanceof PickleBuffer) return { picklebuffer: hex(v.data), readonly: v.readonly };
  // numpy scalars and dtypes; an array has an identity, and is tagged below.
  return v instanceof NdArray ? undefined : numpyTag(v);
}

/** The tagged JSON tree of a value. Iterative: a value nested a million levels deep is fine. */
export function toTagged(root: PyValue): Tagged {
  // A value without children (the common case for many small pickles) needs no walk.
  const leaf = leafTag(root);
  if (leaf) return leaf;
  return new TaggedBuilder(countReferences(root)).build(root);
}

/** A work item: write the tag of `value` into `slot[key]`. */
interface TagWork {
  value: PyValue;
  slot: Record<string | number, unknown>;
  key: string | number;
}

/** One toTagged's ids and work list: a class, so that tagging many small values creates no closures. */
class TaggedBuilder {
  private shapeKeys: ShapeKeys | null = null;
  private readonly ids = new Map<object, number>();
  private readonly work: TagWork[] = [];

  constructor(private readonly counts: Map<object, number>) {}

  private schedule(values: readonly PyValue[], into: unknown[]): void {
    for (let i = values.length - 1; i >= 0; i--) this.work.push({ value: values[i]!, slot: into as Record<number, unknown>, key: i });
  }

  private pairs(entries: Iterable<readonly [PyValue, PyValue]>, into: unknown[][]): void {
    const list = [...entries];
    for (let i = 0; i < list.length; i++) into.push([undefined, undefined]);
    for (let i = list.length - 1; i >= 0; i--) {
      this.work.push({ value: list[i]![1], slot: into[i] as Record<number, unknown>, key: 1 });
      this.work.push({ value: list[i]![0], slot: into[i] as Record<number, unknown>, key: 0 });
    }
  }

  build(root: PyValue): Tagged {
    const { work, ids, counts } = this;
    const out: { value?: unknown } = {};
    work.push({ value: root, slot: out, key: "value" });
    while (work.length > 0) {
      const { value: v, slot, key } = work.pop()!;
      const leaf = leafTag(v);
      if (leaf) {
        slot[key] = leaf;
        continue;
      }
      const obj = v as object;
      let node: Tagged;
      if (hasIdentity(v)) {
        const known = ids.get(obj);
        if (known !== undefined) {
          slot[key] = { ref: known };
          continue;
        }
      }
      if (Array.isArray(v)) {
        const items: unknown[] = new Array(v.length);
        node = { list: items };
        this.schedule(v, items);
      } else if (v instanceof PyTuple) {
        const items: unknown[] = new Array(v.items.length);
        node = { tuple: items };
        this.schedule(v.items, items);
      } else if (v instanceof Set) {
        const members = sortedMembers(v, (this.shapeKeys ??= new ShapeKeys()));
        const items: unknown[] = new Array(members.length);
        node = v instanceof PyFrozenSet ? { frozenset: items } : { set: items };
        this.schedule(members, items);
      } else if (v instanceof Map) {
        const entries: unknown[][] = [];
        node = v instanceof PyOrderedDict ? { ordereddict: entries } : { dict: entries };
        this.pairs(v, entries);
      } else if (v instanceof PyBytearray) {
        node = { bytearray: hex(v) };
      } else if (v instanceof NdArray) {
        node = numpyTag(v)!;
      } else if (v instanceof PyObject) {
        // Keys in reading order; work is scheduled in reverse so that ids number in reading order.
        const body: Record<string, unknown> = { class: v.callable instanceof PyGlobal ? v.callable.qualifiedName : null };
        body.args = new Array(v.args.length);
        const kwargs = v.kwargs && v.kwargs.size > 0 ? v.kwargs : null;
        if (kwargs) body.kwargs = [];
        if (v.state !== undefined) body.state = null;
        if (v.listItems) body.listitems = new Array(v.listItems.length);
        if (v.dictItems) body.dictitems = [];
        node = { object: body };
        if (v.dictItems) this.pairs(v.dictItems, body.dictitems as unknown[][]);
        if (v.listItems) this.schedule(v.listItems, body.listitems as unknown[]);
        if (v.state !== undefined) work.push({ value: v.state, slot: body, key: "state" });
        if (kwargs) this.pairs(kwargs, body.kwargs as unknown[][]);
        this.schedule(v.args, body.args as unknown[]);
        if (!(v.callable instanceof PyGlobal)) work.push({ value: v.callable, slot: body, key: "class" });
      } else if (v instanceof PyDateTime || v instanceof PyTime) {
        node = v instanceof PyDateTime ? { datetime: datetimeIso(v) } : { time: timeIso(v) };
        if (v.fold) node.fold = 1;
        if (v.tzinfo !== null) work.push({ value: v.tzinfo, slot: node, key: "tzinfo" });
      } else {
        throw new TypeError(`not a Python value: ${Object.prototype.toString.call(v)}`);
      }
      if (hasIdentity(v) && (counts.get(obj) ?? 0) > 1) {
        const id = ids.size + 1;
        ids.set(obj, id);
        node.id = id;
      }
      slot[key] = node;
    }
    return out.value as Tagged;
  }
}

export class TaggedTooLongError extends Error {}

/**
 * JSON text of a tagged tree, without recursion (JSON.stringify would overflow on deep values).
 * Containers are shared by {"ref": n}, but a str or bytes reached many times prints in full each
 * time: past `maxLength` characters it stops with TaggedTooLongError instead of growing without bound.
 */
export function stringifyTagged(tree: unknown, maxLength = 2 ** 28): string {
  return new TaggedWriter(maxLength).write(tree);
}

const CLOSE_BRACKET = Symbol.for("]");
const CLOSE_BRACE = Symbol.for("}");
const COMMA = Symbol.for(",");

/** `"key":` as a symbol; the tags' few keys are looked up once, not encoded per object. */
const KEY_TEXTS = new Map<string, symbol>();
function keyText(key: string): symbol {
  let text = KEY_TEXTS.get(key);
  if (text === undefined) {
    text = Symbol.for(JSON.stringify(key) + ":");
    if (KEY_TEXTS.size < 1024) KEY_TEXTS.set(key, text);
  }
  return text;
}

/** One stringifyTagged's output: a class, so that writing many small trees creates no closures. */
class TaggedWriter {
  private readonly parts: string[] = [];
  private length = 0;

  constructor(private readonly maxLength: number) {}

  private put(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    if (this.length > this.maxLength) {
      throw new TaggedTooLongError(`tagged JSON is longer than ${this.maxLength} characters (a str or bytes value shared many times prints in full each time)`);
    }
  }

  write(tree: unknown): string {
    // Work items: a symbol is text to write as it is (its description), anything else a value.
    const work: unknown[] = [tree];
    while (work.length > 0) {
      const item = work.pop();
      if (typeof item === "symbol") {
        this.put(item.description!);
        continue;
      }
      if (item === null || typeof item !== "object") {
        // ASCII only, as Python's json.dumps: no raw control or bidi character reaches a terminal.
        this.put(typeof item === "string" ? asciiJson(item) : JSON.stringify(item ?? null));
        continue;
      }
      if (Array.isArray(item)) {
        this.put("[");
        work.push(CLOSE_BRACKET);
        for (let i = item.length - 1; i >= 0; i--) {
          work.push(item[i]);
          if (i > 0) work.push(COMMA);
        }
      } else {
        // Own enumerable keys in order, as Object.entries gives them; undefined members are left out.
        const record = item as Record<string, unknown>;
        const keys: string[] = [];
        const values: unknown[] = [];
        for (const k of Object.keys(record)) {
          const x = record[k];
          if (x !== undefined) (keys.push(k), values.push(x));
        }
        this.put("{");
        work.push(CLOSE_BRACE);
        for (let i = keys.length - 1; i >= 0; i--) {
          work.push(values[i]);
          work.push(keyText(keys[i]!));
          if (i > 0) work.push(COMMA);
        }
      }
    }
    return this.parts.join("");
  }
}
