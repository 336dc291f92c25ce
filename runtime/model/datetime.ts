// The `datetime` module's values, field for field as Python keeps them: microseconds, tzinfo and fold
// included, so nothing is rounded to JavaScript's milliseconds.
import type { PyValue } from "./value.ts";

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

/** `datetime.date`. */
export class PyDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    checkDate(year, month, day);
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
   * A JavaScript Date for this instant. Date holds milliseconds only: this throws rather than drop
   * microseconds, unless `truncate` says that is wanted. A naive datetime is read as UTC.
   */
  toDate(options: { truncate?: boolean } = {}): Date {
    if (this.microsecond % 1000 !== 0 && !options.truncate) {
      throw new RangeError(`datetime has microsecond=${this.microsecond}; a Date would lose it (pass truncate: true)`);
    }
    let ms = Date.UTC(this.year, this.month - 1, this.day, this.hour, this.minute, this.second, Math.floor(this.microsecond / 1000));
    if (this.year < 100) ms = new Date(ms).setUTCFullYear(this.year);
    if (this.tzinfo instanceof PyTimezone) ms -= Number(this.tzinfo.offset.totalMicroseconds() / 1000n);
    else if (this.tzinfo !== null) throw new RangeError("only naive or fixed-offset datetimes convert to Date");
    return new Date(ms);
  }
}
