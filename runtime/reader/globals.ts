// Class resolution as an explicit allowlist, the role `Unpickler.find_class` plays in Python. A
// handler is our own code that interprets a call on an allowed global; nothing from the pickle is
// ever called.
import { PyGlobal } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";

/** What a handler may use while it builds a value. */
export interface BuildContext {
  /** True when reading in opaque mode: a handler may keep what it does not model as a recorded call. */
  readonly opaque: boolean;
  /** The protocol of the pickle being read (its PROTO opcode; 0 before one). */
  readonly protocol: number;
  /** Counts bytes a handler copies (a reduction can copy a memoised value many times over). */
  charge(bytes: number): void;
  /** dict/set insertion with Python's key equality. */
  dictSet(dict: Map<PyValue, PyValue>, key: PyValue, value: PyValue): void;
  setAdd(set: Set<PyValue>, item: PyValue): void;
  /** `cls.__new__(cls, *args, **kwargs)` through the allowlist (opaque mode: recorded as data). */
  construct(who: string, cls: PyValue | undefined, args: readonly PyValue[], kwargs: ReadonlyMap<PyValue, PyValue> | null): PyValue;
}

/** Thrown by handlers for arguments the real callable would refuse; the reader adds offset and opcode. */
export class ReductionError extends Error {}

export interface GlobalHandler {
  /** `callable(*args)`, as REDUCE, INST and OBJ do. */
  call?(args: readonly PyValue[], ctx: BuildContext): PyValue;
  /** `cls.__new__(cls, *args, **kwargs)`, as NEWOBJ, NEWOBJ_EX and copyreg's helpers do. */
  construct?(args: readonly PyValue[], kwargs: ReadonlyMap<PyValue, PyValue> | null, ctx: BuildContext): PyValue;
  /** `getattr(global, name)`: the allowed attribute, or undefined to refuse. */
  attribute?(name: string, ctx: BuildContext): PyValue | undefined;
}

/** An allowlist: handlers by `module.qualname` (Python 3 names). */
export type GlobalRegistry = ReadonlyMap<string, GlobalHandler>;

/** A global that the allowlist resolved: it carries the handler that interprets calls on it. */
export class KnownGlobal extends PyGlobal {
  constructor(
    module: string,
    name: string,
    readonly handler: GlobalHandler,
  ) {
    super(module, name);
  }
}

/**
 * BUILD's hook: an object made by a handler and completed by BUILD (`__setstate__`). The object is
 * changed in place, because the memo may already hold it.
 */
export const SET_STATE = Symbol("typed-pickle.setState");

export interface Buildable {
  [SET_STATE](state: PyValue, ctx: BuildContext): void;
}

export function isBuildable(value: unknown): value is Buildable {
  return typeof value === "object" && value !== null && SET_STATE in value;
}
