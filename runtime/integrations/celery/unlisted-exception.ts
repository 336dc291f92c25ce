// A failure whose exception class is the application's own (`myapp.errors.PaymentDeclined`) and not
// on the exception list: the strict read refuses the class, so the stored meta is read again as data
// (opaque mode: nothing named is imported or called) and accepted only in the one shape Celery
// stores — an exception state whose result is `Class(*args)` (+ its __dict__) of plain values, a
// class-like name, and nothing else unknown anywhere in the meta. Anything else keeps the refusal.
import { PyGlobal, PyObject } from "../../model/objects.ts";
import type { PyValue } from "../../model/value.ts";
import { forEachChild } from "../../model/walk.ts";
import type { GlobalRegistry } from "../../reader/globals.ts";
import { loads, type ReadOptions } from "../../reader/unpickler.ts";
import { PythonException } from "./python-exception.ts";

/** States whose result is an exception (celery.states.EXCEPTION_STATES). */
export const EXCEPTION_STATES: ReadonlySet<string> = new Set(["FAILURE", "RETRY", "REVOKED"]);

/** An exception class by convention: CapWords, in a module that is not `builtins` (those are all listed). */
const CLASS_LIKE = /^[A-Z][A-Za-z0-9_]*$/;

/** True when the value holds an opaque object or a global anywhere (a visited set ends cycles). */
function holdsUnknown(root: PyValue): boolean {
  const seen = new Set<object>();
  const stack: PyValue[] = [root];
  let found = false;
  while (stack.length > 0 && !found) {
    const v = stack.pop()!;
    if (v === null || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof PyObject || v instanceof PyGlobal) found = true;
    else forEachChild(v, (child) => stack.push(child));
  }
  return found;
}

function asException(v: PyValue): PythonException | null {
  if (!(v instanceof PyObject) || v.construction !== "reduce" || !(v.callable instanceof PyGlobal)) return null;
  const { module, name } = v.callable;
  if (module === "builtins" || !CLASS_LIKE.test(name)) return null;
  if (v.args.some(holdsUnknown) || v.listItems || v.dictItems || v.kwargs) return null;
  const exception = new PythonException(module, name, v.args);
  if (v.state !== undefined && v.state !== null) {
    if (!(v.state instanceof Map) || holdsUnknown(v.state)) return null;
    exception.attributes = v.state;
  }
  return exception;
}

/**
 * The meta with its unlisted exception read as data (a PythonException in place of the result), or
 * null when the pickle is anything but that shape. `registry` is the strict read's allowlist: known
 * names are built as they would be there.
 */
export function metaWithUnlistedException(stored: Uint8Array, registry: GlobalRegistry, options: ReadOptions): Map<PyValue, PyValue> | null {
  let meta: PyValue;
  try {
    meta = loads(stored, { ...options, mode: "opaque", globals: registry });
  } catch {
    return null;
  }
  if (!(meta instanceof Map)) return null;
  const status = meta.get("status");
  if (typeof status !== "string" || !EXCEPTION_STATES.has(status)) return null;
  const exception = asException(meta.get("result") ?? null);
  if (exception === null) return null;
  const rest = new Map(meta);
  rest.delete("result");
  if (holdsUnknown(rest)) return null;
  rest.set("result", exception as unknown as PyValue);
  return rest;
}
