// What a schema author writes. The decorators do nothing at run time: the generator reads them from
// the source with ts-morph. They are typed `(target, context?) => void` so that they compile with and
// without `experimentalDecorators`.
import type { PyBytearray, PyFrozenSet } from "../model/containers.ts";
import type { PyDate, PyDateTime, PyTime, PyTimeDelta } from "../model/datetime.ts";
import type { PyDecimal, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";

/** A Python int held in a JS number: values beyond ±2^53 are refused on load (use `bigint`). */
export type int = number;
/** A Python float. */
export type float = number;
/** Python bytes. */
export type bytes = Uint8Array;
export type bytearray = PyBytearray;
export type datetime = PyDateTime;
export type date = PyDate;
export type time = PyTime;
export type timedelta = PyTimeDelta;
export type Decimal = PyDecimal;
export type UUID = PyUUID;
/** Python frozenset. */
export type frozenset<T extends PyValue> = PyFrozenSet<T>;
/** Escape hatch: any pickle value, in the lossless value model. */
export type Any = PyValue;

type Decorator = (target: unknown, context?: unknown) => void;
const noop: Decorator = () => {};

/** How the Python class pickles its instances. */
export type StateForm =
  /** NEWOBJ + BUILD with a dict of the fields (plain classes, dataclasses; the default). */
  | "dict"
  /** NEWOBJ + BUILD with (None, {slot: value}) (`__slots__` without `__getstate__`). */
  | "slots"
  /** NEWOBJ + BUILD with a tuple of the fields in order (a `__getstate__` that returns a tuple). */
  | "tuple"
  /** NEWOBJ with the fields as arguments, no BUILD (namedtuple and `__getnewargs__` classes). */
  | "args"
  /** `cls(*fields)` through REDUCE (a `__reduce__` that returns `(cls, (fields…))`). */
  | "reduce"
  /**
   * A pydantic v2 model: NEWOBJ + BUILD with `{'__dict__': {fields…}, '__pydantic_extra__': …,
   * '__pydantic_fields_set__': {…}, '__pydantic_private__': …}`; the last three are kept as loaded.
   */
  | "pydantic";

export interface PyClassOptions {
  state?: StateForm;
}

/** Names the Python class this TypeScript class stands for: `@pyclass("myapp.models", "User")`. */
export function pyclass(module: string, qualname: string, options?: PyClassOptions): Decorator {
  (void module, qualname, options);
  return noop;
}

export interface FieldOptions {
  /** The Python attribute name, when it differs from the TypeScript property's. */
  name?: string;
}

/** A persistent field. Members without it are transient: never pickled, rebuilt by `@afterLoad`. */
export function field(options?: FieldOptions): Decorator {
  void options;
  return noop;
}

/** Marks the method to run on an instance after a load (Python's `__setstate__` work, e.g. reconnecting). */
export function afterLoad(): Decorator {
  return noop;
}

/**
 * Declares a TypeScript enum as a Python `enum.Enum` subclass: `pyenum(Color, "myapp.models", "Color")`
 * at module level. Member values (string or number literals) are the Python members' values.
 */
export function pyenum(enumObject: object, module: string, qualname: string): void {
  (void enumObject, module, qualname);
}
