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

function toValue<T>(codec: Codec<T> | undefined, value: T, root: string): PyValue {
  if (codec === undefined) return value as PyValue;
  return codec.toPy(value, new ToPy(root));
}

export function defineTask<A = readonly PyValue[], K = Readonly<Record<string, PyValue>>, R = PyValue>(definition: TaskDefinition<A, K, R>): CeleryTask<A, K, R> {
  const { name, args: argsCodec, kwargs: kwargsCodec, result = any as Codec<R>, exceptionClasses } = definition;
  return {
    name,
    send(redis, args, kwargs, options) {
      let argsValue = toValue(argsCodec, args, "args");
      if (argsCodec === undefined && Array.isArray(argsValue)) argsValue = new PyTuple(argsValue);
      let kwargsValue = kwargs === undefined ? new Map() : toValue(kwargsCodec, kwargs, "kwargs");
      if (kwargsCodec === undefined && kwargs !== undefined) {
        if (typeof kwargs !== "object" || kwargs === null) throw new PicklingError("keyword arguments must be an object or a Map", "kwargs");
        kwargsValue = new Map<PyValue, PyValue>(kwargs instanceof Map ? kwargs : Object.entries(kwargs as object));
      }
      return pushTaskMessage(redis, taskMessage(name, argsValue, kwargsValue, options));
    },
    getResult: (redis, taskId, options) => getResult(redis, taskId, { exceptionClasses, ...options, codec: result }),
    waitForResult: (redis, taskId, options) => waitForResult(redis, taskId, { exceptionClasses, ...options, codec: result }),
    parse: (message, options) => parseTaskMessage<A, K>(message, { ...options, ...(argsCodec && { args: argsCodec }), ...(kwargsCodec && { kwargs: kwargsCodec }) }),
  };
}
