// The error a call must throw: asserted to be of the expected class, returned for its message.
import * as assert from "uvu/assert";
import { type PickleError, UnpicklingError } from "../../runtime/index.ts";

/** Runs `f`, which must throw an instance of `Expected` (default UnpicklingError); returns it. */
export function refusal<E extends PickleError = UnpicklingError>(f: () => unknown, Expected: abstract new (...args: never[]) => E = UnpicklingError as never): E {
  try {
    f();
  } catch (e) {
    assert.instance(e, Expected);
    return e as E;
  }
  throw new Error("accepted");
}
