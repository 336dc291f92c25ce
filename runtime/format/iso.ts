// Python's isoformat() of date and time fields.
import type { PyDate, PyDateTime, PyTime } from "../model/datetime.ts";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function dateIso(d: PyDate | PyDateTime): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

export function timeIso(t: PyTime | PyDateTime): string {
  const base = `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  return t.microsecond ? `${base}.${pad(t.microsecond, 6)}` : base;
}

/** The naive part of a datetime: "2024-01-02T03:04:05.678901". */
export function datetimeIso(dt: PyDateTime): string {
  return `${dateIso(dt)}T${timeIso(dt)}`;
}
