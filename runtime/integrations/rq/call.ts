// A job's call: the pickle RQ keeps in the job's `data` field, `(func_name, None, args, kwargs)` at
// protocol 5 (DefaultSerializer: pickle.HIGHEST_PROTOCOL), and its description. Arguments are
// values of the value model, or typed values written through their codecs (schema classes).
import { PicklingError } from "../../errors.ts";
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { type Codec, ToPy } from "../../typed/codec.ts";
import { isStackOverflow } from "../../typed/fast-path.ts";
import { dumps } from "../../writer/dump.ts";
import { callString } from "./call-string.ts";

/** RQ's DefaultSerializer pickles with pickle.HIGHEST_PROTOCOL: 5 on every Python RQ 1.13 runs on (3.8+). */
export const RQ_PICKLE_PROTOCOL = 5;

const TYPED = Symbol("typed-pickle.rq.typed");

/** A value that a codec writes: an instance of a schema class, or any value with a codec for it. */
export interface TypedArgument<T = unknown> {
  readonly [TYPED]: true;
  readonly codec: Codec<T>;
  readonly value: T;
}

/** An argument written through its codec: `typed(UserCodec, user)`. */
export function typed<T>(codec: Codec<T>, value: T): TypedArgument<T> {
  return Object.freeze({ [TYPED]: true as const, codec, value });
}

/** A job argument: a value of the value model (`2n` is an int, `2` a float), or a typed value. */
export type JobArgument = PyValue | TypedArgument;

/** Keyword arguments, by name, in the order they are given. */
export type JobKwargs = Readonly<Record<string, JobArgument>> | ReadonlyMap<string, JobArgument>;

function isTyped(arg: JobArgument): arg is TypedArgument {
  return typeof arg === "object" && arg !== null && TYPED in arg;
}

/** A typed argument as the value model (its codec checks it), or a model value as it is. */
function modelValue(arg: JobArgument, where: string): PyValue {
  if (!isTyped(arg)) return arg;
  try {
    return arg.codec.toPy(arg.value, new ToPy(where));
  } catch (e) {
    if (isStackOverflow(e)) throw new PicklingError("the value is nested too deeply for a typed codec", where);
    throw e;
  }
}

export function kwargsEntries(kwargs: JobKwargs | undefined): [string, JobArgument][] {
  if (kwargs === undefined) return [];
  return kwargs instanceof Map ? Array.from(kwargs) : Object.entries(kwargs);
}

export interface JobCall {
  /** The uncompressed pickle of `(func_name, None, args, kwargs)`. */
  readonly pickle: Uint8Array;
  /** RQ's default description: `app.tasks.add(2, 3)`. */
  readonly description: string;
}

/** The pickle and description of a call of the task named `funcName` (a dotted import path, written as a str). */
export function jobCall(funcName: string, args: readonly JobArgument[], kwargs: JobKwargs | undefined): JobCall {
  if (typeof funcName !== "string" || funcName === "") throw new PicklingError('an RQ job needs the task\'s import path, e.g. "app.tasks.add"');
  const argValues = args.map((arg, i) => modelValue(arg, `args[${i}]`));
  const kwargValues = new Map<string, PyValue>();
  for (const [key, arg] of kwargsEntries(kwargs)) kwargValues.set(key, modelValue(arg, `kwargs[${JSON.stringify(key)}]`));
  const pickle = dumps(new PyTuple([funcName, null, new PyTuple(argValues), kwargValues]), { protocol: RQ_PICKLE_PROTOCOL });
  return { pickle, description: callString(funcName, argValues, kwargValues) };
}

/** The job's `meta` field: the dict pickled as RQ's serializer pickles it (not compressed). */
export function metaPickle(meta: JobKwargs): Uint8Array {
  const values = new Map<string, PyValue>();
  for (const [key, arg] of kwargsEntries(meta)) values.set(key, modelValue(arg, `meta[${JSON.stringify(key)}]`));
  return dumps(values, { protocol: RQ_PICKLE_PROTOCOL });
}
