// Python containers that have no exact JavaScript twin. list → Array, dict → Map and set → Set are
// used as they are; tuple, frozenset, bytearray and OrderedDict need a type of their own so that a
// value read from a pickle can be written back as the same Python type.
import { NdArray } from "../numpy/ndarray.ts";
import type { PyValue } from "./value.ts";
import { isPlainDict } from "./plain-dict.ts";

/** Python `tuple`: an immutable sequence, distinct from a list. */
export class PyTuple {
  readonly items: readonly PyValue[];
  /** False when an item is (or holds) a list, dict, set or bytearray: such a tuple cannot be a dict key. */
  readonly hashable: boolean;

  constructor(items: readonly PyValue[]) {
    this.items = items;
    let hashable = true;
    for (let i = 0; i < items.length && hashable; i++) hashable = isHashable(items[i]!);
    this.hashable = hashable;
  }

  get length(): number {
    return this.items.length;
  }

  [Symbol.iterator](): Iterator<PyValue> {
    return this.items[Symbol.iterator]();
  }
}

/** Python `frozenset`: a Set that Python will not let anyone change, and so may be a dict key. */
export class PyFrozenSet<T extends PyValue = PyValue> extends Set<T> {}

/** Python `bytearray`: mutable bytes. Plain `Uint8Array` (and Node's Buffer) stands for `bytes`. */
export class PyBytearray extends Uint8Array {}

/** `collections.OrderedDict`: a dict subclass, written by CPython through REDUCE + SETITEMS. */
export class PyOrderedDict<K extends PyValue = PyValue, V extends PyValue = PyValue> extends Map<K, V> {}

/**
 * Python's hashability: may this value be a dict key or set element? Lists, dicts, sets and
 * bytearrays may not, nor a tuple holding one. Tuples carry their verdict, computed once from
 * finished items, so no check ever walks a nested structure again.
 */
export function isHashable(value: PyValue): boolean {
  if (value === null || typeof value !== "object") return true;
  if (value instanceof PyTuple) return value.hashable;
  if (Array.isArray(value) || value instanceof Map || value instanceof PyBytearray || value instanceof NdArray) return false;
  if (value instanceof Set) return value instanceof PyFrozenSet;
  return !isPlainDict(value); // the plain mode's dict (loadsPlain)
}
