// The lossless value model: every Python value a pickle can hold, as one TypeScript union.
import type { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "./containers.ts";
import type { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "./datetime.ts";
import type { PickleBuffer, PyGlobal, PyObject } from "./objects.ts";
import type { PyComplex, PyDecimal, PyFloat, PyUUID } from "./scalars.ts";
import type { NdArray, NumpyDtype, NumpyScalar } from "../numpy/ndarray.ts";

/**
 * A Python value. int is `bigint` and float is `number`, so `1` and `1.0` stay apart; `Uint8Array`
 * is bytes; arrays are lists; Map is dict (any hashable key, insertion order); Set is set.
 */
export type PyValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | Uint8Array
  | PyBytearray
  | PyValue[]
  | PyTuple
  | Map<PyValue, PyValue>
  | PyOrderedDict
  | Set<PyValue>
  | PyFrozenSet
  | PyDateTime
  | PyDate
  | PyTime
  | PyTimeDelta
  | PyTimezone
  | PyZoneInfo
  | PyDecimal
  | PyUUID
  | PyComplex
  | PyFloat
  | PyGlobal
  | PyObject
  | PickleBuffer
  | NdArray
  | NumpyDtype
  | NumpyScalar;
