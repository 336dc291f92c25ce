// The datetime model's conversions, each against what CPython 3.11 gives for the same thing:
// Date ↔ datetime / date, isoformat and str, timedelta from and to (milli|micro)seconds, fixed
// offsets from hours and minutes. Every conversion is exact or refuses loudly.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "typed-pickle";
import { runPython } from "../support/python.ts";

const test = suite("datetime conversions");

/** Each Python expression's `str()`, or "error" when it raises. One python3 process for the lot. */
function python(expressions: string[]): string[] {
  const code = `
import json, sys
from datetime import date, datetime, time, timedelta, timezone
out = []
for e in json.load(sys.stdin):
    try:
        out.append(str(eval(e)))
    except (ValueError, OverflowError):
        out.append("error")
print(json.dumps(out))
`;
  return JSON.parse(runPython(["-c", code], JSON.stringify(expressions)));
}

/** Compares ours with Python's, case by case: [Python expression, our answer (or "error")]. */
function sameAsPython(cases: [string, () => string][]): void {
  const theirs = python(cases.map(([e]) => e));
  cases.forEach(([expr, ours], i) => {
    let mine: string;
    try {
      mine = ours();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      mine = "error";
    }
    assert.is(mine, theirs[i], expr);
  });
}

const MIN_MS = -62_135_596_800_001; // 1 ms before 0001-01-01: refused
const MS = [0, 1, -1, 999, -999, 1_700_000_000_123, -62_135_596_800_000, 253_402_300_799_999, 253_402_300_800_000, MIN_MS, 951_782_400_000, 86_399_999];
const ZONES: [string, PyTimezone | null][] = [
  ["timezone.utc", PyTimezone.utc],
  ["timezone(timedelta(hours=5, minutes=30))", PyTimezone.fromOffset(5, 30)],
  ["timezone(-timedelta(hours=23, minutes=59, seconds=59, microseconds=999999))", new PyTimezone(PyTimeDelta.fromMicroseconds(-86_399_999_999n))],
  ["timezone(timedelta(seconds=1, microseconds=1))", new PyTimezone(PyTimeDelta.fromMicroseconds(1_000_001))],
  ["None", null],
];

test("fromDate: the instant at the offset (naive UTC for null), as Python computes it", () => {
  const cases: [string, () => string][] = [];
  for (const ms of MS) {
    for (const [pyTz, tz] of ZONES) {
      // The wall clock at the offset (timedeltas added first: the UTC time itself may be out of range).
      const wall = `(datetime(1970, 1, 1) + (timedelta(milliseconds=${ms}) + ${tz === null ? "timedelta(0)" : `${pyTz}.utcoffset(None)`}))`;
      cases.push([`${wall}.replace(tzinfo=${pyTz}).isoformat()`, () => PyDateTime.fromDate(new Date(ms), tz).isoformat()]);
      cases.push([`${wall}.date()`, () => PyDate.fromDate(new Date(ms), tz ?? PyTimezone.utc).toString()]);
    }
  }
  sameAsPython(cases);
  assert.is(PyDateTime.fromDate(new Date(0)).tzinfo, PyTimezone.utc, "aware UTC by default");
  assert.throws(() => PyDateTime.fromDate(new Date(NaN)), /Invalid Date/);
});

test("toDate: the same instant back, for every offset; a naive datetime needs { naive: 'utc' }", () => {
  for (const ms of MS) {
    for (const [, tz] of ZONES) {
      let dt: PyDateTime;
      try {
        dt = PyDateTime.fromDate(new Date(ms), tz);
      } catch {
        continue; // out of datetime's range at this offset (checked against Python above)
      }
      const options = tz === null ? ({ naive: "utc" } as const) : {};
      // Offsets with microseconds included: the wall clock holds them, the instant is whole again.
      assert.is(dt.toDate(options).getTime(), ms);
    }
  }
  assert.throws(() => new PyDateTime(2024, 1, 2).toDate(), /naive datetime names no instant/);
  assert.is(new PyDateTime(2024, 1, 2).toDate({ naive: "utc" }).toISOString(), "2024-01-02T00:00:00.000Z");
  assert.is(new PyDateTime(1, 1, 1, 0, 0, 0, 0, PyTimezone.utc).toDate().toISOString(), "0001-01-01T00:00:00.000Z");
});

