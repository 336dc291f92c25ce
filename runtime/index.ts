// typed-pickle's runtime API: the portable core. Dependency-free (the generator, ts-morph, prettier
// and yargs stay out) and no Node module: it runs in browsers, Deno, Bun and workers. Node's
// Buffer is used only when the host has it (host-bytes.ts); file paths need the Node entry,
// index.node.ts, which re-exports all of this.
export { PickleError, PicklingError, UnpicklingError, PickleTruncatedError, PickleBudgetError } from "./errors.ts";
export { FilePathNeedsNodeError } from "./file-paths.ts";
export { OPCODES, OP, OPCODE_BY_CODE, opcodeName, type OpcodeInfo, type ArgKind } from "./opcodes.ts";
export type { PyValue } from "./model/value.ts";
export { PyTuple, PyFrozenSet, PyBytearray, PyOrderedDict, isHashable } from "./model/containers.ts";
export { PyDateTime, PyDate, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo, type PyTzinfo, type TimeSpec, type TimeDeltaParts } from "./model/datetime.ts";
export { PyDecimal, PyUUID, PyComplex, PyFloat } from "./model/scalars.ts";
export { PyGlobal, PyObject, PickleBuffer, type Construction } from "./model/objects.ts";
export {
  NdArray,
  NumpyDtype,
  NumpyScalar,
  NUMPY_TYPES,
  HOST_BYTE_ORDER,
  elementCount,
  type NdArrayData,
  type NdArrayOptions,
  type NumpyTypeName,
  type NumpyByteOrder,
  type NumpyGeneration,
} from "./numpy/ndarray.ts";
export { Unpickler, loads, loadsAll, loadsPlain, loadsAllPlain, type ReadOptions } from "./reader/unpickler.ts";
export type { PlainValue, PlainDict } from "./reader/plain-values.ts";
export { isPlainDict } from "./model/plain-dict.ts";
export { loadStream, loadFrom, type ByteSource } from "./reader/stream.ts";
export { DEFAULT_LIMITS, type ReadLimits, type LimitOptions } from "./reader/limits.ts";
export { STANDARD_GLOBALS } from "./reader/standard-globals.ts";
export { DEFAULT_GLOBALS } from "./reader/default-globals.ts";
export { NUMPY_GLOBALS } from "./numpy/read-globals.ts";
export { NumpyUnsupportedError } from "./numpy/unsupported.ts";
export { halfToNumber, numberToHalf } from "./numpy/float16.ts";
export { KnownGlobal, SET_STATE, ReductionError, type GlobalHandler, type GlobalRegistry, type BuildContext, type Buildable } from "./reader/globals.ts";
export { dumps, dump, dumpsAll, writeFileAtomically, type WritableLike } from "./writer/dump.ts";
export { Pickler, StrSlot, DEFAULT_PROTOCOL, HIGHEST_PROTOCOL, type WriteOptions } from "./writer/pickler.ts";
export type { DirectWrite } from "./writer/direct-writer.ts";
export {
  pyclass,
  field,
  afterLoad,
  pyenum,
  type int,
  type float,
  type bytes,
  type bytearray,
  type datetime,
  type date,
  type time,
  type timedelta,
  type Decimal,
  type UUID,
  type frozenset,
  type Any,
  type StateForm,
  type PyClassOptions,
  type FieldOptions,
} from "./typed/decorators.ts";
export * as T from "./typed/codec.ts";
export * as np from "./typed/numpy-types.ts";
export type { ndarray, ndarrayStr, ndarrayBytes } from "./typed/numpy-types.ts";
export { type Codec, type NamedCodec, ToPy, FromPy, EXTRA_FIELDS, type ExtraFields } from "./typed/codec.ts";
export {
  defineClass,
  expectInstance,
  dictState,
  slotState,
  tupleState,
  argsOf,
  missing,
  keepExtras,
  withExtras,
  hasExtras,
  withoutConstructor,
  pydanticState,
  withPydanticState,
  PYDANTIC_STATE,
  type PydanticState,
  type ClassDefinition,
} from "./typed/class-codec.ts";
export { loadsTyped, dumpsTyped, loadTyped, dumpTyped, functionsFor, registryFor, type TypedLoadOptions, type TypedDumpOptions } from "./typed/io.ts";
export { classCodec, type ClassTable, type FieldTable, type FieldSpec, type FastFields, type FastCodec, type FastCodecs, type FieldKeys } from "./typed/class-table.ts";
export type { CodecFunctions } from "./typed/codec-functions.ts";
export { ExactReader } from "./typed/exact-reader.ts";
export { FastPathMiss, miss } from "./typed/fast-path.ts";
