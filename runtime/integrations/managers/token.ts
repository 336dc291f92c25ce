// multiprocessing.managers.Token: which shared object a proxy stands for. It arrives pickled in
// #PROXY replies (`Token.__getstate__` is the tuple (typeid, address, id), applied by BUILD); the
// allowlist entry below records it as data, and `tokenFrom` checks that data's shape. Nothing the
// pickle names is imported or called.
import { PyTuple } from "../../model/containers.ts";
import { PyGlobal, PyObject } from "../../model/objects.ts";
import type { PyValue } from "../../model/value.ts";
import type { GlobalHandler } from "../../reader/globals.ts";
import { ManagerProtocolError } from "./errors.ts";

export const TOKEN_GLOBAL = new PyGlobal("multiprocessing.managers", "Token");

/** The reader's allowlist entry for Token: `Token.__new__(Token)` kept as a record for BUILD to fill. */
export const TOKEN_HANDLER: GlobalHandler = {
  construct: (args, kwargs) => new PyObject(TOKEN_GLOBAL, args, kwargs as Map<PyValue, PyValue> | null, "newobj"),
};

/** A shared object on the server: its typeid (as registered) and its id there (Python's `'%x' % id(obj)`). */
export interface ManagerToken {
  readonly typeid: string;
  readonly id: string;
}

/** The token a reply carried, checked to be exactly what Python's Token pickles as (made by TOKEN_HANDLER, filled by BUILD). */
export function tokenFrom(value: PyValue | undefined): ManagerToken {
  if (!(value instanceof PyObject) || value.callable !== TOKEN_GLOBAL || value.args.length !== 0 || value.kwargs !== null) {
    throw new ManagerProtocolError(`a #PROXY reply must carry a multiprocessing.managers.Token, got ${describe(value)}`);
  }
  const state = value.state;
  if (!(state instanceof PyTuple) || state.items.length !== 3) throw new ManagerProtocolError("a Token's state must be the tuple (typeid, address, id)");
  const [typeid, , id] = state.items;
  // The address is not used: like Python's proxies, a nested proxy connects to its manager's address.
  if (typeof typeid !== "string" || typeof id !== "string") throw new ManagerProtocolError("a Token's typeid and id must be str");
  return { typeid, id };
}

function describe(value: PyValue | undefined): string {
  if (value instanceof PyObject) return `an instance of ${value.className}`;
  return value === null ? "None" : typeof value;
}
