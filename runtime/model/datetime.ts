// The `datetime` module's values, field for field as Python keeps them: microseconds, tzinfo and fold
// included, so nothing is rounded to JavaScript's milliseconds.
import { dateIso, timeIso } from "../format/iso.ts";
import { civilDate, epochDay, type IsoTime, parseIsoDate, parseIsoDateTime, parseIsoTime, refuseDropped } from "./fromisoformat.ts";
import type { PyValue } from "./value.ts";

const US_PER_MS = 1000n;
const US_PER_SECOND = 1_000_000n;
const US_PER_DAY = 86_400_000_000n;

/** A whole number given as a number or bigint, checked: conversions here never round. */
function wholeBigInt(value: number | bigint, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer (or a bigint), got ${value}`);
  return BigInt(value);
}

/** `datetime.timedelta`, normalised as Python does: 0 ≤ seconds < 86400, 0 ≤ microseconds < 10⁶. */
export class PyTimeDelta {
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;

  constructor(days: number, seconds = 0, microseconds = 0) {
    for (const part of [days, seconds, microseconds]) {
      if (!Number.isSafeInteger(part)) throw new RangeError(`timedelta parts must be integers, got ${part}`);
    }
    let us = BigInt(days) * 86_400_000_000n + BigInt(seconds) * 1_000_000n + BigInt(microseconds);
    const dayUs = 86_400_000_000n;
    let d = us / dayUs;
    us -= d * dayUs;
    if (us < 0n) {
      us += dayUs;
      d -= 1n;
    }
    if (d < -999_999_999n || d > 999_999_999n) throw new RangeError(`days=${d}; must have magnitude <= 999999999`);
    this.days = Number(d);
    this.seconds = Number(us / 1_000_000n);
    this.microseconds = Number(us % 1_000_000n);
  }

  /** The whole duration in microseconds. */
  totalMicroseconds(): bigint {
    return BigInt(this.days) * 86_400_000_000n + BigInt(this.seconds) * 1_000_000n + BigInt(this.microseconds);
  }

  /** `timedelta(microseconds=us)`. */
  static fromMicroseconds(us: number | bigint): PyTimeDelta {
    const total = wholeBigInt(us, "microseconds");
    const days = total / US_PER_DAY; // the constructor normalises the signs
    return new PyTimeDelta(Number(days), 0, Number(total - days * US_PER_DAY));
  }

  /** `timedelta(milliseconds=ms)` for a whole number of milliseconds (sub-millisecond: fromMicroseconds). */
  static fromMilliseconds(ms: number | bigint): PyTimeDelta {
    return PyTimeDelta.fromMicroseconds(wholeBigInt(ms, "milliseconds") * US_PER_MS);
  }

  /** `timedelta(weeks=…, days=…, hours=…, …)` with whole numbers (Python also takes floats, and rounds them). */
  static from(parts: TimeDeltaParts): PyTimeDelta {
    let us = 0n;
    for (const [unit, scale] of TIMEDELTA_UNITS) {
      const v = parts[unit];
      if (v !== undefined) us += wholeBigInt(v, unit) * scale;
    }
    return PyTimeDelta.fromMicroseconds(us);
  }

  /** The whole duration in microseconds (`td // timedelta(microseconds=1)`). */
  toMicroseconds(): bigint {
    return this.totalMicroseconds();
  }

  /** The duration in milliseconds; throws when that is not a whole, safe number (never rounds). */
  toMilliseconds(): number {
    const us = this.totalMicroseconds();
    if (us % US_PER_MS !== 0n) throw new RangeError(`${this} is not a whole number of milliseconds (use toMicroseconds())`);
    const ms = us / US_PER_MS;
    if (ms > BigInt(Number.MAX_SAFE_INTEGER) || ms < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`${this} is ${ms} ms, beyond a safe JavaScript number (use toMicroseconds())`);
    }
    return Number(ms);
  }

  /** Python's `str(td)`: "-1 day, 23:59:59.500000". */
  toString(): string {
    const clock = `${Math.floor(this.seconds / 3600)}:${pad2(Math.floor(this.seconds / 60) % 60)}:${pad2(this.seconds % 60)}`;
    const us = this.microseconds ? `.${String(this.microseconds).padStart(6, "0")}` : "";
    const days = this.days ? `${this.days} day${Math.abs(this.days) === 1 ? "" : "s"}, ` : "";
    return days + clock + us;
  }
}

