// What a failed remote call reports, as a RemoteError. An #ERROR reply carries the exception itself,
// pickled as `cls(*args)` (REDUCE, maybe BUILD with its __dict__): it is read as data — the class's
// name and the arguments — and never built, so any exception class the service defines can be
// reported without being allowed (Python's client imports the class and calls it).
import { PyTuple } from "../../model/containers.ts";
import { PyGlobal, PyObject } from "../../model/objects.ts";
import type { PyValue } from "../../model/value.ts";
import { pyRepr } from "../../format/repr.ts";
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

/**
 * The RemoteError of an #ERROR reply the strict read refused (its exception class is not on the
 * allowlist, which is the usual case), or null when the reply is anything else. Read as data
 * ("opaque" mode: nothing named is imported or called) only to take the class name and arguments.
 */
export function refusedErrorReply(data: Uint8Array): RemoteError | null {
  let reply: PyValue;
  try {
    reply = loads(data, { mode: "opaque" });
  } catch {
    return null;
  }
  if (!(reply instanceof PyTuple) || reply.items.length !== 2 || reply.items[0] !== "#ERROR") return null;
  try {
    return exceptionError(reply.items[1]);
  } catch {
    return null;
  }
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
