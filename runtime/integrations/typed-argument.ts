// An argument that a codec writes, among values of the value model: `typed(UserCodec, user)` in the
// arguments of an RQ job or a manager's remote call. One home for the wrapper and its conversion.
import { PicklingError } from "../errors.ts";
import type { PyValue } from "../model/value.ts";
import { type Codec, ToPy } from "../typed/codec.ts";
import { isStackOverflow } from "../typed/fast-path.ts";

/** A value that a codec writes: an instance of a schema class, or any value with a codec for it. */
export class TypedArgument<T = unknown> {
  constructor(
    readonly codec: Codec<T>,
    readonly value: T,
  ) {
    Object.freeze(this);
  }
}

/** An argument written through its codec: `typed(UserCodec, user)`. */
export function typed<T>(codec: Codec<T>, value: T): TypedArgument<T> {
  return new TypedArgument(codec, value);
}

/** A value of the value model (`2n` is an int, `2` a float), or a typed value. */
export type Argument = PyValue | TypedArgument;

/** A typed argument as the value model (its codec checks it; errors name `where`), or a model value as it is. */
export function argumentValue(arg: Argument, where: string): PyValue {
  if (!(arg instanceof TypedArgument)) return arg;
  try {
    return arg.codec.toPy(arg.value, new ToPy(where));
  } catch (e) {
    if (isStackOverflow(e)) throw new PicklingError("the value is nested too deeply for a typed codec", where);
    throw e;
  }
}
