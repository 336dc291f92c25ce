// The errors of typed-pickle/managers. Both are ProcessError (hence PickleError) subclasses, like
// typed-pickle/connection's, so one `catch (e instanceof PickleError)` covers a bad peer of any kind.
import type { PyValue } from "../../model/value.ts";
import { ProcessError } from "../connection/errors.ts";
import type { PythonException } from "../python-exception.ts";

/** How the server reported the failure: the reply kind it sent. */
export type RemoteErrorKind = "#ERROR" | "#TRACEBACK" | "#UNSERIALIZABLE";

/**
 * The remote call raised (Python's `multiprocessing.managers.RemoteError`, or the exception itself
 * for `#ERROR`). The exception is reported from its pickle as data — class name and arguments — and
 * never built: nothing the server names is imported or called here.
 */
export class RemoteError extends ProcessError {
  override name = "RemoteError";
  constructor(
    readonly kind: RemoteErrorKind,
    /** `module.qualname` of the Python exception: "builtins.KeyError", "myapp.errors.QuotaError". */
    readonly pythonClass: string,
    /** What Python's `str(exception)` would print (for a traceback, its last line's message). */
    readonly pythonMessage: string,
    /** The exception's `args`, as read (an #ERROR reply); empty for a traceback. */
    readonly pythonArgs: readonly PyValue[] = [],
    /** The formatted traceback the server sent (#TRACEBACK, #UNSERIALIZABLE). */
    readonly traceback?: string,
    /** An #ERROR reply's exception as data (also its `__dict__`, as `attributes`); null for a traceback. */
    readonly exception: PythonException | null = null,
  ) {
    super(pythonMessage ? `${pythonClass}: ${pythonMessage}` : pythonClass);
  }
}

/** The server's reply broke the manager protocol (not a `(kind, result)` pair, an unknown kind, a malformed token). */
export class ManagerProtocolError extends ProcessError {
  override name = "ManagerProtocolError";
}
