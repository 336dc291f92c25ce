// What a pickle is written with: the protocol and the options CPython's Pickler takes.
import type { PickleBuffer } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";

export const DEFAULT_PROTOCOL = 4;
export const HIGHEST_PROTOCOL = 5;

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
  /**
   * Which numpy's names numpy arrays, dtypes and scalars are written with: 1 (`numpy.core.*`, which
   * numpy 1.x and 2.x read) or 2 (`numpy._core.*`, numpy 2.x only). Default: the generation a value
   * was read from, else 2.
   */
  numpy?: 1 | 2 | undefined;
  /**
   * Typed dumps (dumpsTyped, generated dumpsX): which equal strs are one object in Python. "shared"
   * (default): every str is memoized by value — written once, then fetched from the memo (the
   * smallest output). "fresh": each str a field or item holds is a new object, as strings built at
   * run time are in CPython: written each time (and memoized, never fetched), so the bytes are
   * CPython's own for such objects, and writing skips a hash lookup per str. Attribute names, dict
   * keys, `any` fields and the empty and one-character strs CPython caches stay shared. The generic
   * `dumps` memoizes every str by value whatever this says (it cannot tell a name from a value).
   */
  strings?: "shared" | "fresh" | undefined;
}
