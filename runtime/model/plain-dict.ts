// The plain reading mode's dict (loadsPlain): an ordinary JavaScript object whose prototype is one
// shared, frozen, empty object that has no prototype itself. Nothing is inherited — no
// `toString`, no `constructor`, no `__proto__` accessor — so every str key of a pickle, including
// "__proto__" and "constructor", is an own property like any other, and no key reaches
// Object.prototype. (Object.create(null) would do the same, but V8 makes such objects slow
// dictionaries from the start; objects made from one shared prototype share their shapes.)

/** The prototype of every plain dict. */
const PLAIN_DICT_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/** A Python dict whose keys are all str, read by the plain mode. */
export interface PlainDict<V = unknown> {
  [key: string]: V;
}

export function newPlainDict<V>(): PlainDict<V> {
  return Object.create(PLAIN_DICT_PROTOTYPE) as PlainDict<V>;
}

export function isPlainDict(value: unknown): value is PlainDict {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === PLAIN_DICT_PROTOTYPE;
}
