// RQ's timestamps (rq/utils.py utcformat / utcparse): naive UTC, `%Y-%m-%dT%H:%M:%S.%fZ`.
import { RqProtocolError } from "./errors.ts";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** A Date as RQ writes it: microseconds from the Date's milliseconds. */
export function rqTimestamp(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds() * 1000, 6)}Z`
  );
}

// utcparse's two formats: with microseconds, and the older one without.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;

/** An RQ timestamp as a Date (sub-millisecond digits dropped); "" (not set) is null. */
export function parseRqTimestamp(text: string, key: string): Date | null {
  if (text === "") return null;
  const m = TIMESTAMP.exec(text);
  if (!m) throw new RqProtocolError(key, `not an RQ timestamp: ${JSON.stringify(text.slice(0, 40))}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Math.floor(Number(m[7].padEnd(6, "0")) / 1000);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new RqProtocolError(key, `not a valid date: ${JSON.stringify(text)}`);
  }
  return date;
}
