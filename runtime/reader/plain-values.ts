// The plain reading mode (loadsPlain): what it returns, and the two conversions the unpickler needs
// at its edges — values handed to an allowlisted reduction go back to the lossless model (the
// handlers of datetime, Decimal, numpy… read bigint ints, PyTuple tuples and Map dicts), and a
// dict object that had to become a Map is replaced wherever it was already placed.
import { PyTuple } from "../model/containers.ts";
import { type PlainDict, isPlainDict } from "../model/plain-dict.ts";
import { PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";

export type { PlainDict } from "../model/plain-dict.ts";

/**
 * A value read by loadsPlain. int is `number` while exact (|n| ≤ 2^53 − 1), else `bigint`; float is
 * `number`; tuple and list are arrays; a dict whose keys are all str is a PlainDict (an object with
 * no reachable prototype), any other dict a Map. A tuple used as a dict key or set member stays a
 * PyTuple (a Map or Set compares arrays by identity). Everything else is as `loads` gives it.
 */
export type PlainValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PlainValue[]
  | PlainDict<PlainValue>
  | Map<PlainValue, PlainValue>
  | Set<PlainValue>
  | PyTuple
  | Exclude<PyValue, null | boolean | number | bigint | string | PyValue[] | PyTuple | Map<PyValue, PyValue> | Set<PyValue>>;

const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** An int as the plain mode gives it: a number while exact, else the bigint. */
export function plainInt(v: bigint): number | bigint {
  return v >= -MAX_EXACT && v <= MAX_EXACT ? Number(v) : v;
}

/** A set fresh from a reduction's handler (lossless members), with its int members as plainInt gives them. */
export function plainMembers(set: Set<PyValue>): void {
  const members = [...set];
  if (!members.some((m) => typeof m === "bigint")) return;
  set.clear();
  for (const m of members) set.add(typeof m === "bigint" ? plainInt(m) : m);
}

/**
 * A plain value as the lossless model has it, for a reduction's handler: arrays that were tuples
 * (`tuples`) become PyTuples, other arrays lists, dict objects Maps, integral numbers (but -0)
 * bigints — so an integral *float* argument reaches the handler as an int (documented lossiness).
 * Shared and cyclic parts stay shared (`seen`); `charge` is told each copy's size, so repeated
 * conversions stay within the reader's allocation budget.
 */
export function toLossless(value: PyValue | PlainValue, tuples: ReadonlySet<unknown>, charge: (bytes: number) => void, seen = new Map<object, PyValue>()): PyValue {
  if (typeof value === "number") return Number.isInteger(value) && !Object.is(value, -0) ? BigInt(value) : value;
  if (value === null || typeof value !== "object") return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    charge(8 * value.length);
    if (tuples.has(value)) {
      // A tuple's items are final once it exists; a cycle through it passes through a list first.
      const tuple = new PyTuple(value.map((item) => toLossless(item, tuples, charge, seen)));
      seen.set(value, tuple);
      return tuple;
    }
    const list: PyValue[] = [];
    seen.set(value, list);
    for (const item of value) list.push(toLossless(item, tuples, charge, seen));
    return list;
  }
  if (isPlainDict(value)) {
    const dict = new Map<PyValue, PyValue>();
    seen.set(value, dict);
    for (const key of Object.keys(value)) {
      charge(64);
      dict.set(key, toLossless(value[key] as PlainValue, tuples, charge, seen));
    }
    return dict;
  }
  if (value instanceof Map && value.constructor === Map) {
    const dict = new Map<PyValue, PyValue>();
    seen.set(value, dict);
    // Keys are already hashable lossless values (see PlainValue); only the values are plain.
    for (const [k, v] of value) {
      charge(64);
      dict.set(k as PyValue, toLossless(v as PlainValue, tuples, charge, seen));
    }
    return dict;
  }
  return value as PyValue;
}

/**
 * Replaces, everywhere under `root`, each dict object that became a Map after it was placed (a
 * non-str key came later, e.g. in a second SETITEMS batch of a self-referencing dict) by its Map.
 * Iterative; each object is visited once. Returns the root, itself replaced if it was one.
 */
export function redirectForwarded(root: PlainValue, forwarded: ReadonlyMap<object, Map<PlainValue, PlainValue>>): PlainValue {
  const swap = (v: unknown): unknown => (v !== null && typeof v === "object" ? (forwarded.get(v) ?? v) : v);
  const top = swap(root) as PlainValue;
  const seen = new Set<object>();
  const pending: unknown[] = [top];
  const visit = (v: unknown) => {
    if (v !== null && typeof v === "object" && !seen.has(v)) pending.push(v);
  };
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit((value[i] = swap(value[i])));
    } else if (isPlainDict(value)) {
      for (const key of Object.keys(value)) visit((value[key] = swap(value[key])));
    } else if (value instanceof Map) {
      for (const [k, v] of value) {
        const to = swap(v);
        if (to !== v) value.set(k, to);
        visit(k);
        visit(to);
      }
    } else if (value instanceof PyObject) {
      // An opaque instance (opaque mode) may hold plain dicts in its arguments, state or items.
      const args = value.args as unknown[];
      for (let i = 0; i < args.length; i++) visit((args[i] = swap(args[i])));
      if (value.state !== undefined) visit((value.state = swap(value.state) as PyValue));
      if (value.listItems) for (let i = 0; i < value.listItems.length; i++) visit((value.listItems[i] = swap(value.listItems[i]) as PyValue));
      if (value.dictItems) for (const pair of value.dictItems) visit((pair[1] = swap(pair[1]) as PyValue));
    }
  }
  return top;
}