test("toDate refuses to drop microseconds unless asked, and rules it does not have", () => {
  const dt = new PyDateTime(2024, 1, 2, 3, 4, 5, 678_901, PyTimezone.utc);
  assert.throws(() => dt.toDate(), /microsecond=678901; a Date would lose 901 µs/);
  assert.is(dt.toDate({ truncate: true }).toISOString(), "2024-01-02T03:04:05.678Z");
  // An offset with microseconds moves the instant off the millisecond.
  const odd = new PyDateTime(2024, 1, 2, 3, 4, 5, 0, new PyTimezone(PyTimeDelta.fromMicroseconds(1)));
  assert.throws(() => odd.toDate(), /lose 999 µs/);
  assert.throws(() => new PyDateTime(2024, 1, 2, 0, 0, 0, 0, new PyZoneInfo("Europe/Paris")).toDate(), /ZoneInfo\('Europe\/Paris'\) has rules/);
  const zoned = new PyDateTime(2024, 1, 2, 0, 0, 0, 0, new PyZoneInfo("Europe/Paris"));
  assert.throws(() => zoned.isoformat(), /ZoneInfo\('Europe\/Paris'\) has rules/);
  assert.is(String(zoned), "2024-01-02 00:00:00 [Europe/Paris]", "toString never throws");
  assert.is(String(new PyTime(1, 2, 0, 0, new PyZoneInfo("UTC"))), "01:02:00 [UTC]");
});

test("isoformat / toISOString / toString: Python's text, offsets and timespecs included", () => {
  const values: [string, PyDateTime | PyTime][] = [
    ["datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=5, minutes=30)))", new PyDateTime(2024, 1, 2, 3, 4, 5, 678_901, PyTimezone.fromOffset(5, 30))],
    ["datetime(1, 1, 1)", new PyDateTime(1, 1, 1)],
    [
      "datetime(999, 12, 31, 23, 59, 59, 5, tzinfo=timezone(-timedelta(hours=1, seconds=1, microseconds=5)))",
      new PyDateTime(999, 12, 31, 23, 59, 59, 5, new PyTimezone(PyTimeDelta.fromMicroseconds(-3_601_000_005n))),
    ],
    ["datetime(2024, 1, 2, tzinfo=timezone.utc)", new PyDateTime(2024, 1, 2, 0, 0, 0, 0, PyTimezone.utc)],
    ["time(3, 4, 5, 6, tzinfo=timezone(timedelta(minutes=-90)))", new PyTime(3, 4, 5, 6, PyTimezone.fromOffset(-1, -30))],
    ["time(23, 59)", new PyTime(23, 59)],
  ];
  const cases: [string, () => string][] = [];
  for (const [expr, v] of values) {
    cases.push([`${expr}.isoformat()`, () => v.toISOString()], [expr, () => v.toString()]);
    for (const spec of ["hours", "minutes", "seconds", "milliseconds", "microseconds", "auto"] as const) {
      if (v instanceof PyDateTime) cases.push([`${expr}.isoformat(" ", "${spec}")`, () => v.isoformat(" ", spec)]);
      else cases.push([`${expr}.isoformat("${spec}")`, () => v.isoformat(spec)]);
    }
  }
  cases.push(["date(5, 6, 7)", () => new PyDate(5, 6, 7).toISOString()]);
  sameAsPython(cases);
  assert.throws(() => new PyDateTime(2024, 1, 2).isoformat("TT"), /unicode character/);
  assert.is(new PyDateTime(2024, 1, 2, 3).isoformat("🕐"), "2024-01-02🕐03:00:00");
});

