// RQ's durations (rq/utils.py parse_timeout): seconds as an integer, or digits and a unit ("90s",
// "15m", "2h", "1d"). Checked here as Queue.create_job checks them, so a job RQ would refuse is
// never written.
import { RqOptionError } from "./errors.ts";

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86400, h: 3600, m: 60, s: 1 };
const WITH_UNIT = /^(-?\d+)([dhms])$/i;
const INTEGER = /^-?\d+$/;

/** Seconds: an integer, or a string such as "15m". */
export type Duration = number | string;

export function parseDuration(value: Duration, option: string): number {
  let seconds: number;
  if (typeof value === "number") seconds = value;
  else if (INTEGER.test(value.trim())) seconds = Number(value.trim());
  else {
    const m = WITH_UNIT.exec(value.trim());
    if (!m) throw new RqOptionError(`${option}: expected seconds or digits with a unit d, h, m or s ("15m"), got ${JSON.stringify(value)}`);
    seconds = Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]!;
  }
  if (!Number.isSafeInteger(seconds)) throw new RqOptionError(`${option}: expected a whole number of seconds, got ${String(value)}`);
  return seconds;
}
