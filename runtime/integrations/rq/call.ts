// A job's call: the pickle RQ keeps in the job's `data` field, `(func_name, None, args, kwargs)` at
// protocol 5 (DefaultSerializer: pickle.HIGHEST_PROTOCOL), and its description. Arguments are
// values of the value model, or typed values written through their codecs (schema classes).
import { PicklingError } from "../../errors.ts";
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { dumps } from "../../writer/dump.ts";
import { type Argument, argumentValue } from "../typed-argument.ts";
import { callString } from "./call-string.ts";

/** RQ's DefaultSerializer pickles with pickle.HIGHEST_PROTOCOL: 5 on every Python RQ 1.13 runs on (3.8+). */
export const RQ_PICKLE_PROTOCOL = 5;

/** A job argument: a value of the value model (`2n` is an int, `2` a float), or a typed value. */
export type JobArgument = Argument;

/** Keyword arguments, by name, in the order they are given. */
export type JobKwargs = Readonly<Record<string, JobArgument>> | ReadonlyMap<string, JobArgument>;

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
  const argValues = args.map((arg, i) => argumentValue(arg, `args[${i}]`));
  const kwargValues = new Map<string, PyValue>();
  for (const [key, arg] of kwargsEntries(kwargs)) kwargValues.set(key, argumentValue(arg, `kwargs[${JSON.stringify(key)}]`));
  const pickle = dumps(new PyTuple([funcName, null, new PyTuple(argValues), kwargValues]), { protocol: RQ_PICKLE_PROTOCOL });
  return { pickle, description: callString(funcName, argValues, kwargValues) };
}

/** The job's `meta` field: the dict pickled as RQ's serializer pickles it (not compressed). */
export function metaPickle(meta: JobKwargs): Uint8Array {
  const values = new Map<string, PyValue>();
  for (const [key, arg] of kwargsEntries(meta)) values.set(key, argumentValue(arg, `meta[${JSON.stringify(key)}]`));
  return dumps(values, { protocol: RQ_PICKLE_PROTOCOL });
}
