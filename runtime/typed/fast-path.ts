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
