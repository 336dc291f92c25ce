// The datetime classes' state bytes (runtime/model/datetime-state.ts, the one home of the layout):
// what CPython's __reduce_ex__ gives for the same values, read back to the same values, and CPython's
// own test of whether bytes are a state.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyDate, PyDateTime, PyTime } from "typed-pickle";
import {
  dateFromState,
  dateState,
  dateTimeFromState,
  dateTimeState,
  isDateState,
  isDateTimeState,
  isTimeState,
  timeFromState,
  timeState,
} from "../../runtime/model/datetime-state.ts";
import { runPython, toHex } from "../support/python.ts";

const test = suite("datetime state bytes");

const datetimes = [
  new PyDateTime(1, 1, 1),
  new PyDateTime(2024, 2, 29, 23, 59, 59, 999_999),
  new PyDateTime(9999, 12, 31, 0, 0, 0, 65_536),
  new PyDateTime(2024, 11, 3, 1, 30, 0, 0, null, 1),
];
const dates = [new PyDate(1, 1, 1), new PyDate(2024, 2, 29), new PyDate(9999, 12, 31)];
const times = [new PyTime(), new PyTime(23, 59, 59, 999_999), new PyTime(1, 30, 0, 256, null, 1)];

const py = (dt: PyDateTime) => `datetime(${dt.year}, ${dt.month}, ${dt.day}, ${dt.hour}, ${dt.minute}, ${dt.second}, ${dt.microsecond}, fold=${dt.fold})`;
const pyTime = (t: PyTime) => `time(${t.hour}, ${t.minute}, ${t.second}, ${t.microsecond}, fold=${t.fold})`;

/** The state bytes of each expression's __reduce_ex__(protocol), as hex. */
function cpythonStates(expressions: string[], protocol: number): string[] {
  const code = `
import json, sys
from datetime import date, datetime, time
print(json.dumps([eval(e).__reduce_ex__(${protocol})[1][0].hex() for e in json.load(sys.stdin)]))
`;
  return JSON.parse(runPython(["-c", code], JSON.stringify(expressions)));
}

test("the bytes are CPython's, fold included from protocol 4 and left out below", () => {
  for (const protocol of [3, 4]) {
    const withFold = protocol >= 4;
    const expected = cpythonStates([...datetimes.map(py), ...dates.map((d) => `date(${d.year}, ${d.month}, ${d.day})`), ...times.map(pyTime)], protocol);
    const ours = [...datetimes.map((dt) => dateTimeState(dt, withFold)), ...dates.map(dateState), ...times.map((t) => timeState(t, withFold))];
    assert.equal(ours.map(toHex), expected, `protocol ${protocol}`);
  }
});

test("read back, the state gives the same value (fold too), at any offset", () => {
  for (const dt of datetimes) {
    const padded = new Uint8Array(13);
    padded.set(dateTimeState(dt, true), 3);
    assert.equal(dateTimeFromState(padded, 3, null), dt);
    assert.equal(dateTimeFromState([...dateTimeState(dt, true)], 0, null), dt); // the latin-1 form's code points
  }
  for (const d of dates) assert.equal(dateFromState(dateState(d)), d);
  for (const t of times) assert.equal(timeFromState(timeState(t, true), null), t);
});

test("fields out of range refuse as the constructors do", () => {
  const bad = dateTimeState(datetimes[1]!, false);
  bad[3] = 30; // February 30th
  assert.throws(
    () => dateTimeFromState(bad, 0, null),
    (e: unknown) => e instanceof RangeError,
  );
});

test("bytes are a state only as CPython's datetime_new, date_new and time_new decide", () => {
  const code = `
import json, sys
from datetime import date, datetime, time
out = []
for cls, hexed in json.load(sys.stdin):
    try:
        {"datetime": datetime, "date": date, "time": time}[cls](bytes.fromhex(hexed))
        out.append(True)
    except TypeError:  # not a state: the bytes are taken as the year (or hour) argument
        out.append(False)
    except ValueError:  # a state, with a field out of range
        out.append(True)
print(json.dumps(out))
`;
  const cases: [string, Uint8Array][] = [];
  for (let m = 0; m < 256; m += 1) {
    cases.push(["datetime", Uint8Array.of(7, 232, m, 1, 0, 0, 0, 0, 0, 0)]);
    cases.push(["date", Uint8Array.of(7, 232, m, 1)]);
    cases.push(["time", Uint8Array.of(m, 0, 0, 0, 0, 0)]);
  }
  cases.push(["datetime", new Uint8Array(9)], ["date", new Uint8Array(5)], ["time", new Uint8Array(7)]);
  const theirs: boolean[] = JSON.parse(runPython(["-c", code], JSON.stringify(cases.map(([cls, b]) => [cls, toHex(b)]))));
  const test = { datetime: isDateTimeState, date: isDateState, time: isTimeState } as const;
  cases.forEach(([cls, b], i) => {
    assert.is(test[cls as keyof typeof test](b), theirs[i], `${cls}(bytes.fromhex('${toHex(b)}'))`);
  });
});

test.run();
