// Python 3.11's `fromisoformat` for date, time and datetime, ported step for step from the C
// implementation CPython runs (Modules/_datetimemodule.c: parse_isoformat_date, parse_hh_mm_ss_ff,
// parse_isoformat_time, _find_isoformat_datetime_separator), so that a string is accepted exactly
// when Python accepts it. Like the C code it reads the UTF-8 bytes with a NUL after the end (some
// checks look one byte past a part). Two places where Python silently drops information are
// refused instead: fraction digits past the microsecond, and a fraction on a zero UTC offset.

/** A parsed time of day; `offset` is null when the string has none. */
export interface IsoTime {
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  offset: { seconds: number; microseconds: number } | null;
  /** What Python would silently drop from the string, if anything (see refuseDropped). */
  dropped: string | null;
}

export class IsoFormatError extends RangeError {}

const invalid = (text: string): never => {
  throw new IsoFormatError(`Invalid isoformat string: ${JSON.stringify(text)}`);
};

const ZERO = 48;
const DASH = 45;
const COLON = 58;
const DOT = 46;
const COMMA = 44;
const PLUS = 43;
const LETTER_W = 87;
const LETTER_Z = 90;
const LETTER_T = 84;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The string's UTF-8 bytes plus a NUL; null when it cannot be encoded (a lone surrogate), as Python. */
function utf8z(text: string): Uint8Array | null {
  if (LONE_SURROGATE.test(text)) return null;
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

const isDigit = (c: number | undefined) => c !== undefined && c >= ZERO && c <= ZERO + 9;

/** `n` ASCII digits at `p` as a number, or -1. */
function digits(b: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[p + i];
    if (!isDigit(c)) return -1;
    v = v * 10 + (c! - ZERO);
  }
  return v;
}

/** parse_isoformat_date: [year, month, day] or null. `len` bounds only the week form's day. */
function parseDate(b: Uint8Array, len: number): [number, number, number] | null {
  const year = digits(b, 0, 4);
  if (year < 0) return null;
  let p = 4;
  const sep = b[p] === DASH;
  if (sep) p++;
  if (b[p] === LETTER_W) {
    p++;
    const week = digits(b, p, 2);
    if (week < 0) return null;
    p += 2;
    let day = 1;
    if (p < len) {
      if (sep && b[p++] !== DASH) return null;
      day = digits(b, p, 1);
      if (day < 0) return null;
    }
    return isoWeekToDate(year, week, day);
  }
  const month = digits(b, p, 2);
  if (month < 0) return null;
  p += 2;
  if (sep && b[p++] !== DASH) return null;
  const day = digits(b, p, 2);
  return day < 0 ? null : [year, month, day];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (exact for any year). */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The proleptic Gregorian [year, month, day] of a day count since 1970-01-01. */
export function civilDate(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (month <= 2 ? 1 : 0), month, day];
}

/** Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
const weekday = (days: number) => (((days + 3) % 7) + 7) % 7;

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** iso_to_ymd: week 53 only in years that have one, weekday 1..7. */
function isoWeekToDate(year: number, week: number, day: number): [number, number, number] | null {
  const jan1 = epochDay(year, 1, 1);
  if (week <= 0 || week >= 53) {
    const first = weekday(jan1);
    if (!(week === 53 && (first === 3 || (first === 2 && isLeap(year))))) return null;
  }
  if (day <= 0 || day >= 8) return null;
  let week1Monday = jan1 - weekday(jan1);
  if (weekday(jan1) > 3) week1Monday += 7;
  return civilDate(week1Monday + (week - 1) * 7 + day - 1);
}

const FRACTION_SCALE = [100_000, 10_000, 1000, 100, 10];

interface Clock {
  /** 0: ends at the NUL; 1: more follows; negative: malformed. */
  rv: number;
  values: [number, number, number, number];
  /** Digits past the sixth were not all zero (Python truncates them). */
  dropped: boolean;
}

/** parse_hh_mm_ss_ff: HH[:?MM[:?SS[{.,}ffffff…]]] between `p` and `end`. */
function parseClock(b: Uint8Array, p: number, end: number): Clock {
  const values: [number, number, number, number] = [0, 0, 0, 0];
  const fail = (rv: number): Clock => ({ rv, values, dropped: false });
  let hasSep = true;
  for (let i = 0; i < 3; i++) {
    const v = digits(b, p, 2);
    if (v < 0) return fail(-3);
    values[i] = v;
    p += 2;
    const c = b[p++] ?? 0;
    if (i === 0) hasSep = c === COLON;
    if (p >= end) return { rv: c !== 0 ? 1 : 0, values, dropped: false };
    if (hasSep && c === COLON) continue;
    if (c === DOT || c === COMMA) break;
    if (!hasSep) p--;
    else return fail(-4);
  }
  const toParse = Math.min(end - p, 6);
  const us = digits(b, p, toParse);
  if (us < 0) return fail(-3);
  p += toParse;
  values[3] = toParse < 6 ? us * FRACTION_SCALE[toParse - 1]! : us;
  let dropped = false;
  while (isDigit(b[p])) if (b[p++] !== ZERO) dropped = true;
  return { rv: (b[p] ?? 0) !== 0 ? 1 : 0, values, dropped };
}

