// What a failed remote call reports, as a RemoteError. An #ERROR reply carries the exception itself,
// pickled as `cls(*args)` (REDUCE, maybe BUILD with its __dict__). Its class is on no allowlist (any
// class the service defines may appear), so the strict read refuses it; the reply is then read again
// as data — nothing named is imported or called — and accepted only in that one shape: a class-like
// name, plain arguments, and nothing else unknown in the reply. Python's client imports the class
// and calls it.
import { PyTuple } from "../../model/containers.ts";
import { PyGlobal, PyObject } from "../../model/objects.ts";
import type { PyValue } from "../../model/value.ts";
import { forEachChild } from "../../model/walk.ts";
import { pyRepr } from "../../format/repr.ts";
import type { GlobalRegistry } from "../../reader/globals.ts";
import { loads } from "../../reader/unpickler.ts";
import { ManagerProtocolError, RemoteError } from "./errors.ts";

/** The longest repr of an exception argument put in a message. */
const MESSAGE_REPR_CHARS = 2000;

/** The RemoteError for an #ERROR reply's exception (read as data). */
export function exceptionError(exception: PyValue | undefined): RemoteError {
  if (!(exception instanceof PyObject) || !(exception.callable instanceof PyGlobal) || exception.construction !== "reduce") {
    throw new ManagerProtocolError(`an #ERROR reply must carry an exception pickled as cls(*args), got ${exception instanceof PyObject ? exception.className : typeof exception}`);
  }
  const pythonClass = exception.callable.qualifiedName;
  return new RemoteError("#ERROR", pythonClass, exceptionStr(pythonClass, exception.args), exception.args);
}

/** An exception class by convention (the last part of its qualname): CapWords. `posix.system` is not one. */
const CLASS_LIKE = /^[A-Z][A-Za-z0-9_]*$/;

/**
 * The RemoteError of an #ERROR reply the strict read refused, or null when the reply is anything but
 * an exception in the shape above (the strict read's refusal then stands). `registry` is that read's
 * allowlist: names on it are built as they were there.
 */
export function refusedErrorReply(data: Uint8Array, registry: GlobalRegistry): RemoteError | null {
  let reply: PyValue;
  try {
    reply = loads(data, { mode: "opaque", globals: registry });
  } catch {
    return null;
  }
  if (!(reply instanceof PyTuple) || reply.items.length !== 2 || reply.items[0] !== "#ERROR") return null;
  const exception = reply.items[1];
  if (!(exception instanceof PyObject) || exception.construction !== "reduce" || !(exception.callable instanceof PyGlobal)) return null;
  if (!CLASS_LIKE.test(exception.callable.name.slice(exception.callable.name.lastIndexOf(".") + 1))) return null;
  if (exception.kwargs || exception.listItems || exception.dictItems || exception.args.some(holdsUnknown)) return null;
  const state = exception.state;
  if (state !== undefined && state !== null && (!(state instanceof Map) || holdsUnknown(state))) return null;
  return exceptionError(exception);
}

/** True when an opaque object or a global the allowlist does not know is anywhere in `root`. */
function holdsUnknown(root: PyValue): boolean {
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

/** A #TRACEBACK or #UNSERIALIZABLE reply: the text Python formatted; its last line names the exception. */
export function tracebackError(kind: "#TRACEBACK" | "#UNSERIALIZABLE", text: string): RemoteError {
  const lines = text.trimEnd().split("\n");
  const last = lines[lines.length - 1]?.trim() ?? "";
  // "KeyError: 'nosuch'" or "mypkg.errors.QuotaError: quota exceeded" (builtins print without a module).
  const match = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/s.exec(last);
  if (!match) return new RemoteError(kind, "multiprocessing.managers.RemoteError", last, [], text);
  const name = match[1]!;
  return new RemoteError(kind, name.includes(".") ? name : `builtins.${name}`, match[2] ?? "", [], text);
}

/** Python's str(exception): nothing, the one argument's str (KeyError: its repr), or the args tuple's repr. */
function exceptionStr(pythonClass: string, args: readonly PyValue[]): string {
  if (args.length === 0) return "";
  const [only] = args;
  if (args.length === 1 && typeof only === "string" && pythonClass !== "builtins.KeyError") return only;
  return clippedRepr(args.length === 1 ? only! : new PyTuple([...args]));
}

function clippedRepr(value: PyValue): string {
  try {
    return pyRepr(value, MESSAGE_REPR_CHARS);
  } catch {
    return "(arguments too long to show)";
  }
}