/** The keyword arguments of `timedelta(...)`, whole numbers only. */
export interface TimeDeltaParts {
  weeks?: number | bigint;
  days?: number | bigint;
  hours?: number | bigint;
  minutes?: number | bigint;
  seconds?: number | bigint;
  milliseconds?: number | bigint;
  microseconds?: number | bigint;
}

const TIMEDELTA_UNITS: readonly [keyof TimeDeltaParts, bigint][] = [
  ["weeks", 7n * US_PER_DAY],
  ["days", US_PER_DAY],
  ["hours", 3600n * US_PER_SECOND],
  ["minutes", 60n * US_PER_SECOND],
  ["seconds", US_PER_SECOND],
  ["milliseconds", US_PER_MS],
  ["microseconds", 1n],
];

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Python's `_format_offset`: "+05:30", "-01:01:01.000005" ("+00:00" for UTC). */
function formatOffset(offsetMicroseconds: bigint): string {
  let us = offsetMicroseconds;
  const sign = us < 0n ? "-" : "+";
  if (us < 0n) us = -us;
  const seconds = Number(us / US_PER_SECOND);
  const fraction = Number(us % US_PER_SECOND);
  let s = `${sign}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}`;
  if (seconds % 60 || fraction) s += `:${pad2(seconds % 60)}`;
  if (fraction) s += `.${String(fraction).padStart(6, "0")}`;
  return s;
}

/** `datetime.timezone`: a fixed offset from UTC, with an optional name. */
export class PyTimezone {
  static readonly utc = new PyTimezone(new PyTimeDelta(0));

  constructor(
    readonly offset: PyTimeDelta,
    readonly name: string | null = null,
  ) {
    const us = offset.totalMicroseconds();
    if (us <= -86_400_000_000n || us >= 86_400_000_000n) {
      throw new RangeError("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)");
    }
  }

  /** True for `timezone.utc` (offset 0, no name), which Python prints as `datetime.timezone.utc`. */
  get isUtc(): boolean {
    return this.name === null && this.offset.totalMicroseconds() === 0n;
  }

  /**
   * `timezone(timedelta(hours=h, minutes=m), name)`: `fromOffset(5, 30)` is +05:30, `fromOffset(-3, -30)`
   * is -03:30. Minutes of the opposite sign to the hours are refused (Python would add them: -3h + 30m).
   */
  static fromOffset(hours: number, minutes = 0, name: string | null = null): PyTimezone {
    if (!Number.isSafeInteger(hours) || !Number.isSafeInteger(minutes)) throw new RangeError(`offset hours and minutes must be integers, got ${hours}, ${minutes}`);
    if ((hours < 0 && minutes > 0) || (hours > 0 && minutes < 0)) {
      throw new RangeError(`offset minutes must have the sign of the hours: fromOffset(${hours}, ${-minutes}) for ${hours}h ${-minutes}m`);
    }
    return new PyTimezone(PyTimeDelta.from({ hours, minutes }), name);
  }

  /** Python's `str(tz)` (`tz.tzname(None)`): the name, else "UTC" or "UTC+05:30". */
  toString(): string {
    if (this.name !== null) return this.name;
    return this.offset.totalMicroseconds() === 0n ? "UTC" : `UTC${formatOffset(this.offset.totalMicroseconds())}`;
  }
}

/** `zoneinfo.ZoneInfo`: an IANA zone, pickled by its key only. */
export class PyZoneInfo {
  constructor(readonly key: string) {}
}

