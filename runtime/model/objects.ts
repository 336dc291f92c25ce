// Values that stand for Python objects we do not (or may not) construct: a reference to a global,
// an opaque instance recorded as data, and a PEP 574 buffer.
import type { PyValue } from "./value.ts";

/** A reference to a module-level name: a class or function, `module.qualname`. */
export class PyGlobal {
  /** `module.qualname`, made once (readers compare it per instance). */
  readonly qualifiedName: string;
  constructor(
    readonly module: string,
    readonly name: string,
  ) {
    this.qualifiedName = `${module}.${name}`;
  }
}

/** How an opaque instance was built in the pickle. */
export type Construction = "reduce" | "newobj" | "newobj_ex" | "inst" | "obj";

/**
 * An instance of a class the reader does not build, recorded as data: what was called, with what,
 * and what state and items were applied afterwards. Nothing was called to make it.
 */
export class PyObject {
  /** BUILD's state, if any. */
  state: PyValue | undefined = undefined;
  /** Items added by APPEND(S) (a list subclass), if any. */
  listItems: PyValue[] | undefined = undefined;
  /** Pairs added by SETITEM(S) (a dict subclass), if any. */
  dictItems: [PyValue, PyValue][] | undefined = undefined;
  /** Where the reader made it: the offset of its NEWOBJ / REDUCE / … opcode (-1 if not read). */
  offset = -1;

  constructor(
    /** The callable: usually a PyGlobal naming the class. */
    readonly callable: PyValue,
    readonly args: readonly PyValue[],
    readonly kwargs: Map<PyValue, PyValue> | null = null,
    readonly construction: Construction = "newobj",
  ) {}

  /** `module.qualname` of the callable, or "?" when it is not a global. */
  get className(): string {
    return this.callable instanceof PyGlobal ? this.callable.qualifiedName : "?";
  }
}

/** `pickle.PickleBuffer` (protocol 5): a buffer that may travel out of band. */
export class PickleBuffer {
  constructor(
    readonly data: Uint8Array,
    readonly readonly: boolean = false,
  ) {}
}
