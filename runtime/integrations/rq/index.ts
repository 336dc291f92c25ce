// typed-pickle/rq: enqueue RQ jobs from Node and read their outcomes, typed. Written and read as
// RQ 1.13 writes and reads them (rq/job.py, rq/queue.py, rq/results.py); talks to Redis through
// typed-pickle/redis's RedisCommands (ioredis or node-redis).
export { enqueue, RQ_DEFAULT_TIMEOUT, type EnqueueOptions, type EnqueuedJob } from "./enqueue.ts";
export { jobCall, RQ_PICKLE_PROTOCOL, type JobArgument, type JobKwargs, type JobCall } from "./call.ts";
export { typed, TypedArgument } from "../typed-argument.ts";
export { jobStatus, RQ_JOB_STATUSES, type RqJobStatus } from "./status.ts";
export { fetchResult, parseException, type FetchResultOptions, type RqResult, type RqSuccess, type RqFailure, type RqException } from "./results.ts";
export { waitForResult, resultValue, type WaitOptions } from "./wait.ts";
export { rqTimestamp, parseRqTimestamp } from "./timestamps.ts";
export type { Duration } from "./durations.ts";
export { QUEUES_KEY, queueKey, jobKey, resultsKey } from "./keys.ts";
export { RqError, RqOptionError, RqProtocolError, RqNoSuchJobError, RqTimeoutError, RqJobFailedError } from "./errors.ts";
