// The typed fast paths (generated `read`/`write` per class) handle the exact opcode layout CPython
// writes for a schema. Anything else — another layout, a value of the wrong type, a field the schema
// does not know — is a miss: the whole load or dump starts again on the general reader or writer,
// which is the authority on values and on error messages. A miss never produces a result.

/** Thrown by a fast path that meets something it does not handle. Carries no message: it is caught. */
export class FastPathMiss {
  private constructor() {}
  static readonly instance = new FastPathMiss();
}

export function miss(): never {
  throw FastPathMiss.instance;
}

/** V8's stack overflow: a value nested deeper than the recursive fast paths and codecs can go. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message === "Maximum call stack size exceeded";
}

/**
 * What sends a load or dump from a fast path to the general one: a miss, or a value nested too deeply
 * for the fast path's recursion (the general path refuses it in its own words). Nothing else: any
 * other error from a fast path is a bug and surfaces.
 */
export function isMiss(e: unknown): boolean {
  return e === FastPathMiss.instance || isStackOverflow(e);
}
