// A failure whose exception class is the application's own (`myapp.errors.PaymentDeclined`) and not
// on the exception list: the strict read refuses the class, so the stored meta is read again as data
// (../python-exception-as-data.ts: opaque mode, nothing named is imported or called) and accepted
// only in the one shape Celery stores — an exception state whose result is `Class(*args)` (+ its
// __dict__) of plain values, a class's name, and nothing else unknown anywhere in the meta. Anything
// else keeps the refusal.
import type { PyValue } from "../../model/value.ts";
import type { GlobalRegistry } from "../../reader/globals.ts";
import type { ReadOptions } from "../../reader/unpickler.ts";
import { type ExceptionSlot, rereadWithException } from "../python-exception-as-data.ts";

/** States whose result is an exception (celery.states.EXCEPTION_STATES). */
export const EXCEPTION_STATES: ReadonlySet<string> = new Set(["FAILURE", "RETRY", "REVOKED"]);

/** A meta in an exception state: its result, and the meta without it. */
function failureResult(meta: PyValue): ExceptionSlot | null {
  if (!(meta instanceof Map)) return null;
  const status = meta.get("status");
  if (typeof status !== "string" || !EXCEPTION_STATES.has(status)) return null;
  const rest = new Map(meta);
  rest.delete("result");
  return { exception: meta.get("result") ?? null, rest };
}

/**
 * The meta with its unlisted exception read as data (a PythonException in place of the result), or
 * null when the pickle is anything but that shape. `registry` is the strict read's allowlist: known
 * names are built as they would be there.
 */
export function metaWithUnlistedException(stored: Uint8Array, registry: GlobalRegistry, options: ReadOptions): Map<PyValue, PyValue> | null {
  const read = rereadWithException(stored, registry, failureResult, options);
  if (read === null) return null;
  return new Map(read.message as Map<PyValue, PyValue>).set("result", read.exception as unknown as PyValue);
}
