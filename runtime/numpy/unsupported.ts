// What typed-pickle does with the numpy values it does not model (object arrays, structured and
// datetime dtypes, ndarray subclasses, dtype metadata): strict reading refuses them with a clear
// error; opaque reading keeps them as the recorded construction, like any unknown class.
import { UnpicklingError } from "../errors.ts";
import { PyGlobal, PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import type { BuildContext } from "../reader/globals.ts";

/** A numpy value outside the model (strict reading). The reason names what it is. */
export class NumpyUnsupportedError extends UnpicklingError {
  override name = "NumpyUnsupportedError";
}

/** Refuses `what` in strict mode; in opaque mode, the call recorded as data. */
export function unsupported(what: string, ctx: BuildContext, callable: PyGlobal, args: readonly PyValue[]): PyObject {
  if (!ctx.opaque)
    throw new NumpyUnsupportedError(
      `${what} is not supported (typed-pickle models numpy arrays and scalars of bool, int, uint, float, complex, bytes and str dtypes; read in opaque mode to keep it as data)`,
    );
  return new PyObject(new PyGlobal(callable.module, callable.name), args, null, "reduce");
}

/**
 * An object a handler made and BUILD then found outside the model (an array whose dtype is
 * opaque, a dtype with metadata): in opaque mode it becomes, in place, the opaque record of its
 * construction with that state — in place, because the memo may already hold it.
 */
export function becomeOpaque(target: object, callable: PyGlobal, args: readonly PyValue[], state: PyValue): void {
  for (const key of Object.getOwnPropertyNames(target)) delete (target as Record<string, unknown>)[key];
  Object.setPrototypeOf(target, PyObject.prototype);
  const record = new PyObject(new PyGlobal(callable.module, callable.name), args, null, "reduce");
  record.state = state;
  Object.assign(target, record);
}
