// Reading a peer's exception whose class is on no allowlist. An exception pickles as `cls(*args)`
// (REDUCE, maybe BUILD with its __dict__); when the strict read refuses the class, the pickle is read
// again as data — opaque mode, nothing named is imported or called — and the exception is accepted
// only in that one shape: a name that can be an exception class, plain arguments and state, and
// nothing else unknown anywhere in the pickle. Anything else keeps the strict read's refusal.
import { PyGlobal, PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import { forEachChild } from "../model/walk.ts";
import type { GlobalRegistry } from "../reader/globals.ts";
import { loads, type ReadOptions } from "../reader/unpickler.ts";
import { isExceptionClassName } from "./python-exception-names.ts";
import { PythonException } from "./python-exception.ts";

/** True when an opaque object or a global the allowlist does not know is anywhere in `root` (a visited set ends cycles). */
export function holdsUnknown(root: PyValue): boolean {
  const visited = new Set<object>();
  const pending: PyValue[] = [root];
  for (let v = pending.pop(); v !== undefined; v = pending.pop()) {
    if (v === null || typeof v !== "object" || visited.has(v)) continue;
    if (v instanceof PyObject || v instanceof PyGlobal) return true;
    visited.add(v);
    forEachChild(v, (child) => pending.push(child));
  }
  return false;
}

/** An opaque `cls(*args)` (+ a dict state) of plain values read as a PythonException, or null in any other shape. */
export function exceptionAsData(value: PyValue): PythonException | null {
  if (!(value instanceof PyObject) || value.construction !== "reduce" || !(value.callable instanceof PyGlobal)) return null;
  const { module, name } = value.callable;
  if (!isExceptionClassName(module, name)) return null;
  if (value.kwargs || value.listItems || value.dictItems || value.args.some(holdsUnknown)) return null;
  const exception = new PythonException(module, name, value.args);
  const { state } = value;
  if (state !== undefined && state !== null) {
    if (!(state instanceof Map) || holdsUnknown(state)) return null;
    exception.attributes = state;
  }
  return exception;
}

/** Where a protocol's message keeps its exception: the exception's slot and everything else in the message. */
export interface ExceptionSlot {
  exception: PyValue;
  rest: PyValue;
}

/**
 * Reads `data` again as data with the strict read's allowlist (`registry`: names on it are built as
 * they were there) and returns the message and its exception, or null when the pickle does not read,
 * `locate` finds no exception slot in it, the slot is not an exception of the shape above, or the
 * rest of the message holds anything unknown.
 */
export function rereadWithException(
  data: Uint8Array,
  registry: GlobalRegistry,
  locate: (message: PyValue) => ExceptionSlot | null,
  options: ReadOptions = {},
): { message: PyValue; exception: PythonException } | null {
  let message: PyValue;
  try {
    message = loads(data, { ...options, mode: "opaque", globals: registry });
  } catch {
    return null;
  }
  const slot = locate(message);
  if (slot === null || holdsUnknown(slot.rest)) return null;
  const exception = exceptionAsData(slot.exception);
  return exception === null ? null : { message, exception };
}