/** parse_isoformat_time from byte `p` to `end`, or null. */
function parseTime(b: Uint8Array, p: number, end: number): IsoTime | null {
  let tz = p;
  do {
    const c = b[tz];
    if (c === LETTER_Z || c === PLUS || c === DASH) break;
  } while (++tz < end);
  const clock = parseClock(b, p, tz);
  if (clock.rv < 0) return null;
  const [hour, minute, second, microsecond] = clock.values;
  const time: IsoTime = { hour, minute, second, microsecond, offset: null, dropped: clock.dropped ? DIGITS_DROPPED : null };
  if (tz === end) return clock.rv === 1 ? null : time;
  if (b[tz] === LETTER_Z) return (b[tz + 1] ?? 0) !== 0 ? null : { ...time, offset: { seconds: 0, microseconds: 0 } };
  const sign = b[tz] === DASH ? -1 : 1;
  const zone = parseClock(b, tz + 1, end);
  if (zone.rv !== 0) return null;
  const [h, m, s, us] = zone.values;
  const seconds = sign * (h * 3600 + m * 60 + s);
  // CPython makes timezone.utc of any offset with zero whole seconds, dropping its fraction.
  const dropped =
    time.dropped ??
    (zone.dropped ? DIGITS_DROPPED : seconds === 0 && us !== 0 ? `a UTC offset of ${sign < 0 ? "-" : "+"}0.${String(us).padStart(6, "0")}s, read as UTC (dropping it)` : null);
  return { ...time, offset: { seconds, microseconds: sign * us }, dropped };
}

const DIGITS_DROPPED = "fraction digits below the microsecond (dropping them)";

/**
 * Refuses what Python's fromisoformat accepts by silently dropping part of it. Called once the
 * value is built, so that a string Python refuses for another reason is refused for that reason.
 */
export function refuseDropped(t: IsoTime, text: string): void {
  if (t.dropped !== null) throw new IsoFormatError(`${JSON.stringify(text)} has ${t.dropped}, as Python's fromisoformat would; refused rather than lose it`);
}

/** `date.fromisoformat`: [year, month, day] (range-checked by the caller's constructor). */
export function parseIsoDate(text: string): [number, number, number] {
  const b = utf8z(text);
  const len = b ? b.length - 1 : 0;
  if (!b || (len !== 7 && len !== 8 && len !== 10)) return invalid(text);
  return parseDate(b, len) ?? invalid(text);
}

/** `time.fromisoformat` (a leading "T" is allowed). */
export function parseIsoTime(text: string): IsoTime {
  const b = utf8z(text);
  if (!b) return invalid(text);
  const start = b[0] === LETTER_T ? 1 : 0;
  return parseTime(b, start, b.length - 1) ?? invalid(text);
}

/** `datetime.fromisoformat`: the date, and the time (midnight, no offset, when absent). */
export function parseIsoDateTime(text: string): { date: [number, number, number]; time: IsoTime } {
  const chars = Array.from(text);
  if (chars.length < 7) return invalid(text);
  // _sanitize_isoformat_str: a surrogate may stand as the separator (at 7, 8 or 10 code points).
  for (const at of [7, 8, 10]) {
    if (at > chars.length) break;
    const c = chars[at]?.charCodeAt(0) ?? 0;
    if (c >= 0xd800 && c <= 0xdfff) {
      chars[at] = "T";
      break;
    }
  }
  const b = utf8z(chars.join(""));
  if (!b) return invalid(text);
  const len = b.length - 1;
  const sepAt = separatorPosition(b, len);
  const date = sepAt < 0 ? null : parseDate(b, sepAt);
  if (!date) return invalid(text);
  if (len <= sepAt) return { date, time: { hour: 0, minute: 0, second: 0, microsecond: 0, offset: null, dropped: null } };
  // The separator is any one character: skip its UTF-8 bytes.
  const lead = b[sepAt]!;
  const start = sepAt + (lead < 0x80 ? 1 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf0) === 0xf0 ? 4 : 2);
  return { date, time: parseTime(b, start, len) ?? invalid(text) };
}

/** _find_isoformat_datetime_separator: where the date part ends (-1 when no date form fits). */
function separatorPosition(b: Uint8Array, len: number): number {
  if (len === 7) return 7;
  if (b[4] === DASH) {
    if (b[5] !== LETTER_W) return 10; // YYYY-MM-DD
    if (len < 8) return -1;
    if (len > 8 && b[8] === DASH) {
      if (len === 9) return -1;
      // YYYY-Www-D or YYYY-Www-HH…: a digit at 10 means the hyphen at 8 was the separator.
      return len > 10 && isDigit(b[10]) ? 8 : 10;
    }
    return 8; // YYYY-Www
  }
  if (b[4] !== LETTER_W) return 8; // YYYYMMDD
  // YYYYWww or YYYYWwwd: the time's digits come in pairs, so the count of digits tells.
  let idx = 7;
  while (idx < len && isDigit(b[idx])) idx++;
  if (idx < 9) return idx;
  return idx % 2 === 0 ? 7 : 8;
}
