// The standard library's values as their classes reduce themselves (__reduce_ex__), for the save
// loop to write with save_reduce: datetime, date, time, timedelta, timezone, ZoneInfo, Decimal, UUID,
// complex, OrderedDict; and the builtins that older protocols have no opcode for — bytes below
// protocol 3, bytearray below 5, set and frozenset below 4.
import type { PyBytearray, PyFrozenSet, PyOrderedDict } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { dateState, dateTimeState, timeState } from "../model/datetime-state.ts";
import { PyGlobal } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { latin1Decode } from "../latin1.ts";
import { refuse } from "./pickle-writer.ts";
import { FRESH, FreshBytes, FreshDict, FreshList, FreshStr, type MemoKey, type Reduction, ReductionValue, type SaveValue } from "./reduction.ts";

const g = (module: string, name: string) => new PyGlobal(module, name);
export const G_CODECS_ENCODE = g("_codecs", "encode");
export const G_GETATTR = g("builtins", "getattr");
export const G_DATETIME = g("datetime", "datetime");
const G_BYTES = g("builtins", "bytes");
const G_BYTEARRAY = g("builtins", "bytearray");
const G_SET = g("builtins", "set");
const G_FROZENSET = g("builtins", "frozenset");
const G_COMPLEX = g("builtins", "complex");
const G_DATE = g("datetime", "date");
const G_TIME = g("datetime", "time");
const G_TIMEDELTA = g("datetime", "timedelta");
const G_TIMEZONE = g("datetime", "timezone");
const G_ZONEINFO = g("zoneinfo", "ZoneInfo");
const G_DECIMAL = g("decimal", "Decimal");
const G_UUID = g("uuid", "UUID");
const G_ORDEREDDICT = g("collections", "OrderedDict");

/**
 * __reduce_ex__(protocol) of a datetime-module, Decimal, UUID or complex value, memoized as `memo`;
 * undefined for any other value. fold=1 below protocol 4 is refused unless `allowFoldLoss`.
 */
export function stdlibReduction(v: object, memo: MemoKey, protocol: number, allowFoldLoss: boolean): Reduction | undefined {
  if ((v instanceof PyDateTime || v instanceof PyTime) && v.fold && protocol < 4 && !allowFoldLoss) {
    refuse(`fold=1 cannot be written at protocol ${protocol} (protocols 0–3 have no place for it; use 4 or 5, or allowFoldLoss)`, v);
  }
  const withFold = protocol > 3;
  if (v instanceof PyDateTime) {
    const args: SaveValue[] = [new FreshBytes(dateTimeState(v, withFold))];
    if (v.tzinfo !== null) args.push(v.tzinfo);
    return { kind: "reduce", callable: G_DATETIME, args, memo };
  }
  if (v instanceof PyDate) {
    return { kind: "reduce", callable: G_DATE, args: [new FreshBytes(dateState(v))], memo };
  }
  if (v instanceof PyTime) {
    const args: SaveValue[] = [new FreshBytes(timeState(v, withFold))];
    if (v.tzinfo !== null) args.push(v.tzinfo);
    return { kind: "reduce", callable: G_TIME, args, memo };
  }
  if (v instanceof PyTimeDelta) {
    return { kind: "reduce", callable: G_TIMEDELTA, args: [BigInt(v.days), BigInt(v.seconds), BigInt(v.microseconds)], memo };
  }
  if (v instanceof PyTimezone) {
    const args: PyValue[] = [v.offset];
    if (v.name !== null) args.push(v.name);
    return { kind: "reduce", callable: G_TIMEZONE, args, memo };
  }
  if (v instanceof PyZoneInfo) {
    // ZoneInfo._unpickle is a bound classmethod: itself pickled as getattr(ZoneInfo, '_unpickle'),
    // a new method object (and a new name string) every time.
    const unpickle = new ReductionValue({ kind: "reduce", callable: G_GETATTR, args: [G_ZONEINFO, new FreshStr("_unpickle")], memo: FRESH });
    return { kind: "reduce", callable: unpickle, args: [v.key, 1n], memo };
  }
  if (v instanceof PyDecimal) {
    return { kind: "reduce", callable: G_DECIMAL, args: [new FreshStr(v.text)], memo };
  }
  if (v instanceof PyUUID) {
    const state = new Map<PyValue, PyValue>([["int", v.int]]);
    if (v.isSafe !== null) state.set("is_safe", BigInt(v.isSafe));
    return { kind: "newobj", callable: G_UUID, args: [], state: new FreshDict(state), memo };
  }
  if (v instanceof PyComplex) {
    return { kind: "reduce", callable: G_COMPLEX, args: [v.real, v.imag], memo };
  }
  return undefined;
}

/** OrderedDict: `OrderedDict()` and its items as dict items. */
export function orderedDictReduction(v: PyOrderedDict): Reduction {
  return { kind: "reduce", callable: G_ORDEREDDICT, args: [], dictItems: [...v], memo: v };
}

/** bytes below protocol 3 (no bytes opcode): `bytes()`, or `_codecs.encode('<latin-1 text>', 'latin1')`. */
export function bytesReduction(b: Uint8Array, memo: MemoKey): Reduction {
  if (b.length === 0) return { kind: "reduce", callable: G_BYTES, args: [], memo };
  return { kind: "reduce", callable: G_CODECS_ENCODE, args: [new FreshStr(latin1Decode(b)), "latin1"], memo };
}

/** bytearray below protocol 5: `bytearray()`, or `bytearray(b'…')` of a copy. */
export function bytearrayReduction(b: PyBytearray): Reduction {
  const args = b.length === 0 ? [] : [new FreshBytes(b.slice())];
  return { kind: "reduce", callable: G_BYTEARRAY, args, memo: b };
}

/** set and frozenset below protocol 4 (no set opcodes): `set([…])`, `frozenset([…])`. */
export function setReduction(set: Set<PyValue>, items: readonly PyValue[]): Reduction {
  return { kind: "reduce", callable: G_SET, args: [new FreshList(items)], memo: set };
}

export function frozensetReduction(set: PyFrozenSet, items: readonly PyValue[]): Reduction {
  return { kind: "reduce", callable: G_FROZENSET, args: [new FreshList(items)], memo: set };
}
