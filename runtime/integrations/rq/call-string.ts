// A job's default description, as RQ's get_call_string (rq/utils.py) makes it with max_length=75:
// `func(repr(arg), ..., key=repr(value), ...)`, each repr cut to 75 characters plus "...", the
// keyword arguments sorted as strings.
import { pyRepr, ReprTooLongError } from "../../format/repr.ts";
import type { PyValue } from "../../model/value.ts";

const MAX_LENGTH = 75;

/** Past this a repr is not built (a huge argument); the description then shows only "...". */
const REPR_LIMIT = 1 << 16;

/** Python's `data[:n] + '...' if len(data) > n`, counted in code points as Python counts. */
function truncated(text: string): string {
  const points = Array.from(text);
  return points.length > MAX_LENGTH ? points.slice(0, MAX_LENGTH).join("") + "..." : text;
}

function shortRepr(value: PyValue): string {
  try {
    return truncated(pyRepr(value, REPR_LIMIT));
  } catch (e) {
    if (e instanceof ReprTooLongError) return "...";
    throw e;
  }
}

/** Python's string order: by code point (JavaScript's default sort compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const pa = Array.from(a, (c) => c.codePointAt(0)!);
  const pb = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return pa.length - pb.length;
}

export function callString(funcName: string, args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>): string {
  const parts = args.map(shortRepr);
  const named = Array.from(kwargs, ([key, value]) => `${key}=${shortRepr(value)}`).sort(byCodePoint);
  return `${funcName}(${[...parts, ...named].join(", ")})`;
}