/** What may stand in a `tzinfo` slot: a timezone, a ZoneInfo, or (opaque mode) another class's instance. */
export type PyTzinfo = PyTimezone | PyZoneInfo | PyValue;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function checkDate(year: number, month: number, day: number): void {
  if (!(year >= 1 && year <= 9999)) throw new RangeError(`year ${year} is out of range`);
  if (!(month >= 1 && month <= 12)) throw new RangeError("month must be in 1..12");
  const dim = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month]!;
  if (!(day >= 1 && day <= dim)) throw new RangeError("day is out of range for month");
}

function checkTime(hour: number, minute: number, second: number, microsecond: number, fold: number): void {
  if (!(hour >= 0 && hour <= 23)) throw new RangeError("hour must be in 0..23");
  if (!(minute >= 0 && minute <= 59)) throw new RangeError("minute must be in 0..59");
  if (!(second >= 0 && second <= 59)) throw new RangeError("second must be in 0..59");
  if (!(microsecond >= 0 && microsecond <= 999_999)) throw new RangeError("microsecond must be in 0..999999");
  if (fold !== 0 && fold !== 1) throw new RangeError("fold must be either 0 or 1");
}

/** The epoch milliseconds of a valid Date, as a bigint of microseconds. */
function instantMicroseconds(d: Date): bigint {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError("Invalid Date");
  return BigInt(ms) * US_PER_MS;
}

/** A fixed offset's microseconds; null for naive. ZoneInfo and other tzinfos need rules we do not have. */
function fixedOffsetMicroseconds(tzinfo: PyTzinfo | null, what: string): bigint | null {
  if (tzinfo === null) return null;
  if (tzinfo instanceof PyTimezone) return tzinfo.offset.totalMicroseconds();
  const zone = tzinfo instanceof PyZoneInfo ? `ZoneInfo('${tzinfo.key}')` : "a tzinfo that is not datetime.timezone";
  throw new RangeError(`${what} needs the UTC offset, and ${zone} has rules typed-pickle does not apply: only naive or fixed-offset (PyTimezone) values convert`);
}

/** Wall-clock fields of `us` microseconds since the epoch (already shifted to local time). */
function wallClock(us: bigint): [number, number, number, number, number, number, number] {
  let days = us / US_PER_DAY;
  let rest = us - days * US_PER_DAY;
  if (rest < 0n) {
    rest += US_PER_DAY;
    days -= 1n;
  }
  const [year, month, day] = civilDate(Number(days));
  const seconds = Number(rest / US_PER_SECOND);
  return [year, month, day, Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60, Number(rest % US_PER_SECOND)];
}

/** " [Europe/Paris]" for a ZoneInfo, " [tzinfo]" for another: where the offset cannot be computed. */
function zoneSuffix(tzinfo: PyTzinfo): string {
  return tzinfo instanceof PyZoneInfo ? ` [${tzinfo.key}]` : " [tzinfo]";
}

function checkSeparator(sep: string): void {
  if ([...sep].length !== 1) throw new RangeError(`isoformat() argument 1 must be a unicode character, not a string of ${[...sep].length}`);
}

/** How much of the time isoformat writes (Python's `timespec`). */
export type TimeSpec = "auto" | "hours" | "minutes" | "seconds" | "milliseconds" | "microseconds";

function clockIso(t: PyTime | PyDateTime, timespec: TimeSpec): string {
  switch (timespec) {
    case "auto":
      return timeIso(t);
    case "hours":
      return pad2(t.hour);
    case "minutes":
      return `${pad2(t.hour)}:${pad2(t.minute)}`;
    case "seconds":
      return `${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}`;
    case "milliseconds":
      // Python's own truncation: the caller asked for milliseconds.
      return `${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}.${String(Math.floor(t.microsecond / 1000)).padStart(3, "0")}`;
    case "microseconds":
      return `${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}.${String(t.microsecond).padStart(6, "0")}`;
    default:
      throw new RangeError(`Unknown timespec value: ${String(timespec)}`);
  }
}

