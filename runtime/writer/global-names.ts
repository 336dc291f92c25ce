// Which string objects CPython writes for a global's module and name at protocol 4 (STACK_GLOBAL),
// as far as the memo can tell them apart. CPython memoizes by identity: a module name is an interned
// string (one object per value, shared with equal interned strings anywhere in the pickle); the
// __qualname__ of a class written in Python is interned too; but C types and builtin functions make
// a fresh qualname string on every access (../shared/PICKLE-FACTS.md §3), and builtin functions
// carry a module string of their own that is not the interned one.

/** How the writer treats one string's identity. */
export type StringIdentity =
  /** One object per value: memoized by value (the policy for every str the user writes). */
  | "interned"
  /** A new object each time: memoized, never fetched again. */
  | "fresh"
  /** One object per key, distinct from the interned string of the same value. */
  | { readonly stable: string };

/** Globals implemented in C, whose __qualname__ is a fresh string on each access. */
const C_IMPLEMENTED = new Set([
  "datetime.datetime",
  "datetime.date",
  "datetime.time",
  "datetime.timedelta",
  "datetime.timezone",
  "datetime.tzinfo",
  "decimal.Decimal",
  "collections.OrderedDict",
  "collections.defaultdict",
  "collections.deque",
  "zoneinfo.ZoneInfo",
  "_codecs.encode",
  "builtins.set",
  "builtins.frozenset",
  "builtins.bytearray",
  "builtins.bytes",
  "builtins.complex",
  "builtins.getattr",
  "builtins.object",
  "builtins.int",
  "builtins.float",
  "builtins.str",
  "builtins.list",
  "builtins.dict",
  "builtins.tuple",
  "builtins.range",
  "builtins.slice",
  "functools.partial",
  // numpy's C types and C functions (_frombuffer is a Python function: its qualname is interned).
  "numpy.ndarray",
  "numpy.dtype",
  "numpy.core.multiarray._reconstruct",
  "numpy._core.multiarray._reconstruct",
  "numpy.core.multiarray.scalar",
  "numpy._core.multiarray.scalar",
]);

/** Builtin functions: their __module__ is the builtins module's own name object, not interned. */
const BUILTIN_FUNCTIONS = new Set(["getattr", "setattr", "len", "eval", "exec", "print", "iter", "next", "reversed"]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function moduleIdentity(module: string, name: string): StringIdentity {
  if (module === "builtins" && BUILTIN_FUNCTIONS.has(name)) return { stable: "builtins-functions-module" };
  return "interned";
}

export function nameIdentity(module: string, name: string): StringIdentity {
  if (C_IMPLEMENTED.has(`${module}.${name}`)) return "fresh";
  // A Python class's qualname is interned when it is an identifier (a compiler constant); a nested
  // class's dotted qualname is a constant of its own, never shared.
  return IDENTIFIER.test(name) ? "interned" : "fresh";
}

/** CPython hands out one object for "" and each one-character Latin-1 string, however made. */
export function isCachedStr(s: string): boolean {
  return s.length === 0 || (s.length === 1 && s.charCodeAt(0) < 256);
}
