// typed-pickle's runtime API. Dependency-free: the generator, ts-morph, prettier and yargs stay out.
export { PickleError, PicklingError, UnpicklingError, PickleTruncatedError } from "./errors.ts";
export { OPCODES, OP, OPCODE_BY_CODE, opcodeName, type OpcodeInfo, type ArgKind } from "./opcodes.ts";
export type { PyValue } from "./model/value.ts";
export { PyTuple, PyFrozenSet, PyBytearray, PyOrderedDict, isHashable } from "./model/containers.ts";
export { PyDateTime, PyDate, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo, type PyTzinfo } from "./model/datetime.ts";
export { PyDecimal, PyUUID, PyComplex, PyFloat } from "./model/scalars.ts";
export { PyGlobal, PyObject, PickleBuffer, type Construction } from "./model/objects.ts";
export { Unpickler, loads, loadsAll, type ReadOptions } from "./reader/unpickler.ts";
export { loadStream, loadFrom, type ByteSource } from "./reader/stream.ts";
export { DEFAULT_LIMITS, type ReadLimits } from "./reader/limits.ts";
export { STANDARD_GLOBALS } from "./reader/standard-globals.ts";
export { KnownGlobal, SET_STATE, ReductionError, type GlobalHandler, type GlobalRegistry, type BuildContext, type Buildable } from "./reader/globals.ts";
export { dumps, dump, dumpsAll, writeFileAtomically, type WritableLike } from "./writer/dump.ts";
export { Pickler, DEFAULT_PROTOCOL, HIGHEST_PROTOCOL, type WriteOptions } from "./writer/pickler.ts";