/** The tzinfo Python's fromisoformat makes of a parsed offset: timezone.utc for zero. */
function offsetZone(offset: IsoTime["offset"]): PyTimezone | null {
  if (offset === null) return null;
  if (offset.seconds === 0) return PyTimezone.utc;
  return new PyTimezone(new PyTimeDelta(0, offset.seconds, offset.microseconds));
}

/** `datetime.date`. */
export class PyDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    checkDate(year, month, day);
  }

  /** The calendar day of an instant at a fixed offset (UTC unless given). */
  static fromDate(d: Date, tz: PyTimezone = PyTimezone.utc): PyDate {
    const [year, month, day] = wallClock(instantMicroseconds(d) + tz.offset.totalMicroseconds());
    return new PyDate(year, month, day);
  }

  /** `date.today()`: today in the local time zone, as Python's. */
  static today(): PyDate {
    const now = new Date();
    return new PyDate(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }

  /** `date.fromisoformat` (Python 3.11): "2024-01-02", "20240102", "2024-W01-2", "2024W012". */
  static fromISOString(text: string): PyDate {
    return new PyDate(...parseIsoDate(text));
  }

  /** Midnight UTC at the start of this day (as `new Date("2024-01-02")` reads a date). */
  toDate(): Date {
    return new Date(epochDay(this.year, this.month, this.day) * 86_400_000);
  }

  /** `date.isoformat()`: "2024-01-02". */
  isoformat(): string {
    return dateIso(this);
  }

  /** The same as isoformat(). */
  toISOString(): string {
    return dateIso(this);
  }

  /** Python's `str(d)`: its isoformat. */
  toString(): string {
    return dateIso(this);
  }
}

/** `datetime.time`. */
export class PyTime {
  constructor(
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: PyTzinfo | null = null,
    readonly fold: 0 | 1 = 0,
  ) {
    checkTime(hour, minute, second, microsecond, fold);
  }

  /** `time.fromisoformat` (Python 3.11): "03:04:05.678", "T0304", "03:04+05:30". */
  static fromISOString(text: string): PyTime {
    const t = parseIsoTime(text);
    const time = new PyTime(t.hour, t.minute, t.second, t.microsecond, offsetZone(t.offset));
    refuseDropped(t, text);
    return time;
  }

  /** `time.isoformat(timespec)`: "03:04:05.678901+05:30". */
  isoformat(timespec: TimeSpec = "auto"): string {
    const offset = fixedOffsetMicroseconds(this.tzinfo, "isoformat()");
    return clockIso(this, timespec) + (offset === null ? "" : formatOffset(offset));
  }

  toISOString(): string {
    return this.isoformat();
  }

  /** Python's `str(t)` for a naive or fixed-offset time; never throws (see zoneSuffix). */
  toString(): string {
    return this.tzinfo === null || this.tzinfo instanceof PyTimezone ? this.isoformat() : timeIso(this) + zoneSuffix(this.tzinfo);
  }
}

