// The bytes CPython's datetime classes pickle as their state (Modules/_datetimemodule.c: the
// *_getstate functions write them, datetime_new / date_new / time_new read them back):
//   datetime  year (2 bytes, big-endian), month, day, hour, minute, second, microsecond (3 bytes, big-endian)
//   date      its first 4 bytes; time: its last 6
// fold=1 travels as 128 added to the month byte (datetime) or the hour byte (time), from protocol 4
// on (__reduce_ex__(4)); below that the writer leaves it out.
// The writer, the general reader and the typed fast reader all use this module.
import { PyDate, PyDateTime, PyTime, type PyTzinfo } from "./datetime.ts";

export const DATETIME_STATE_SIZE = 10;
export const DATE_STATE_SIZE = 4;
export const TIME_STATE_SIZE = 6;
const FOLD = 0x80;

/** Writes a datetime's 10 state bytes at `into[at]`; `withFold` carries its fold (protocol 4+). */
export function writeDateTimeState(dt: PyDateTime, withFold: boolean, into: Uint8Array, at: number): void {
  into[at] = dt.year >> 8;
  into[at + 1] = dt.year & 0xff;
  into[at + 2] = dt.month | (withFold && dt.fold ? FOLD : 0);
  into[at + 3] = dt.day;
  writeClock(dt.hour, dt.minute, dt.second, dt.microsecond, into, at + 4);
}

/** A datetime's state as a new bytes value (datetime.__reduce_ex__'s argument). */
export function dateTimeState(dt: PyDateTime, withFold: boolean): Uint8Array {
  const state = new Uint8Array(DATETIME_STATE_SIZE);
  writeDateTimeState(dt, withFold, state, 0);
  return state;
}

export function dateState(d: PyDate): Uint8Array {
  return Uint8Array.of(d.year >> 8, d.year & 0xff, d.month, d.day);
}

export function timeState(t: PyTime, withFold: boolean): Uint8Array {
  const state = new Uint8Array(TIME_STATE_SIZE);
  writeClock(t.hour, t.minute, t.second, t.microsecond, state, 0);
  if (withFold && t.fold) state[0]! |= FOLD;
  return state;
}

function writeClock(hour: number, minute: number, second: number, microsecond: number, into: Uint8Array, at: number): void {
  into[at] = hour;
  into[at + 1] = minute;
  into[at + 2] = second;
  into[at + 3] = microsecond >> 16;
  into[at + 4] = (microsecond >> 8) & 0xff;
  into[at + 5] = microsecond & 0xff;
}

// datetime(b), date(b) and time(b) take `b` as a state only when it passes CPython's own test;
// otherwise the bytes are an ordinary (wrong-typed) first argument.

export function isDateTimeState(b: Uint8Array): boolean {
  return b.length === DATETIME_STATE_SIZE && isMonth(b[2]! & ~FOLD);
}

export function isDateState(b: Uint8Array): boolean {
  return b.length === DATE_STATE_SIZE && isMonth(b[2]!);
}

export function isTimeState(b: Uint8Array): boolean {
  return b.length === TIME_STATE_SIZE && (b[0]! & ~FOLD) < 24;
}

const isMonth = (m: number) => m >= 1 && m <= 12;

/**
 * The datetime whose 10 state bytes start at `s[at]`. Fields out of range throw the constructor's
 * RangeError, as Python's does.
 */
export function dateTimeFromState(s: ArrayLike<number>, at: number, tzinfo: PyTzinfo | null): PyDateTime {
  const month = s[at + 2]!;
  return new PyDateTime(s[at]! * 256 + s[at + 1]!, month & ~FOLD, s[at + 3]!, s[at + 4]!, s[at + 5]!, s[at + 6]!, microsecondAt(s, at + 7), tzinfo, month & FOLD ? 1 : 0);
}

export function dateFromState(s: ArrayLike<number>): PyDate {
  return new PyDate(s[0]! * 256 + s[1]!, s[2]!, s[3]!);
}

export function timeFromState(s: ArrayLike<number>, tzinfo: PyTzinfo | null): PyTime {
  const hour = s[0]!;
  return new PyTime(hour & ~FOLD, s[1]!, s[2]!, microsecondAt(s, 3), tzinfo, hour & FOLD ? 1 : 0);
}

const microsecondAt = (s: ArrayLike<number>, at: number) => (s[at]! << 16) | (s[at + 1]! << 8) | s[at + 2]!;