test("PyDate ↔ Date: midnight UTC of the day", () => {
  assert.is(new PyDate(2024, 2, 29).toDate().toISOString(), "2024-02-29T00:00:00.000Z");
  assert.is(new PyDate(1, 1, 1).toDate().toISOString(), "0001-01-01T00:00:00.000Z");
  assert.equal(PyDate.fromDate(new PyDate(9999, 12, 31).toDate()), new PyDate(9999, 12, 31));
  assert.equal(PyDate.fromDate(new Date("2024-01-01T23:30:00Z"), PyTimezone.fromOffset(1)), new PyDate(2024, 1, 2));
});

test("now(), utcNow(), today()", () => {
  const before = Date.now();
  const aware = PyDateTime.utcNow();
  const local = PyDateTime.now();
  const after = Date.now();
  assert.is(aware.tzinfo, PyTimezone.utc);
  assert.is(local.tzinfo, null);
  assert.is(aware.microsecond % 1000, 0);
  const t = aware.toDate().getTime();
  assert.ok(before <= t && t <= after);
  assert.is(PyDateTime.now(PyTimezone.fromOffset(2)).tzinfo!.toString(), "UTC+02:00");
  assert.ok(PyDate.today() instanceof PyDate);
});

test("timedelta from and to microseconds and milliseconds, and str(), as Python's", () => {
  const us = [0n, 1n, -1n, 86_400_000_000n, -86_400_000_001n, 123_456_789_012n, 86_399_999_999_999_999_999n, -86_399_999_999_999_999_999n, 86_400_000_000_000_000_000n];
  const cases: [string, () => string][] = us.map((u) => [`timedelta(microseconds=${u})`, () => PyTimeDelta.fromMicroseconds(u).toString()]);
  for (const ms of [0, 1, -1, 1_500, -86_400_001, 9_007_199_254_740_991]) cases.push([`timedelta(milliseconds=${ms})`, () => PyTimeDelta.fromMilliseconds(ms).toString()]);
  cases.push([
    "timedelta(weeks=1, days=-2, hours=3, minutes=4, seconds=5, milliseconds=6, microseconds=7)",
    () => PyTimeDelta.from({ weeks: 1, days: -2, hours: 3, minutes: 4, seconds: 5, milliseconds: 6, microseconds: 7 }).toString(),
  ]);
  cases.push(["timedelta(days=1)", () => new PyTimeDelta(1).toString()]);
  sameAsPython(cases);
  for (const u of us.slice(0, 7)) assert.is(PyTimeDelta.fromMicroseconds(u).toMicroseconds(), u);
  assert.is(PyTimeDelta.fromMilliseconds(-86_400_001).toMilliseconds(), -86_400_001);
  assert.is(PyTimeDelta.fromMicroseconds(-2000).toMilliseconds(), -2);
  assert.throws(() => PyTimeDelta.fromMicroseconds(1500).toMilliseconds(), /not a whole number of milliseconds/);
  assert.throws(() => PyTimeDelta.fromMicroseconds(86_399_999_999_999_999_000n).toMilliseconds(), /beyond a safe JavaScript number/);
  assert.throws(() => PyTimeDelta.fromMilliseconds(1.5), /safe integer/);
  assert.throws(() => PyTimeDelta.fromMicroseconds(2 ** 53), /safe integer/);
});

test("PyTimezone.fromOffset: Python's range (strictly within ±24h), its str()", () => {
  const cases: [string, () => string][] = [];
  for (const [h, m] of [
    [5, 30],
    [-3, -30],
    [0, 0],
    [23, 59],
    [-23, -59],
    [24, 0],
    [-24, 0],
    [0, 1439],
    [0, -1440],
    [12, 0],
  ] as const) {
    cases.push([`timezone(timedelta(hours=${h}, minutes=${m}))`, () => PyTimezone.fromOffset(h, m).toString()]);
  }
  cases.push(["timezone(timedelta(hours=1), 'CET')", () => PyTimezone.fromOffset(1, 0, "CET").toString()]);
  sameAsPython(cases);
  assert.throws(() => PyTimezone.fromOffset(-3, 30), /sign of the hours: fromOffset\(-3, -30\)/);
  assert.throws(() => PyTimezone.fromOffset(1.5), /integers/);
  assert.is(PyTimezone.fromOffset(0).isUtc, true);
});

test.run();
