// A Node consumer of Celery tasks: take the next message of a queue as the Redis transport's consumer
// does (BRPOP over the queue's priority lists, step 0 first) and store the outcome where Celery's Redis
// result backend keeps it, so that a Python producer's `AsyncResult.get()` reads it. No ack emulation:
// a popped message is gone (at most once), unlike a Celery worker's visibility-timeout redelivery.
import { PyGlobal, PyObject } from "../../model/objects.ts";
import type { PyValue } from "../../model/value.ts";
import { type Codec, ToPy } from "../../typed/codec.ts";
import { dumps } from "../../writer/dump.ts";
import type { RedisCommands } from "../redis/redis-client.ts";
import { CeleryFormatError } from "./errors.ts";
import { type ParseOptions, parseTaskMessage, type TaskMessage } from "./parse-task-message.ts";
import { DEFAULT_QUEUE, KOMBU_PICKLE_PROTOCOL, queueKeyFor } from "./task-message.ts";
import { TASK_META_PREFIX } from "./task-result.ts";

/** Celery's result_expires default: one day. */
const RESULT_EXPIRES_SECONDS = 86_400;

export interface ReceiveOptions<A, K> extends ParseOptions<A, K> {
  queue?: string | undefined;
  /** Seconds to block waiting (BRPOP's timeout; 0 waits for ever). Default 1. */
  timeout?: number | undefined;
}

/** The next task message of the queue, or null when none came within the timeout. */
export async function receiveTask<A = PyValue, K = PyValue>(redis: RedisCommands, options: ReceiveOptions<A, K> = {}): Promise<TaskMessage<A, K> | null> {
  const { queue = DEFAULT_QUEUE, timeout = 1, ...parseOptions } = options;
  const keys = [0, 3, 6, 9].map((priority) => queueKeyFor(queue, priority));
  const reply = await redis.send(["BRPOP", ...keys, String(timeout)]);
  if (reply === null) return null;
  if (!Array.isArray(reply) || !(reply[1] instanceof Uint8Array)) throw new CeleryFormatError("BRPOP gave no [key, message] reply");
  return parseTaskMessage<A, K>(reply[1], parseOptions);
}

export interface StoreOptions {
  /** Seconds the result is kept (Celery's result_expires; default one day). */
  expires?: number | undefined;
}

/** `datetime.utcnow().isoformat()`: naive UTC with microseconds. */
function utcNowIsoformat(): string {
  return `${new Date().toISOString().slice(0, 23)}000`;
}

async function store(redis: RedisCommands, taskId: string, status: string, result: PyValue, traceback: string | null, options: StoreOptions): Promise<void> {
  const meta = new Map<PyValue, PyValue>([
    ["status", status],
    ["result", result],
    ["traceback", traceback],
    ["children", []],
    ["date_done", utcNowIsoformat()],
    ["task_id", taskId],
  ]);
  const bytes = dumps(meta, { protocol: KOMBU_PICKLE_PROTOCOL });
  const key = `${TASK_META_PREFIX}${taskId}`;
  // As the Redis backend's _set: SETEX, then PUBLISH on the key for waiting clients.
  await redis.send(["SETEX", key, String(options.expires ?? RESULT_EXPIRES_SECONDS), bytes]);
  await redis.send(["PUBLISH", key, bytes]);
}

/** Stores a task's return value (SUCCESS), through `codec` when given, else as a value-model value. */
export function storeResult<T = PyValue>(redis: RedisCommands, taskId: string, value: T, options: StoreOptions & { codec?: Codec<T> | undefined } = {}): Promise<void> {
  const result = options.codec ? options.codec.toPy(value, new ToPy("result")) : (value as PyValue);
  return store(redis, taskId, "SUCCESS", result, null, options);
}

export interface FailureInfo {
  /** The exception's class: `ValueError`, or `module.QualName` (a Python reader imports it to raise it). */
  exceptionClass: string;
  args?: readonly PyValue[] | undefined;
  traceback?: string | undefined;
}

/** Stores a failure (FAILURE) with the exception `Class(*args)`, as a Python worker's pickle result serializer would. */
export function storeFailure(redis: RedisCommands, taskId: string, failure: FailureInfo, options: StoreOptions = {}): Promise<void> {
  const dot = failure.exceptionClass.lastIndexOf(".");
  const global = dot < 0 ? new PyGlobal("builtins", failure.exceptionClass) : new PyGlobal(failure.exceptionClass.slice(0, dot), failure.exceptionClass.slice(dot + 1));
  const exception = new PyObject(global, [...(failure.args ?? [])], null, "reduce");
  return store(redis, taskId, "FAILURE", exception, failure.traceback ?? null, options);
}