/** `datetime.datetime`. */
export class PyDateTime {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: PyTzinfo | null = null,
    readonly fold: 0 | 1 = 0,
  ) {
    checkDate(year, month, day);
    checkTime(hour, minute, second, microsecond, fold);
  }

  /**
   * The instant of a JavaScript Date. `tz` (default UTC) gives an aware datetime showing that
   * instant's wall clock at the offset, as `datetime.fromtimestamp(t, tz)`; `null` gives a naive one
   * holding the UTC wall clock (as the deprecated `utcfromtimestamp`). Exact: milliseconds become
   * microseconds.
   */
  static fromDate(d: Date, tz: PyTimezone | null = PyTimezone.utc): PyDateTime {
    const local = instantMicroseconds(d) + (tz === null ? 0n : tz.offset.totalMicroseconds());
    const [year, month, day, hour, minute, second, microsecond] = wallClock(local);
    return new PyDateTime(year, month, day, hour, minute, second, microsecond, tz);
  }

  /**
   * `datetime.now(tz)`: with no argument the naive local wall clock, as Python's; with a PyTimezone the
   * aware time there. JavaScript's clock gives milliseconds, so `microsecond` is a multiple of 1000.
   */
  static now(tz: PyTimezone | null = null): PyDateTime {
    const d = new Date();
    if (tz !== null) return PyDateTime.fromDate(d, tz);
    return new PyDateTime(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds() * 1000);
  }

  /** The current time as an aware UTC datetime: `datetime.now(timezone.utc)` (not the naive `utcnow()`). */
  static utcNow(): PyDateTime {
    return PyDateTime.fromDate(new Date(), PyTimezone.utc);
  }

  /**
   * `datetime.fromisoformat` (Python 3.11): any form it accepts ("2024-01-02T03:04:05.678+05:30",
   * "20240102T0304Z", "2024-W01-2 03:04", …), with the same result. Where Python would silently drop
   * fraction digits below the microsecond, this throws instead.
   */
  static fromISOString(text: string): PyDateTime {
    const { date, time: t } = parseIsoDateTime(text);
    const dt = new PyDateTime(date[0], date[1], date[2], t.hour, t.minute, t.second, t.microsecond, offsetZone(t.offset));
    refuseDropped(t, text);
    return dt;
  }

  /**
   * A JavaScript Date for this instant. An aware datetime needs a fixed offset (PyTimezone). A naive
   * one names no instant: pass `naive: "utc"` to read it as UTC (otherwise this throws). Date holds
   * milliseconds only: this throws rather than drop microseconds, unless `truncate` says that is wanted.
   */
  toDate(options: { truncate?: boolean; naive?: "utc" } = {}): Date {
    const offset = fixedOffsetMicroseconds(this.tzinfo, "toDate()");
    if (offset === null && options.naive !== "utc") {
      throw new RangeError('a naive datetime names no instant: pass { naive: "utc" } to read it as UTC, or give it a tzinfo');
    }
    let us = this.wallMicroseconds() - (offset ?? 0n);
    const below = ((us % US_PER_MS) + US_PER_MS) % US_PER_MS; // an offset may have microseconds too
    if (below !== 0n && !options.truncate) {
      throw new RangeError(`datetime has microsecond=${this.microsecond}; a Date would lose ${below} µs (pass truncate: true)`);
    }
    us -= below;
    return new Date(Number(us / US_PER_MS));
  }

  /** The wall clock as microseconds since 1970-01-01T00:00 (no offset applied). */
  private wallMicroseconds(): bigint {
    const seconds = ((epochDay(this.year, this.month, this.day) * 24 + this.hour) * 60 + this.minute) * 60 + this.second;
    return BigInt(seconds) * US_PER_SECOND + BigInt(this.microsecond);
  }

  /** `datetime.isoformat(sep, timespec)`: "2024-01-02T03:04:05.678901+05:30", as Python writes it. */
  isoformat(sep = "T", timespec: TimeSpec = "auto"): string {
    checkSeparator(sep);
    const offset = fixedOffsetMicroseconds(this.tzinfo, "isoformat()");
    return dateIso(this) + sep + clockIso(this, timespec) + (offset === null ? "" : formatOffset(offset));
  }

  /** The same as isoformat(): Python's text, not Date's (which is always UTC, "Z" and milliseconds). */
  toISOString(): string {
    return this.isoformat();
  }

  /**
   * Python's `str(dt)` (isoformat with a space) for a naive or fixed-offset datetime. It never
   * throws: with a ZoneInfo, whose offset needs the zone's rules, the zone is named instead.
   */
  toString(): string {
    return this.tzinfo === null || this.tzinfo instanceof PyTimezone ? this.isoformat(" ") : `${dateIso(this)} ${timeIso(this)}${zoneSuffix(this.tzinfo)}`;
  }
}
