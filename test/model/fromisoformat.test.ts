// fromISOString against CPython 3.11's fromisoformat over many strings: the forms Python writes and
// accepts, and random edits of them (digits, separators, signs, "Z", "W", NUL, non-ASCII, lone
// surrogates). Each string must be accepted with Python's value, or refused where Python refuses it
// — or refused where Python would silently drop digits below the microsecond (our one difference).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyDate, PyDateTime, PyTime, PyTimezone, dumps } from "typed-pickle";
import { runPython, toHex } from "../support/python.ts";
import { mutateTexts } from "../support/text-mutants.ts";

const test = suite("fromisoformat");

const BASES = [
  "2024-01-02T03:04:05.678901+05:30",
  "2024-01-02T03:04:05",
  "2024-01-02 03:04",
  "2024-01-02T03",
  "2024-01-02",
  "20240102",
  "20240102T030405Z",
  "20240102T030405,5-0130",
  "2024-W01-2T03:04:05Z",
  "2024W012T0304",
  "2024W01",
  "2024-W01",
  "2020-W53-7T01",
  "2024-02-29T23:59:59.999999-23:59:59.999999",
  "0001-01-01T00:00:00+00:00",
  "9999-12-31T23:59:59.9999990",
  "2024-01-02T03:04:05.1234567",
  "2024-01-02T03:04:05.1230000",
  "2024-01-02T03:04:05+01:00:00.123456",
  "2024-01-02T03:04:05-00:00",
  "2024-01-02T03:04:05.+01:00",
  "2024-01-02T03:04:05:123",
  "T03:04:05",
  "03:04:05.5+0100",
  "0304",
];

const DATE_BASES = [
  "2024-01-02",
  "20240102",
  "2024-W01-2",
  "2024W012",
  "2024W01",
  "2024-W01",
  "2020-W53-7",
  "2021-W53-1",
  "2024-02-29",
  "2023-02-29",
  "0001-01-01",
  "9999-12-31",
  "9999-W52-5",
  "2024W011XX",
];

const ALPHABET = ["0", "1", "5", "9", "-", ":", "T", "W", ".", ",", "+", "Z", " ", "é", "\0", "\udc80", "x", "🕐"];

/** The bases and seeded random edits of them (the samples are the same on every run). */
function samples(bases: readonly string[]): string[] {
  return mutateTexts(bases, { alphabet: ALPHABET, perBase: 120, maxEdits: 2, seed: 20241 });
}

type Parsed = string | [number, number, number, number, number, number, number, string | null];

/** Python's answer per string and kind: the fields and the offset (repr of utcoffset, or "utc"), or "error". */
function cpython(kind: "datetime" | "date" | "time", texts: string[]): Parsed[] {
  const code = `
import json, sys
from datetime import date, datetime, time, timezone
out = []
for s in json.load(sys.stdin):
    try:
        v = ${kind}.fromisoformat(s)
    except ValueError:
        out.append("error")
        continue
    d = [getattr(v, a, 0) for a in ("year", "month", "day", "hour", "minute", "second", "microsecond")]
    tz = getattr(v, "tzinfo", None)
    d.append(None if tz is None else "utc" if tz is timezone.utc else str(tz.utcoffset(None) // __import__("datetime").timedelta(microseconds=1)))
    out.append(d)
print(json.dumps(out))
`;
  return JSON.parse(runPython(["-c", code], JSON.stringify(texts)));
}

function ours(kind: "datetime" | "date" | "time", text: string): Parsed {
  try {
    const v = kind === "datetime" ? PyDateTime.fromISOString(text) : kind === "date" ? PyDate.fromISOString(text) : PyTime.fromISOString(text);
    const f = v as Partial<PyDateTime>;
    const tz = f.tzinfo ?? null;
    const offset = tz === null ? null : tz === PyTimezone.utc ? "utc" : String((tz as PyTimezone).offset.totalMicroseconds());
    return [f.year ?? 0, f.month ?? 0, f.day ?? 0, f.hour ?? 0, f.minute ?? 0, f.second ?? 0, f.microsecond ?? 0, offset];
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return /refused rather than lose it/.test(e.message) ? "refused-drop" : "error";
  }
}

for (const kind of ["datetime", "date", "time"] as const) {
  test(`${kind}.fromisoformat: the same answer as CPython over many strings`, () => {
    const texts = samples(kind === "date" ? DATE_BASES : BASES);
    const python = cpython(kind, texts);
    let accepted = 0;
    let dropped = 0;
    texts.forEach((text, i) => {
      const mine = ours(kind, text);
      const theirs = python[i]!;
      if (mine === "refused-drop") {
        // Python accepts these, silently losing digits: we refuse them.
        assert.ok(Array.isArray(theirs), `${JSON.stringify(text)}: refused as a drop, but Python refuses it too`);
        dropped++;
        return;
      }
      assert.equal(mine, theirs, JSON.stringify(text));
      if (Array.isArray(theirs)) accepted++;
    });
    // The samples exercise both sides.
    assert.ok(accepted > 30 && accepted < texts.length - 30, `${accepted} of ${texts.length} accepted`);
    if (kind !== "date") assert.ok(dropped > 0, "some strings have digits below the microsecond");
  });
}

test("a datetime read from a string pickles to what Python's fromisoformat gives for it", () => {
  const pairs: [string, string][] = [];
  for (const text of samples(BASES)) {
    try {
      pairs.push([text, toHex(dumps(PyDateTime.fromISOString(text)))]);
    } catch {
      // refused: compared with Python above
    }
  }
  const code = `
import json, pickle, sys
from datetime import datetime
bad = []
for text, hex in json.load(sys.stdin):
    ours, theirs = pickle.loads(bytes.fromhex(hex)), datetime.fromisoformat(text)
    if (ours, ours.utcoffset(), ours.tzinfo) != (theirs, theirs.utcoffset(), theirs.tzinfo):
        bad.append(text)
print(json.dumps([len(bad)] + bad[:5]))
`;
  assert.ok(pairs.length > 50, `${pairs.length} accepted`);
  assert.equal(JSON.parse(runPython(["-c", code], JSON.stringify(pairs))), [0]);
});

test("digits below the microsecond are refused, not truncated; zeros there are fine", () => {
  assert.throws(() => PyDateTime.fromISOString("2024-01-02T03:04:05.1234567"), /below the microsecond/);
  assert.equal(PyDateTime.fromISOString("2024-01-02T03:04:05.1234560").microsecond, 123456);
  assert.throws(() => PyDateTime.fromISOString("2024-01-02T03:04:05+00:00:00.5"), /read as UTC/);
});

test("an offset of zero is timezone.utc, as Python's", () => {
  assert.is(PyDateTime.fromISOString("2024-01-02T03:04:05Z").tzinfo, PyTimezone.utc);
  assert.is(PyDateTime.fromISOString("2024-01-02T03:04:05-00:00").tzinfo, PyTimezone.utc);
});

test.run();
