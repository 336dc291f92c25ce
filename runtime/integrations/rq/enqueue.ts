// Enqueueing a job as RQ 1.13's Queue.enqueue_call → enqueue_job does: the job hash with the
// fields Job.to_dict writes, `SADD rq:queues`, `RPUSH rq:queue:<name>` (LPUSH at the front), and
// the ttl's EXPIREs (Job.cleanup). RQ sends these in one MULTI/EXEC; here they run as one Lua
// script (EVAL): equally all-or-nothing, in one command, so a client shared by concurrent callers
// never has another caller's command land inside the transaction, as a MULTI sent through a shared
// connection would.
import { randomUUID } from "node:crypto";
import type { RedisArgument, RedisCommands } from "../redis/redis-client.ts";
import { type JobArgument, type JobKwargs, jobCall, kwargsEntries, metaPickle } from "./call.ts";
import { type Duration, parseDuration } from "./durations.ts";
import { compress } from "./encodings.ts";
import { RqOptionError } from "./errors.ts";
import { dependenciesKey, dependentsKey, jobKey, QUEUES_KEY, queueKey } from "./keys.ts";
import { rqTimestamp } from "./timestamps.ts";

/** Queue.DEFAULT_TIMEOUT: the job timeout when none is given. */
export const RQ_DEFAULT_TIMEOUT = 180;

/** The options of RQ's `enqueue_call` that are supported (see the README for the rest). */
export interface EnqueueOptions {
  /** The job id; default a uuid4, as RQ makes. */
  jobId?: string | undefined;
  /** The job timeout (RQ's `job_timeout`): seconds or "15m"; -1 for none. Default 180. */
  timeout?: Duration | undefined;
  /** How long the result is kept (default 500 s, applied by the worker); -1 forever, 0 not at all. */
  resultTtl?: Duration | undefined;
  /** How long the job may wait in the queue before it is dropped. */
  ttl?: Duration | undefined;
  /** How long a failed job is kept (default one year, applied by the worker). */
  failureTtl?: Duration | undefined;
  /** Default: the call as RQ prints it, `app.tasks.add(2, 3)`. */
  description?: string | undefined;
  /** Put the job at the front of the queue. */
  atFront?: boolean | undefined;
  /** The job's `meta` dict. */
  meta?: JobKwargs | undefined;
  /** RQ's `Retry(max, interval)`: how often a failed job is retried, and the waits between tries (seconds). */
  retry?: { max: number; intervals?: number | readonly number[] | undefined } | undefined;
}

export interface EnqueuedJob {
  readonly id: string;
  readonly queue: string;
  readonly description: string;
  readonly enqueuedAt: Date;
}

// KEYS: rq:queues, the job's hash, the queue's list, the job's dependents and dependencies sets.
// ARGV: RPUSH or LPUSH, the job id, the ttl ("" for none), then the hash's field/value pairs.
const ENQUEUE_SCRIPT = `
redis.call('SADD', KEYS[1], KEYS[3])
redis.call('HSET', KEYS[2], 'status', 'queued')
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
if ARGV[3] ~= '' then
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[4], ARGV[3])
  redis.call('EXPIRE', KEYS[5], ARGV[3])
end
return redis.call(ARGV[1], KEYS[3], ARGV[2])
`;

function optional(value: Duration | undefined, option: string): number | undefined {
  return value === undefined ? undefined : parseDuration(value, option);
}

function retryFields(retry: NonNullable<EnqueueOptions["retry"]>): [string, string][] {
  if (!Number.isSafeInteger(retry.max) || retry.max < 1) throw new RqOptionError(`retry.max: please enter a value greater than 0, got ${retry.max}`);
  const intervals = typeof retry.intervals === "number" || retry.intervals === undefined ? [retry.intervals ?? 0] : [...retry.intervals];
  for (const interval of intervals) {
    if (!Number.isSafeInteger(interval) || interval < 0) throw new RqOptionError(`retry.intervals: expected whole seconds, not negative, got ${interval}`);
  }
  // json.dumps of a list of ints: "[10, 20]".
  return [
    ["retries_left", String(retry.max)],
    ["retry_intervals", `[${intervals.join(", ")}]`],
  ];
}

/**
 * Enqueues a call of the Python function at `funcName` (its import path, e.g. "app.tasks.add") on
 * `queue`, writing exactly what RQ 1.13's `Queue(queue).enqueue_call(funcName, args, kwargs, ...)`
 * writes; an RQ worker runs it. Arguments are value-model values or `typed(codec, value)`.
 */
export async function enqueue(
  redis: RedisCommands,
  queue: string,
  funcName: string,
  args: readonly JobArgument[] = [],
  kwargs?: JobKwargs,
  options: EnqueueOptions = {},
): Promise<EnqueuedJob> {
  if (typeof queue !== "string" || queue === "") throw new RqOptionError("queue: expected a queue name");
  if (!Array.isArray(args)) throw new RqOptionError("args: expected an array of arguments");
  const id = options.jobId ?? randomUUID();
  if (typeof id !== "string" || id === "") throw new RqOptionError("jobId: expected a non-empty string");

  const timeout = optional(options.timeout, "timeout") ?? RQ_DEFAULT_TIMEOUT;
  if (timeout === 0) throw new RqOptionError("timeout: 0 timeout is not allowed. Use -1 for infinite timeout");
  const resultTtl = optional(options.resultTtl, "resultTtl");
  const failureTtl = optional(options.failureTtl, "failureTtl");
  const ttl = optional(options.ttl, "ttl");
  if (ttl !== undefined && ttl <= 0) throw new RqOptionError("ttl: Job ttl must be greater than 0");

  const createdAt = new Date();
  const call = jobCall(funcName, args, kwargs);
  const description = options.description ?? call.description;
  const enqueuedAt = new Date();

  // Job.to_dict's fields, in its order.
  const fields: [string, RedisArgument][] = [
    ["created_at", rqTimestamp(createdAt)],
    ["data", compress(call.pickle)],
    ["success_callback_name", ""],
    ["failure_callback_name", ""],
    ["started_at", ""],
    ["ended_at", ""],
    ["last_heartbeat", ""],
    ["worker_name", ""],
    ...(options.retry ? retryFields(options.retry) : []),
    ["origin", queue],
    ["description", description],
    ["enqueued_at", rqTimestamp(enqueuedAt)],
    ["timeout", String(timeout)],
  ];
  if (resultTtl !== undefined) fields.push(["result_ttl", String(resultTtl)]);
  if (failureTtl !== undefined) fields.push(["failure_ttl", String(failureTtl)]);
  fields.push(["status", "queued"]);
  // RQ writes meta only when it is not empty.
  if (options.meta !== undefined && kwargsEntries(options.meta).length > 0) fields.push(["meta", metaPickle(options.meta)]);
  if (ttl !== undefined) fields.push(["ttl", String(ttl)]);

  await redis.send([
    "EVAL",
    ENQUEUE_SCRIPT,
    "5",
    QUEUES_KEY,
    jobKey(id),
    queueKey(queue),
    dependentsKey(id),
    dependenciesKey(id),
    options.atFront ? "LPUSH" : "RPUSH",
    id,
    ttl === undefined ? "" : String(ttl),
    ...fields.flat(),
  ]);
  return { id, queue, description, enqueuedAt };
}
