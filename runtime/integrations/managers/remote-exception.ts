// What a failed remote call reports, as a RemoteError. An #ERROR reply carries the exception itself,
// pickled as `cls(*args)` (REDUCE, maybe BUILD with its __dict__). Its class is on no allowlist (any
// class the service defines may appear), so the strict read refuses it; the reply is then read again
// as data (../python-exception-as-data.ts: nothing named is imported or called) and accepted only in
// that one shape: an exception class's name, plain arguments, and nothing else unknown in the reply.
// Python's client imports the class and calls it.
import { PyTuple } from "../../model/containers.ts";
import { PyGlobal, PyObject } from "../../model/objects.ts";
import type { PyValue } from "../../model/value.ts";
import type { GlobalRegistry } from "../../reader/globals.ts";
import { rereadWithException } from "../python-exception-as-data.ts";
import { PythonException } from "../python-exception.ts";
import { ManagerProtocolError, RemoteError } from "./errors.ts";

/** The RemoteError for an #ERROR reply's exception. */
function errorOf(exception: PythonException): RemoteError {
  return new RemoteError("#ERROR", exception.qualifiedName, exception.message, exception.args, undefined, exception);
}

/** The RemoteError for an #ERROR reply the strict read accepted: its exception is a listed class's `cls(*args)`. */
export function exceptionError(exception: PyValue | undefined): RemoteError {
  if (!(exception instanceof PyObject) || !(exception.callable instanceof PyGlobal) || exception.construction !== "reduce") {
    throw new ManagerProtocolError(`an #ERROR reply must carry an exception pickled as cls(*args), got ${exception instanceof PyObject ? exception.className : typeof exception}`);
  }
  const read = new PythonException(exception.callable.module, exception.callable.name, exception.args);
  if (exception.state instanceof Map) read.attributes = exception.state;
  return errorOf(read);
}

/** An #ERROR reply: `('#ERROR', exception)`, nothing else. */
function errorReplyException(reply: PyValue) {
  if (!(reply instanceof PyTuple) || reply.items.length !== 2 || reply.items[0] !== "#ERROR") return null;
  return { exception: reply.items[1]!, rest: null };
}

/**
 * The RemoteError of an #ERROR reply the strict read refused, or null when the reply is anything but
 * an exception in the shape above (the strict read's refusal then stands). `registry` is that read's
 * allowlist: names on it are built as they were there.
 */
export function refusedErrorReply(data: Uint8Array, registry: GlobalRegistry): RemoteError | null {
  const read = rereadWithException(data, registry, errorReplyException);
  return read === null ? null : errorOf(read.exception);
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
