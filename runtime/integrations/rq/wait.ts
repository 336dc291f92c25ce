// Waiting for a job's outcome by polling: RQ announces nothing a client could block on.
import type { PyValue } from "../../model/value.ts";
import type { RedisCommands } from "../redis/redis-client.ts";
import { RqError, RqJobFailedError, RqNoSuchJobError, RqTimeoutError } from "./errors.ts";
import { type FetchResultOptions, fetchResult, type RqResult } from "./results.ts";
import { jobStatus } from "./status.ts";

export interface WaitOptions<T> extends FetchResultOptions<T> {
  /** How long to wait in all (ms); default 30 000. */
  timeout?: number | undefined;
  /** How long between two looks (ms); default 100. */
  pollInterval?: number | undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The job's outcome once there is one (see fetchResult). Rejects with RqTimeoutError when the time
 * runs out, RqNoSuchJobError when the job is not in Redis, and RqError when it was canceled (it
 * will never have one).
 */
export async function waitForResult<T = PyValue>(redis: RedisCommands, id: string, options: WaitOptions<T> = {}): Promise<RqResult<T>> {
  const timeout = options.timeout ?? 30_000;
  const pollInterval = options.pollInterval ?? 100;
  const deadline = Date.now() + timeout;
  for (;;) {
    const result = await fetchResult(redis, id, options);
    if (result) return result;
    const status = await jobStatus(redis, id);
    if (status === null) {
      // The outcome may have landed between the two looks, with the job already cleaned up.
      const late = await fetchResult(redis, id, options);
      if (late) return late;
      throw new RqNoSuchJobError(id);
    }
    if (status === "canceled") throw new RqError(`RQ job ${id} was canceled`);
    if (Date.now() >= deadline) throw new RqTimeoutError(id, timeout, status);
    await sleep(Math.min(pollInterval, Math.max(0, deadline - Date.now())));
  }
}

/** The return value of a successful outcome; a failed or stopped one is thrown as RqJobFailedError. */
export function resultValue<T>(id: string, result: RqResult<T>): T {
  if (result.type === "successful") return result.value;
  throw new RqJobFailedError(id, result.excString);
}
