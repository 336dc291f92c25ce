// The tagged JSON form of a value (`show --json`): every Python type keeps its own tag, ints are
// decimal strings, floats are Python reprs, and a container reached more than once carries
// "id": n where it first appears and is {"ref": n} afterwards. python/tagged.py writes the same form
// from a live Python value; the tests compare the two.
import { createHash } from "node:crypto";
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { forEachChild } from "../model/walk.ts";
import { floatRepr } from "./float-repr.ts";
import { dateIso, datetimeIso, timeIso } from "./iso.ts";

export type Tagged = { [tag: string]: unknown };

/** Values that have an identity in both Python and here, and so may be shared. */
export function hasIdentity(v: PyValue): v is object & PyValue {
  if (v === null || typeof v !== "object") return false;
  if (v instanceof PyTuple) return v.items.length > 0;
  return Array.isArray(v) || v instanceof Map || v instanceof Set || v instanceof PyBytearray || v instanceof PyObject;
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
    const children: PyValue[] = [];
    forEachChild(v, (c) => children.push(c));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return counts;
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

/** JSON with DEL and every non-ASCII UTF-16 unit escaped, as Python's json.dumps(ensure_ascii=True). */
function asciiJson(x: unknown): string {
  return JSON.stringify(x).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Keys longer than this are replaced by a digest, so that a key never holds its members' keys in full. */
const KEY_LIMIT = 256;

/** A key kept short: past KEY_LIMIT UTF-16 units, "#" + sha256 of its UTF-16LE code units. */
function bounded(key: string): string {
  return key.length > KEY_LIMIT ? "#" + createHash("sha256").update(key, "utf16le").digest("hex") : key;
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
    const members = (v: PyValue): readonly PyValue[] | undefined =>
      v instanceof PyTuple ? v.items : v instanceof PyFrozenSet ? [...v] : undefined;
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
      const keys = items.map((item) => (members(item) ? (this.known(item) ?? "...") : this.leaf(item)));
      this.remember(v, bounded(v instanceof PyTuple ? `t[${keys.join(",")}]` : `F[${keys.sort().join(",")}]`));
    }
    return this.known(root)!;
  }
}

function sortedMembers(set: Set<PyValue>, keys: ShapeKeys): PyValue[] {
  const keyed: (readonly [string, PyValue])[] = [];
  for (const v of set) keyed.push([keys.key(v), v]);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map((k) => k[1]);
}

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
  return undefined;
}

/** The tagged JSON tree of a value. Iterative: a value nested a million levels deep is fine. */
export function toTagged(root: PyValue): Tagged {
  const counts = countReferences(root);
  const shapeKeys = new ShapeKeys();
  const ids = new Map<object, number>();
  const out: { value?: unknown } = {};
  // Work items: write the tag of `value` into `slot[key]`.
  const work: { value: PyValue; slot: Record<string | number, unknown>; key: string | number }[] = [
    { value: root, slot: out as Record<string, unknown>, key: "value" },
  ];
  const schedule = (values: readonly PyValue[], into: unknown[]) => {
    for (let i = values.length - 1; i >= 0; i--) work.push({ value: values[i]!, slot: into as unknown as Record<number, unknown>, key: i });
  };
  const pairs = (entries: Iterable<readonly [PyValue, PyValue]>, into: unknown[][]) => {
    const list = [...entries];
    list.forEach(() => into.push([undefined, undefined]));
    for (let i = list.length - 1; i >= 0; i--) {
      work.push({ value: list[i]![1], slot: into[i] as unknown as Record<number, unknown>, key: 1 });
      work.push({ value: list[i]![0], slot: into[i] as unknown as Record<number, unknown>, key: 0 });
    }
  };
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
      schedule(v, items);
    } else if (v instanceof PyTuple) {
      const items: unknown[] = new Array(v.items.length);
      node = { tuple: items };
      schedule(v.items, items);
    } else if (v instanceof Set) {
      const members = sortedMembers(v, shapeKeys);
      const items: unknown[] = new Array(members.length);
      node = v instanceof PyFrozenSet ? { frozenset: items } : { set: items };
      schedule(members, items);
    } else if (v instanceof Map) {
      const entries: unknown[][] = [];
      node = v instanceof PyOrderedDict ? { ordereddict: entries } : { dict: entries };
      pairs(v, entries);
    } else if (v instanceof PyBytearray) {
      node = { bytearray: hex(v) };
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
      if (v.dictItems) pairs(v.dictItems, body.dictitems as unknown[][]);
      if (v.listItems) schedule(v.listItems, body.listitems as unknown[]);
      if (v.state !== undefined) work.push({ value: v.state, slot: body, key: "state" });
      if (kwargs) pairs(kwargs, body.kwargs as unknown[][]);
      schedule(v.args, body.args as unknown[]);
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

export class TaggedTooLongError extends Error {}

/**
 * JSON text of a tagged tree, without recursion (JSON.stringify would overflow on deep values).
 * Containers are shared by {"ref": n}, but a str or bytes reached many times prints in full each
 * time: past `maxLength` characters it stops with TaggedTooLongError instead of growing without bound.
 */
export function stringifyTagged(tree: unknown, maxLength = 2 ** 28): string {
  const parts: string[] = [];
  let length = 0;
  const put = (text: string) => {
    parts.push(text);
    length += text.length;
    if (length > maxLength) throw new TaggedTooLongError(`tagged JSON is longer than ${maxLength} characters (a str or bytes value shared many times prints in full each time)`);
  };
  const work: unknown[] = [tree];
  while (work.length > 0) {
    const item = work.pop();
    if (typeof item === "symbol") {
      put((item as symbol).description!);
      continue;
    }
    if (item === null || typeof item !== "object") {
      // ASCII only, as Python's json.dumps: no raw control or bidi character reaches a terminal.
      put(typeof item === "string" ? asciiJson(item) : JSON.stringify(item ?? null));
      continue;
    }
    if (Array.isArray(item)) {
      put("[");
      work.push(Symbol.for("]"));
      for (let i = item.length - 1; i >= 0; i--) {
        work.push(item[i]);
        if (i > 0) work.push(Symbol.for(","));
      }
    } else {
      const entries = Object.entries(item).filter(([, x]) => x !== undefined);
      put("{");
      work.push(Symbol.for("}"));
      for (let i = entries.length - 1; i >= 0; i--) {
        work.push(entries[i]![1]);
        work.push(Symbol.for(JSON.stringify(entries[i]![0]) + ":"));
        if (i > 0) work.push(Symbol.for(","));
      }
    }
  }
  return parts.join("");
}
