// A typed task: its name and the codecs of its arguments, keyword arguments and result, so that
// sending and reading back are checked against one declaration (as a schema's classes are).
import { PicklingError } from "../../errors.ts";
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { any, type Codec, ToPy } from "../../typed/codec.ts";
import type { RedisCommands } from "../redis/redis-client.ts";
import { type ParseOptions, parseTaskMessage, type TaskMessage } from "./parse-task-message.ts";
import { pushTaskMessage, type SendTaskOptions, taskMessage } from "./send-task.ts";
import { getResult, type ResultOptions, type TaskResult, type WaitOptions, waitForResult } from "./task-result.ts";

export interface TaskDefinition<A, K, R> {
  /** The name the worker registered (`@app.task(name=...)`, else `module.function`). */
  name: string;
  /** The positional arguments: a tuple codec (`T.tuple(T.int, T.int)`); value-model args when absent. */
  args?: Codec<A> | undefined;
  /** The keyword arguments: a codec whose Python value is a dict with str keys (`T.record(T.str)`). */
  kwargs?: Codec<K> | undefined;
  /** The return value. */
  result?: Codec<R> | undefined;
  /** The application's exception classes the task may raise (see ResultOptions.exceptionClasses). */
  exceptionClasses?: readonly string[] | undefined;
}

export interface CeleryTask<A, K, R> {
  readonly name: string;
  /** Sends the task; returns its id. */
  send(redis: RedisCommands, args: A, kwargs?: K, options?: SendTaskOptions): Promise<string>;
  getResult(redis: RedisCommands, taskId: string, options?: Omit<ResultOptions<R>, "codec">): Promise<TaskResult<R>>;
  waitForResult(redis: RedisCommands, taskId: string, options?: Omit<WaitOptions<R>, "codec">): Promise<R>;
  /** Reads a message of this task (a Node consumer), args and kwargs through the codecs. */
  parse(message: Uint8Array | string, options?: Omit<ParseOptions<A, K>, "args" | "kwargs">): TaskMessage<A, K>;
}

/** Untyped arguments: an array or tuple, and an object or Map of keyword arguments, in the value model. */
export type ValueArgs = readonly PyValue[] | PyTuple;
export type ValueKwargs = Readonly<Record<string, PyValue>> | ReadonlyMap<string, PyValue>;

/** The positional arguments in the value model: through the codec, else an array as a tuple (what Python callers pass). */
function argsValue<A>(codec: Codec<A> | undefined, args: A): PyValue {
  if (codec !== undefined) return codec.toPy(args, new ToPy("args"));
  return Array.isArray(args) ? new PyTuple([...(args as readonly PyValue[])]) : (args as PyValue);
}

/** The keyword arguments as a dict: through the codec, else the object's or Map's entries. */
function kwargsValue<K>(codec: Codec<K> | undefined, kwargs: K | undefined): PyValue {
  if (kwargs === undefined) return new Map();
  if (codec !== undefined) return codec.toPy(kwargs, new ToPy("kwargs"));
  if (typeof kwargs !== "object" || kwargs === null) throw new PicklingError("keyword arguments must be an object or a Map", "kwargs");
  return new Map<PyValue, PyValue>(kwargs instanceof Map ? kwargs : Object.entries(kwargs));
}

export function defineTask<A = ValueArgs, K = ValueKwargs, R = PyValue>(definition: TaskDefinition<A, K, R>): CeleryTask<A, K, R> {
  const { name, args: argsCodec, kwargs: kwargsCodec, result = any as Codec<R>, exceptionClasses } = definition;
  return {
    name,
    send: (redis, args, kwargs, options) => pushTaskMessage(redis, taskMessage(name, argsValue(argsCodec, args), kwargsValue(kwargsCodec, kwargs), options)),
    getResult: (redis, taskId, options) => getResult(redis, taskId, { exceptionClasses, ...options, codec: result }),
    waitForResult: (redis, taskId, options) => waitForResult(redis, taskId, { exceptionClasses, ...options, codec: result }),
    parse: (message, options) => parseTaskMessage<A, K>(message, { ...options, ...(argsCodec && { args: argsCodec }), ...(kwargsCodec && { kwargs: kwargsCodec }) }),
  };
}

/**
 * Sends `name(*args, **kwargs)` to a Celery worker through its Redis broker; returns the task id.
 * Arguments are in the value model (ints are bigints: `[2n, 3n]`); for typed arguments use `defineTask`.
 */
export function sendTask(redis: RedisCommands, name: string, args: ValueArgs = [], kwargs: ValueKwargs = {}, options: SendTaskOptions = {}): Promise<string> {
  return defineTask({ name }).send(redis, args, kwargs, options);
}
