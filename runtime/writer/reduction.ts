// What the save loop writes besides the value model's own values: a __reduce__ result (Reduction),
// and the objects CPython makes on the fly while reducing — a new bytes or str argument, an argument
// list or tuple, a __getstate__ dict, a bound method. They are memoized (CPython memoizes them) but
// never fetched again, because nothing else holds them.
import type { PyValue } from "../model/value.ts";

/** What a __reduce__ would return, in the parts save_reduce uses. */
export interface Reduction {
  /** "reduce": callable(*args). "newobj": cls.__new__(cls, *args). "newobj_ex": with kwargs. */
  kind: "reduce" | "newobj" | "newobj_ex";
  callable: SaveValue;
  args: readonly SaveValue[];
  kwargs?: Map<PyValue, PyValue> | undefined;
  state?: SaveValue | undefined;
  listItems?: readonly PyValue[] | undefined;
  dictItems?: readonly (readonly [PyValue, PyValue])[] | undefined;
  /** The object the result is memoized as: an object (identity), a key string, FRESH, or null (not memoized). */
  memo: MemoKey | null;
}

/** A memo entry nothing will ever fetch: a new object CPython makes on the fly and memoizes. */
export const FRESH = Symbol("fresh");

/** What a value is memoized under: an object (identity), a key string (values shared by value), or FRESH. */
export type MemoKey = object | string | typeof FRESH;

/** A str that CPython creates anew (a reduction's argument): memoized, never shared. */
export class FreshStr {
  constructor(readonly s: string) {}
}
/** A bytes value that CPython creates anew (a datetime's state): memoized, never shared. */
export class FreshBytes {
  constructor(readonly b: Uint8Array) {}
}
/** A list CPython builds on the fly (set(list) below protocol 4). */
export class FreshList {
  constructor(readonly items: readonly PyValue[]) {}
}
/** A reduction's argument tuple. */
export class FreshTuple {
  constructor(readonly items: readonly SaveValue[]) {}
}
/** A dict CPython builds on the fly (a __getstate__ result): memoized, never shared. */
export class FreshDict {
  constructor(readonly map: Map<PyValue, PyValue>) {}
}
/** A value CPython builds through a reduction on the fly (a bound method, say). */
export class ReductionValue {
  constructor(readonly r: Reduction) {}
}

/** The empty argument tuple of most NEWOBJs: `()` is not memoized, so one shared object serves. */
export const NO_ARGS = new FreshTuple([]);

/** A value made while reducing another: never the user's, so never offered to persistentId. */
export type MadeValue = FreshStr | FreshBytes | FreshList | FreshTuple | FreshDict | ReductionValue;

/** What the save loop saves: a value of the model, or one made while reducing. */
export type SaveValue = PyValue | MadeValue;

export function isMadeValue(v: SaveValue): v is MadeValue {
  return v instanceof FreshStr || v instanceof FreshBytes || v instanceof FreshList || v instanceof FreshTuple || v instanceof FreshDict || v instanceof ReductionValue;
}
